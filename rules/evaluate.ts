// Evaluates a rules node. Runs inside workflow code: pure, deterministic, and
// only over facts the workflow already holds (no fact does I/O).
import { Engine, type RuleProperties } from 'json-rules-engine';
import { customOperators } from './operators';
import type { RulesNodeParameters } from './flow';

export interface RulesOutcome {
  /** The outgoing handle: the event type of the first rule that fired, else the default. */
  handle: string;
  /** Names of the rules that fired, in priority order. */
  fired: string[];
}

export type RulesEvaluator = (facts: Record<string, unknown>) => Promise<RulesOutcome>;

const ruleName = (rule: RuleProperties, index: number) => rule.name ?? `rule-${index + 1}`;

/** Builds a rules node's engine once; the evaluator it returns runs it over each message's facts. */
export function compileRules({ rules, defaultHandle }: RulesNodeParameters): RulesEvaluator {
  // A typo in a fact name must be an error, not a silent miss.
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const op of customOperators) engine.addOperator(op);
  rules.forEach((rule, index) => engine.addRule({ ...rule, name: ruleName(rule, index) }));
  // Higher priority first; equal priorities keep the order the analyst gave.
  const order = new Map(rules.map((rule, index) => [ruleName(rule, index), index]));
  return async (facts) => {
    const { results } = await engine.run(facts);
    const fired = results
      .map((r) => ({ name: String(r.name), priority: r.priority ?? 1, index: order.get(String(r.name)) ?? 0, type: r.event?.type }))
      .sort((a, b) => b.priority - a.priority || a.index - b.index);
    return { handle: fired[0]?.type ?? defaultHandle, fired: fired.map((f) => f.name) };
  };
}

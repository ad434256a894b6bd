// Evaluates a rules node. Runs inside workflow code: pure, deterministic, and
// only over facts the workflow already holds (no fact does I/O).
import { Engine, type RuleProperties } from 'json-rules-engine';
import { customOperators } from './operators';

export interface RulesOutcome {
  /** The outgoing handle: the event type of the first rule that fired, else the default. */
  handle: string;
  /** Names of the rules that fired, in priority order. */
  fired: string[];
}

export async function evaluateRules(
  rules: RuleProperties[],
  defaultHandle: string,
  facts: Record<string, unknown>,
): Promise<RulesOutcome> {
  // A typo in a fact name must be an error, not a silent miss.
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const op of customOperators) engine.addOperator(op);
  rules.forEach((rule, index) => engine.addRule({ ...rule, name: rule.name ?? `rule-${index + 1}` }));
  const { results } = await engine.run(facts);
  // Higher priority first; equal priorities keep the order the analyst gave.
  const order = (name: unknown) => rules.findIndex((r, i) => (r.name ?? `rule-${i + 1}`) === name);
  const fired = results
    .map((r) => ({ name: String(r.name), priority: r.priority ?? 1, index: order(r.name), type: r.event?.type }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index);
  return { handle: fired[0]?.type ?? defaultHandle, fired: fired.map((f) => f.name) };
}

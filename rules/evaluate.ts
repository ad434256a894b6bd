// Evaluates a rules node. Runs inside workflow code: pure, deterministic, and
// only over facts the workflow already holds (no fact does I/O).
//
// The rules are compiled once into plain synchronous predicates. A
// json-rules-engine Engine would build promises for every condition of every
// rule on every decision, and promises are expensive in Temporal's workflow
// sandbox. The compiled predicates decide exactly like json-rules-engine 7.3.1
// with allowUndefinedFacts false (rules/evaluate.conformance.test.ts checks it):
//   - rules and the children of all/any are grouped by priority, highest
//     first; every member of a group is evaluated (so an undefined fact in it
//     throws), and all/any stop after the first group that decides them;
//   - a fact the caller did not give throws "Undefined fact: <name>";
//   - a path applies only when the fact is an object; otherwise the condition
//     sees the fact itself (the engine's rule, however odd);
//   - `all: []` and `any: []` both hold.
// Where the engine would fail only once a rule is reached (unknown operator)
// or accepts what we do not support (shared `condition` references, JSONPath
// beyond `$.a.b[0]`), compiling fails at once: a published flow has passed
// checkRules, so this only stops a flow that skipped validation.
import type { Event, RuleProperties } from 'json-rules-engine';
import type { RulesNodeParameters } from './flow';
import { operatorSpecs, TIME_RELATIVE_OPERATORS, type OperatorSpec } from './operators';

export type Facts = Record<string, unknown>;

/** One condition that kept a rule from firing, with what it compared. */
export interface ConditionFailure {
  /** JSON pointer into the rule, e.g. `/conditions/all/1`. */
  pointer: string;
  fact: string;
  path?: string;
  operator: string;
  /** The condition's value (resolved, when it names a fact). */
  value: unknown;
  factValue: unknown;
}

export interface RuleExplanation {
  name: string;
  priority: number;
  event: Event;
  fired: boolean;
  /** Why it did not fire: all → its first failing child; any → every child; not → the child that held. */
  failed?: ConditionFailure[];
}

export interface RulesOutcome {
  /** The outgoing handle: the event type of the highest-priority rule that fired (ties: the analyst's order), else the default. */
  handle: string;
  /** Names of the rules that fired, in priority order. */
  fired: string[];
  /** Every rule, in the analyst's order. */
  rules: RuleExplanation[];
}

export type RulesEvaluator = (facts: Facts) => RulesOutcome;

// ------------------------------------------------------------ paths

export interface PathSegment {
  key: string;
  /** Written as `[n]`. */
  index: boolean;
}

const PATH_SEGMENT = /\.([\p{L}\p{M}\p{N}_-]+)|\[(\d+)\]/uy;

/**
 * The segments of a simple JSONPath (`$.a`, `$.a.b`, `$.a[0]`, combined), or
 * undefined for any other syntax. On these forms jsonpath-plus (the engine's
 * resolver) follows own properties only, which resolve() reproduces.
 */
export function parsePath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$') || path.length === 1) return undefined;
  const segments: PathSegment[] = [];
  PATH_SEGMENT.lastIndex = 1;
  while (PATH_SEGMENT.lastIndex < path.length) {
    const m = PATH_SEGMENT.exec(path);
    if (!m) return undefined;
    segments.push(m[1] !== undefined ? { key: m[1], index: false } : { key: m[2], index: true });
  }
  return segments;
}

function resolve(value: object, keys: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    // jsonpath-plus: `val && Object.hasOwn(val, loc)`, so a string's own `length` and indexes resolve too.
    if (!current || !Object.hasOwn(current as object, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

type Reader = (facts: Facts) => unknown;

function factReader(fact: string, path: string | undefined, where: string): Reader {
  const keys = path ? parsePath(path)?.map((s) => s.key) : undefined;
  if (path && !keys) throw new Error(`${where}: unsupported path "${path}" (use $.a, $.a.b or $.a[0])`);
  return (facts) => {
    if (!Object.hasOwn(facts, fact)) throw new Error(`Undefined fact: ${fact}`);
    const value = facts[fact];
    return keys && value !== null && typeof value === 'object' ? resolve(value, keys) : value;
  };
}

// ------------------------------------------------------------ compiled conditions

interface Leaf {
  kind: 'leaf';
  id: number;
  pointer: string;
  fact: string;
  path?: string;
  operator: string;
  spec: OperatorSpec;
  readFact: Reader;
  readValue: Reader;
  /** The operator's prepared value; computed once for a literal value. */
  prepare(value: unknown): unknown;
}

interface Group {
  kind: 'all' | 'any';
  id: number;
  children: Node[];
  /** The children by priority, highest first, each keeping the analyst's order. */
  sets: Node[][];
}

interface Not {
  kind: 'not';
  id: number;
  child: Node;
}

type Node = Leaf | Group | Not;

interface Compiler {
  rule: string;
  nextId: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The engine's precedence when a condition has several: any, then all, then not. */
const booleanOperator = (c: Json) => (['any', 'all', 'not'] as const).find((op) => Object.hasOwn(c, op));

/** The engine's condition priority: parseInt, and anything falsy counts as 1. */
const conditionPriority = (c: Json) => Number.parseInt(c.priority as string, 10) || 1;

function prioritySets(children: Node[], priorities: number[]): Node[][] {
  const levels = [...new Set(priorities)].sort((a, b) => b - a);
  return levels.map((level) => children.filter((_, i) => priorities[i] === level));
}

function compileCondition(c: unknown, pointer: string, compiler: Compiler): Node {
  const where = `rule "${compiler.rule}" at ${pointer}`;
  if (!isObject(c)) throw new Error(`${where}: a condition must be an object`);
  const op = booleanOperator(c);
  if (op === 'not') {
    return { kind: 'not', id: compiler.nextId++, child: compileCondition(c.not, `${pointer}/not`, compiler) };
  }
  if (op) {
    const list = c[op];
    if (!Array.isArray(list)) throw new Error(`${where}: "${op}" must be an array`);
    const children = list.map((child, i) => compileCondition(child, `${pointer}/${op}/${i}`, compiler));
    const priorities = list.map((child) => conditionPriority(child as Json));
    return { kind: op, id: compiler.nextId++, children, sets: prioritySets(children, priorities) };
  }
  if (Object.hasOwn(c, 'condition')) throw new Error(`${where}: shared condition references are not supported`);
  return compileLeaf(c, pointer, where, compiler);
}

const isFactReference = (value: unknown): value is { fact: unknown; path?: string } =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact');

function compileLeaf(c: Json, pointer: string, where: string, compiler: Compiler): Leaf {
  const { fact, operator, value } = c;
  const path = typeof c.path === 'string' && c.path !== '' ? c.path : undefined;
  if (typeof fact !== 'string' || fact === '') throw new Error(`${where}: "fact" must name a fact`);
  if (!Object.hasOwn(c, 'value')) throw new Error(`${where}: "value" is required`);
  const spec = typeof operator === 'string' ? operatorSpecs.get(operator) : undefined;
  if (!spec) throw new Error(`${where}: Unknown operator: ${String(operator)}`);
  const reference = isFactReference(value);
  if (reference && typeof value.fact !== 'string') throw new Error(`${where}: "value.fact" must name a fact`);
  const prepared = reference ? undefined : spec.prepare(value);
  return {
    kind: 'leaf', id: compiler.nextId++, pointer, fact, path, operator: spec.name, spec,
    readFact: factReader(fact, path, where),
    readValue: reference ? factReader(value.fact as string, value.path || undefined, where) : () => value,
    prepare: reference ? spec.prepare : () => prepared,
  };
}

// ------------------------------------------------------------ compiled rules

interface CompiledRule {
  index: number;
  name: string;
  priority: number;
  event: Event;
  root: Node;
}

function ruleName(rule: Json, index: number): string {
  return rule.name || rule.name === 0 ? String(rule.name) : `rule-${index + 1}`;
}

function compileRule(rule: unknown, index: number, compiler: Compiler): CompiledRule {
  if (!isObject(rule)) throw new Error(`rule ${index + 1} must be an object`);
  const name = ruleName(rule, index);
  compiler.rule = name;
  const { event, conditions } = rule;
  if (!isObject(event) || typeof event.type !== 'string') throw new Error(`rule "${name}": "event.type" must be a string`);
  // The engine: `parseInt(priority || 1)`, refusing anything not above zero.
  const priority = Number.parseInt((rule.priority || 1) as string, 10);
  if (!(priority > 0)) throw new Error(`rule "${name}": Priority must be greater than zero`);
  if (!isObject(conditions) || !(booleanOperator(conditions) || Object.hasOwn(conditions, 'condition'))) {
    throw new Error(`rule "${name}": "conditions" must hold "all", "any" or "not"`);
  }
  return {
    index, name, priority,
    event: event.params === undefined ? { type: event.type } : { type: event.type, params: event.params as Event['params'] },
    root: compileCondition(conditions, '/conditions', compiler),
  };
}

// ------------------------------------------------------------ evaluation

interface Scope {
  facts: Facts;
  now: () => number;
  /** By node id: the result of each node that was evaluated. */
  results: (boolean | undefined)[];
  /** By leaf id: both sides as compared. */
  factValues: unknown[];
  values: unknown[];
}

/** `now` for time-relative operators comes from the `time` fact, so a decision replays identically. */
function nowFrom(facts: Facts): () => number {
  return () => {
    if (!Object.hasOwn(facts, 'time')) throw new Error('Undefined fact: time');
    const now = (facts.time as { now?: unknown } | null)?.now;
    return typeof now === 'number' ? now : NaN;
  };
}

function leafHolds(leaf: Leaf, scope: Scope): boolean {
  // The engine resolves both sides of every evaluated condition; either may throw.
  const value = leaf.readValue(scope.facts);
  const factValue = leaf.readFact(scope.facts);
  scope.values[leaf.id] = value;
  scope.factValues[leaf.id] = factValue;
  return leaf.spec.test(factValue, leaf.prepare(value), scope.now);
}

function groupHolds(group: Group, scope: Scope): boolean {
  if (group.children.length === 0) return true;
  if (group.children.length === 1) return holds(group.children[0], scope);
  const all = group.kind === 'all';
  for (const set of group.sets) {
    let setResult = all;
    for (const child of set) {
      const result = holds(child, scope); // no short cut inside a set
      setResult = all ? setResult && result : setResult || result;
    }
    if (setResult !== all) return setResult;
  }
  return all;
}

function holds(node: Node, scope: Scope): boolean {
  const result = node.kind === 'leaf' ? leafHolds(node, scope) : node.kind === 'not' ? !holds(node.child, scope) : groupHolds(node, scope);
  scope.results[node.id] = result;
  return result;
}

// ------------------------------------------------------------ explanations

function observed(leaf: Leaf, scope: Scope): ConditionFailure {
  const { pointer, fact, path, operator } = leaf;
  const value = scope.values[leaf.id];
  const factValue = scope.factValues[leaf.id];
  // Two literals rather than a spread: this runs for most rules on every decision.
  return path === undefined ? { pointer, fact, operator, value, factValue } : { pointer, fact, path, operator, value, factValue };
}

const evaluationOrder = (group: Group) => (group.children.length === 1 ? group.children : group.sets.flat());

/** The conditions that made a node that failed fail. */
function failures(node: Node, scope: Scope): ConditionFailure[] {
  switch (node.kind) {
    case 'leaf': return [observed(node, scope)];
    case 'not': return held(node.child, scope);
    case 'all': {
      const first = evaluationOrder(node).find((child) => scope.results[child.id] === false);
      return first ? failures(first, scope) : [];
    }
    case 'any': return node.children.flatMap((child) => failures(child, scope));
  }
}

/** The conditions that made a node that held hold (for a failing `not`). */
function held(node: Node, scope: Scope): ConditionFailure[] {
  switch (node.kind) {
    case 'leaf': return [observed(node, scope)];
    case 'not': return failures(node.child, scope);
    case 'all': return node.children.flatMap((child) => held(child, scope));
    case 'any': {
      const first = evaluationOrder(node).find((child) => scope.results[child.id] === true);
      return first ? held(first, scope) : [];
    }
  }
}

function explain(rule: CompiledRule, fired: boolean, scope: Scope): RuleExplanation {
  const { name, priority, event } = rule;
  return fired ? { name, priority, event, fired } : { name, priority, event, fired, failed: failures(rule.root, scope) };
}

// ------------------------------------------------------------ the node

/**
 * Compiles a rules node once; the evaluator it returns decides synchronously
 * over each message's facts. Throws on rules it cannot run (see the header).
 */
export function compileRules({ rules, defaultHandle }: RulesNodeParameters): RulesEvaluator {
  if (!Array.isArray(rules)) throw new Error('"rules" must be an array');
  const compiler: Compiler = { rule: '', nextId: 0 };
  const compiled = rules.map((rule, index) => compileRule(rule, index, compiler));
  // Higher priority first; equal priorities keep the order the analyst gave.
  const ordered = [...compiled].sort((a, b) => b.priority - a.priority || a.index - b.index);
  const nodeCount = compiler.nextId;
  return (facts) => {
    const scope: Scope = { facts, now: nowFrom(facts), results: new Array(nodeCount), factValues: new Array(nodeCount), values: new Array(nodeCount) };
    const fired = ordered.filter((rule) => holds(rule.root, scope));
    return {
      handle: fired[0]?.event.type ?? defaultHandle,
      fired: fired.map((rule) => rule.name),
      rules: compiled.map((rule) => explain(rule, scope.results[rule.root.id] === true, scope)),
    };
  };
}

// ------------------------------------------------------------ facts the rules use

function conditionFacts(c: unknown, into: Set<string>): void {
  if (!isObject(c)) return;
  const op = booleanOperator(c);
  const children = op === 'not' ? [c.not] : op ? c[op] : undefined;
  if (op) {
    if (Array.isArray(children)) for (const child of children) conditionFacts(child, into);
    return;
  }
  if (typeof c.fact === 'string') into.add(c.fact);
  if (isFactReference(c.value) && typeof c.value.fact === 'string') into.add(c.value.fact);
  if (typeof c.operator === 'string' && TIME_RELATIVE_OPERATORS.has(c.operator)) into.add('time');
}

/**
 * The facts the rules read (conditions and fact-valued `value`s; `time` for
 * time-relative operators), so the interpreter gathers I/O facts such as
 * `queue` only for the rules nodes that need them.
 */
export function ruleFacts(rules: readonly RuleProperties[]): Set<string> {
  const facts = new Set<string>();
  for (const rule of rules as unknown[]) if (isObject(rule)) conditionFacts(rule.conditions, facts);
  return facts;
}

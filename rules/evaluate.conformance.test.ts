// Conformance: on many random rule sets and facts (seeded, so a failure
// reproduces), the compiled evaluator fires exactly the rules json-rules-engine
// 7.3.1 fires with allowUndefinedFacts false and the same custom operators —
// or throws exactly when the engine rejects.
import { Engine, type RuleProperties } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { compileRules } from './evaluate';
import { timeFacts } from './facts';
import { createJreOperators, operatorCatalog } from './operators';

const SEED = 20260105;
const RULE_SETS = 300;
const FACT_SETS_PER_RULE_SET = 8;

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const chance = (p: number) => rand() < p;
const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const subset = <T,>(items: readonly T[]): T[] => items.filter(() => chance(0.4));

// ------------------------------------------------------------ facts

const BASE_NOW = Date.UTC(2026, 0, 5, 2, 30);
const TEXTS = ['我要转人工', 'I want a HUMAN', '退款怎么办', '13812345678', 'ＡＧＥＮＴ', '', 'aaaaaaaaaaaaaaaaaaaaaaaa!', 'hello'];
const SCALARS = ['zh', 'en', 'bot', 'queued', 'vip', 'gold', 'text', '3', 3, 0, 1, 60, 0.5, true, false, null, ''];
const SEGMENTS = ['vip', 'gold', 'new', 'beijing'];

function randomContact(now: number): unknown {
  if (chance(0.05)) return pick([null, 'c-1', 7]); // a path then sees the fact itself
  return {
    id: 'c-1',
    vip: chance(0.5),
    tags: subset(SEGMENTS),
    segments: subset(SEGMENTS),
    attributes: chance(0.8) ? { level: pick([1, 2, 3, '3', null]), city: pick(['上海', 'beijing']) } : {},
    orders: chance(0.7) ? [{ status: pick(['paid', 'shipped']), amount: pick([0, 99.5, 1200, '88']), createdAt: now - int(0, 3) * 3_600_000 }] : [],
  };
}

function randomFacts(): Record<string, unknown> {
  const now = BASE_NOW + int(0, 7 * 24) * 3_600_000 + int(0, 59) * 60_000;
  const facts: Record<string, unknown> = {
    message: { text: pick(TEXTS), type: pick(['text', 'image']), language: pick(['zh', 'en']), sentiment: pick(['negative', 'neutral']), ...(chance(0.5) ? { intent: 'refund' } : {}) },
    contact: randomContact(now),
    conversation: { channel: 'webchat', status: pick(['bot', 'queued']), waitSeconds: pick([0, 30, 90, '60']), botConfidence: pick([0, 0.4, 0.9]), attempts: int(0, 3) },
    time: timeFacts(now, pick(['Asia/Shanghai', 'UTC']), chance(0.2) ? ['2026-01-07'] : []),
  };
  if (chance(0.9)) facts.queue = { name: 'general', waiting: int(0, 20), agentsAvailable: int(0, 3) };
  return facts;
}

// ------------------------------------------------------------ rules

const FACT_PATHS: Record<string, (string | undefined)[]> = {
  message: ['$.text', '$.text', '$.language', '$.type', '$.intent', '$.sentiment', '$.text.length', '$.nope', undefined],
  contact: ['$.vip', '$.tags', '$.segments', '$.attributes.level', '$.attributes.city', '$.orders[0].amount', '$.orders[0].createdAt', '$.orders[1].status', '$.tags[0]', undefined],
  conversation: ['$.status', '$.waitSeconds', '$.botConfidence', '$.attempts', '$.channel'],
  time: [undefined, undefined, '$.hour', '$.weekday', '$.now', '$.holiday', '$.date'],
  queue: ['$.waiting', '$.agentsAvailable', '$.name'],
  ghost: ['$.x', undefined],
};
const FACTS = ['message', 'message', 'contact', 'contact', 'conversation', 'time', 'queue'];
const OPERATORS = operatorCatalog.map((o) => o.name);

const numbers = () => pick([0, 1, 3, 10, 60, 0.5, BASE_NOW, '5']);
const list = () => (chance(0.95) ? subset(SCALARS) : pick(['zhen', 'zhen', 3])); // a string is a substring test; a number throws
const VALUES: Record<string, () => unknown> = {
  equal: () => pick(SCALARS),
  notEqual: () => pick(SCALARS),
  lessThan: numbers,
  lessThanInclusive: numbers,
  greaterThan: numbers,
  greaterThanInclusive: numbers,
  in: list,
  notIn: list,
  contains: () => pick([...SCALARS, ...SEGMENTS]),
  doesNotContain: () => pick([...SCALARS, ...SEGMENTS]),
  containsAny: () => pick([['人工', 'human'], ['agent'], '退款', ['', 'x'], []]),
  startsWith: () => pick([['我要'], 'i want', ['ａ'], '']),
  matchesPattern: () => pick(['^\\d{11}$', '投诉|退款', '(a+)+$', 'HUMAN', '[', 5]),
  inBusinessHours: () => pick([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, { days: [1, 3, 7], from: '22:00', to: '06:00' }, { days: [1], from: '9', to: '18:00' }, null]),
  withinLastMinutes: () => pick([5, 60, 150, 1440, -1, 'x']),
  inSegment: () => pick(['vip', ['gold', 'new'], 3, []]),
};

function randomLeaf(): Record<string, unknown> {
  const fact = chance(0.01) ? 'ghost' : pick(FACTS);
  const operator = pick(OPERATORS);
  const leaf: Record<string, unknown> = { fact, operator, value: chance(0.1) ? { fact: pick(FACTS), path: pick(FACT_PATHS.conversation) } : VALUES[operator]() };
  const path = pick(FACT_PATHS[fact]);
  if (path !== undefined) leaf.path = path;
  if (chance(0.15)) leaf.priority = int(1, 3);
  return leaf;
}

function randomCondition(depth: number): Record<string, unknown> {
  if (depth >= 3 || chance(0.6)) return randomLeaf();
  const node: Record<string, unknown> = chance(0.2)
    ? { not: randomCondition(depth + 1) }
    : { [pick(['all', 'any'])]: Array.from({ length: int(0, 4) }, () => randomCondition(depth + 1)) };
  if (chance(0.15)) node.priority = int(1, 3);
  return node;
}

function randomRules(): RuleProperties[] {
  return Array.from({ length: int(1, 6) }, (_, i) => {
    const rule: Record<string, unknown> = {
      name: `r${i}`,
      conditions: { [pick(['all', 'any', 'not'])]: chance(0.2) ? randomLeaf() : Array.from({ length: int(1, 4) }, () => randomCondition(1)) },
      event: { type: pick(['queue', 'vip', 'escalate', 'end']) },
    };
    // `not` takes one condition, all/any a list.
    const root = rule.conditions as Record<string, unknown>;
    if ('not' in root && Array.isArray(root.not)) root.not = root.not[0];
    if (!('not' in root) && !Array.isArray(Object.values(root)[0])) root[Object.keys(root)[0]] = [Object.values(root)[0]];
    if (chance(0.6)) rule.priority = int(1, 4);
    return rule as unknown as RuleProperties;
  });
}

// ------------------------------------------------------------ the two paths

type Decision = { handle: string; fired: string[] } | { error: true };

function compiled(rules: RuleProperties[], facts: Record<string, unknown>): Decision {
  try {
    const { handle, fired } = compileRules({ rules, defaultHandle: 'default' })(facts);
    return { handle, fired };
  } catch {
    return { error: true };
  }
}

async function engine(rules: RuleProperties[], facts: Record<string, unknown>): Promise<Decision> {
  const e = new Engine([], { allowUndefinedFacts: false });
  for (const op of createJreOperators((facts.time as { now: number }).now)) e.addOperator(op);
  for (const rule of structuredClone(rules)) e.addRule(rule); // the engine rewrites condition priorities in place
  try {
    const { results } = await e.run(structuredClone(facts));
    const index = (name: string) => rules.findIndex((r) => r.name === name);
    const fired = results
      .sort((a, b) => (b.priority ?? 1) - (a.priority ?? 1) || index(a.name) - index(b.name))
      .map((r) => r.name);
    return { handle: results[0]?.event?.type ?? 'default', fired };
  } catch {
    return { error: true };
  }
}

describe('compiled rules conform to json-rules-engine 7.3.1', () => {
  it(`fire the same rules on ${RULE_SETS} random rule sets × ${FACT_SETS_PER_RULE_SET} fact sets (seed ${SEED})`, async () => {
    const seen = { decisions: 0, errors: 0, fired: 0, defaulted: 0 };
    for (let set = 0; set < RULE_SETS; set++) {
      const rules = randomRules();
      for (let f = 0; f < FACT_SETS_PER_RULE_SET; f++) {
        const facts = randomFacts();
        const expected = await engine(rules, facts);
        const actual = compiled(rules, facts);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          expect({ rules, facts, actual }).toEqual({ rules, facts, actual: expected });
        }
        seen.decisions++;
        if ('error' in actual) seen.errors++;
        else if (actual.fired.length > 0) seen.fired++;
        else seen.defaulted++;
      }
    }
    // The generator must exercise every outcome, or the comparison proves little.
    expect(seen.decisions).toBe(RULE_SETS * FACT_SETS_PER_RULE_SET);
    for (const outcome of ['errors', 'fired', 'defaulted'] as const) expect(seen[outcome], outcome).toBeGreaterThan(seen.decisions * 0.1);
  });
});

// `npm run bench:rules`: the cost of one routing decision in a 200-rule rules
// node, for the project's path (compileRules once, then a synchronous
// evaluation per decision, as the conversation workflow does) and for the
// naive path (a json-rules-engine Engine built per decision with the same
// custom operators, then run). The rules are realistic: mixed operators,
// nested any/all/not, paths into contact attributes and orders, patterns.
//
// Both paths decide every sampled decision; the run fails if they ever
// disagree. Progress goes to stderr; stdout gets the table and, as its last
// line, one JSON object with every figure and the target checks.
import { cpus, loadavg } from 'node:os';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { compileRules, type Facts } from '../../rules/evaluate';
import { timeFacts } from '../../rules/facts';
import { createJreOperators } from '../../rules/operators';
import { percentile } from './report';

const RULES = 200;
const FACT_SETS = 50;
const WARMUP = { project: 1000, naive: 100 };
const DECISIONS = 2000;
const TARGETS = { p99Ms: 5, minSpeedup: 10 } as const;
const DEFAULT_HANDLE = 'bot-again';

const log = (line: string) => console.error(`[bench:rules] ${line}`);

// ---------------------------------------------------------------- rules

const PHRASES = [['投诉', 'complain'], ['退款', 'refund'], ['发票', 'invoice'], ['物流', '快递', 'delivery'], ['人工', 'agent', 'human'], ['价格', 'price'], ['会员', 'member'], ['坏了', 'broken']];
const PATTERNS = ['订单号?\\s*\\d{6,}', '1[3-9]\\d{9}', '(退|换)货', 'order\\s*#?\\d+', '[\\w.]+@[\\w-]+\\.\\w+'];
const HANDLES = ['queue-vip', 'queue-general', 'after-hours', 'escalate', 'order-desk', 'billing', 'complaints', 'callback'];

/** The i-th rule: one of eight shapes analysts draw, with its own phrases, thresholds and priority. */
function makeRule(i: number): RuleProperties {
  const phrases = PHRASES[i % PHRASES.length];
  const k = Math.floor(i / 8);
  const shapes: RuleProperties['conditions'][] = [
    { all: [
      { fact: 'message', path: '$.text', operator: 'containsAny', value: phrases },
      { any: [{ fact: 'contact', path: '$.vip', operator: 'equal', value: true }, { fact: 'contact', path: '$.segments', operator: 'inSegment', value: [`tier-${k % 4}`, 'platinum'] }] },
    ] },
    { all: [
      { not: { fact: 'time', operator: 'inBusinessHours', value: { days: [1, 2, 3, 4, 5], from: `0${8 + (k % 2)}:00`, to: `${17 + (k % 3)}:00` } } },
      { fact: 'message', path: '$.language', operator: 'equal', value: k % 2 ? 'en' : 'zh' },
    ] },
    { all: [
      { fact: 'contact', path: '$.orders[0].createdAt', operator: 'withinLastMinutes', value: 30 + k * 10 },
      { fact: 'contact', path: '$.orders[0].status', operator: 'in', value: ['paid', 'shipped'] },
      { fact: 'message', path: '$.text', operator: 'matchesPattern', value: PATTERNS[k % PATTERNS.length] },
    ] },
    { all: [
      { fact: 'queue', path: '$.waiting', operator: 'greaterThan', value: 5 + k },
      { fact: 'queue', path: '$.agentsAvailable', operator: 'lessThanInclusive', value: k % 3 },
      { fact: 'conversation', path: '$.waitSeconds', operator: 'greaterThanInclusive', value: 30 + k * 5 },
    ] },
    { all: [
      { fact: 'conversation', path: '$.channel', operator: 'equal', value: ['webchat', 'wechat', 'email'][k % 3] },
      { fact: 'message', path: '$.intent', operator: 'in', value: [`faq-${k}`, `faq-${k + 1}`] },
      { any: [{ fact: 'message', path: '$.sentiment', operator: 'equal', value: 'negative' }, { fact: 'conversation', path: '$.attempts', operator: 'greaterThan', value: 2 }] },
    ] },
    { all: [
      { fact: 'contact', path: '$.attributes.level', operator: 'greaterThanInclusive', value: 1 + (k % 5) },
      { fact: 'contact', path: '$.tags', operator: 'contains', value: `key-account-${k % 6}` },
      { fact: 'message', path: '$.text', operator: 'startsWith', value: phrases },
    ] },
    { all: [
      { fact: 'conversation', path: '$.botAnswered', operator: 'equal', value: false },
      { fact: 'conversation', path: '$.botConfidence', operator: 'lessThan', value: 0.2 + (k % 5) / 10 },
      { not: { fact: 'contact', path: '$.tags', operator: 'contains', value: 'blocked' } },
      { fact: 'contact', path: '$.attributes.city', operator: 'notIn', value: ['测试', 'test'] },
    ] },
    { any: [
      { fact: 'message', path: '$.text', operator: 'matchesPattern', value: PATTERNS[(k + 1) % PATTERNS.length] },
      { all: [{ fact: 'message', path: '$.text', operator: 'containsAny', value: ['电话', 'phone', 'call me'] }, { fact: 'time', path: '$.hour', operator: 'lessThan', value: 20 + (k % 4) }] },
    ] },
  ];
  return { name: `rule-${i + 1}`, priority: 1 + (i % 10), conditions: shapes[i % shapes.length], event: { type: HANDLES[(i + k) % HANDLES.length] } };
}

// ---------------------------------------------------------------- facts

const TEXTS = ['你好，我的快递三天没动了', '我要投诉，东西坏了', '发票怎么开', 'I want a refund for order #123456', '转人工', '价格是多少', '请打电话 13812345678', 'hello', '退货流程是什么', '会员积分怎么用'];

/** The i-th decision's facts: what a conversation holds when it reaches the rules node. */
function makeFacts(i: number): Facts {
  const now = Date.UTC(2026, 0, 5, 0, 0) + i * 97 * 60_000; // spread over a week, in and out of business hours
  return {
    message: { text: TEXTS[i % TEXTS.length], type: 'text', language: i % 3 ? 'zh' : 'en', intent: `faq-${i % 30}`, sentiment: i % 4 ? 'neutral' : 'negative' },
    contact: {
      id: `c-${i}`, name: '王小明', vip: i % 7 === 0, tags: [`key-account-${i % 6}`, ...(i % 9 ? [] : ['blocked'])], segments: [`tier-${i % 4}`],
      attributes: { level: i % 6, city: i % 2 ? '上海' : '北京' },
      orders: [{ id: `o-${i}`, status: ['paid', 'shipped', 'delivered'][i % 3], amount: 99 + i, createdAt: now - (i % 12) * 15 * 60_000 }],
      channels: [{ channel: 'webchat', inboxId: 'inbox-1', externalId: `v-${i}` }],
    },
    conversation: {
      channel: ['webchat', 'wechat', 'email'][i % 3], inboxId: 'inbox-1', status: 'bot', waitSeconds: (i * 13) % 200,
      botAnswered: i % 3 === 0, botConfidence: (i % 10) / 10, attempts: i % 4, previousAgentId: '',
    },
    time: timeFacts(now),
    queue: { name: 'general', waiting: i % 25, agentsAvailable: i % 4 },
  };
}

// ---------------------------------------------------------------- the two paths

interface Decision {
  handle: string;
  fired: string[];
}

const RULE_SET = Array.from({ length: RULES }, (_, i) => makeRule(i));
const FACTS = Array.from({ length: FACT_SETS }, (_, i) => makeFacts(i));
const ruleIndex = new Map(RULE_SET.map((r, i) => [r.name, i]));

async function naiveDecision(facts: Facts): Promise<Decision> {
  const engine = new Engine(RULE_SET, { allowUndefinedFacts: false });
  for (const op of createJreOperators((facts.time as { now: number }).now)) engine.addOperator(op);
  const { results } = await engine.run(facts);
  const fired = results.sort((a, b) => (b.priority ?? 1) - (a.priority ?? 1) || ruleIndex.get(a.name)! - ruleIndex.get(b.name)!);
  return { handle: fired[0]?.event?.type ?? DEFAULT_HANDLE, fired: fired.map((r) => r.name) };
}

/** Runs `decide` over the fact sets in turn: `warmup` unmeasured, then DECISIONS timed one by one. */
async function measure(name: string, warmup: number, decide: (facts: Facts) => Decision | Promise<Decision>): Promise<{ ms: number[]; decisions: Decision[] }> {
  for (let i = 0; i < warmup; i++) await decide(FACTS[i % FACT_SETS]);
  const ms: number[] = [];
  const decisions: Decision[] = [];
  for (let i = 0; i < DECISIONS; i++) {
    const facts = FACTS[i % FACT_SETS];
    const start = performance.now();
    const decision = await decide(facts);
    ms.push(performance.now() - start);
    if (i < FACT_SETS) decisions.push(decision);
  }
  log(`${name}: ${DECISIONS} decisions after ${warmup} warm-up`);
  return { ms, decisions };
}

// ---------------------------------------------------------------- report

const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const stats = (ms: number[]) => ({ medianMs: round(percentile(ms, 50)), p99Ms: round(percentile(ms, 99)), maxMs: round(percentile(ms, 100)) });

function countConditions(c: unknown): number {
  if (c === null || typeof c !== 'object') return 0;
  const node = c as Record<string, unknown>;
  const children = node.all ?? node.any ?? (node.not ? [node.not] : undefined);
  return Array.isArray(children) ? children.reduce((n: number, child) => n + countConditions(child), 0) : 1;
}

async function main(): Promise<void> {
  const compileStart = performance.now();
  const evaluate = compileRules({ rules: RULE_SET, defaultHandle: DEFAULT_HANDLE });
  const compileMs = performance.now() - compileStart;
  const project = await measure('project path', WARMUP.project, (facts) => {
    const { handle, fired } = evaluate(facts);
    return { handle, fired };
  });
  const naive = await measure('naive path', WARMUP.naive, naiveDecision);
  const disagreements = project.decisions.filter((d, i) => JSON.stringify(d) !== JSON.stringify(naive.decisions[i])).length;
  const projectStats = stats(project.ms);
  const naiveStats = stats(naive.ms);
  const speedup = { median: round(naiveStats.medianMs / projectStats.medianMs, 1), p99: round(naiveStats.p99Ms / projectStats.p99Ms, 1) };
  const fired = project.decisions.map((d) => d.fired.length);
  const result = {
    bench: 'rules',
    node: process.version,
    // Tail figures on a busy machine measure its scheduler as much as the code: say how busy it was.
    machine: { cpus: cpus().length, loadAverage1m: round(loadavg()[0], 2) },
    rules: RULES,
    conditions: RULE_SET.reduce((n, r) => n + countConditions(r.conditions), 0),
    factSets: FACT_SETS,
    decisions: DECISIONS,
    warmup: WARMUP,
    firedPerDecision: { min: Math.min(...fired), max: Math.max(...fired) },
    handles: [...new Set(project.decisions.map((d) => d.handle))].sort(),
    disagreements,
    project: { compileMs: round(compileMs), ...projectStats },
    naive: naiveStats,
    speedup,
    targets: {
      p99: { limitMs: TARGETS.p99Ms, valueMs: projectStats.p99Ms, pass: projectStats.p99Ms <= TARGETS.p99Ms },
      speedup: { min: TARGETS.minSpeedup, value: speedup.median, pass: speedup.median >= TARGETS.minSpeedup },
    },
  };
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const rows: [string, string][] = [
    ['machine', `${result.machine.cpus} CPUs, load average ${result.machine.loadAverage1m} (1 min)`],
    ['rules / leaf conditions', `${result.rules} / ${result.conditions}`],
    ['decisions (fact sets)', `${DECISIONS} (${FACT_SETS}), after ${WARMUP.project} / ${WARMUP.naive} warm-up`],
    ['rules fired per decision', `${result.firedPerDecision.min}–${result.firedPerDecision.max}; handles: ${result.handles.join(', ')}`],
    ['paths agree', disagreements === 0 ? 'yes' : `NO: ${disagreements} of ${FACT_SETS} fact sets differ`],
    ['project: compile once', `${result.project.compileMs} ms`],
    ['project: median / p99 / max', `${projectStats.medianMs} / ${projectStats.p99Ms} / ${projectStats.maxMs} ms`],
    ['naive: median / p99 / max', `${naiveStats.medianMs} / ${naiveStats.p99Ms} / ${naiveStats.maxMs} ms`],
    ['speed-up median / p99', `${speedup.median}× / ${speedup.p99}×`],
    [`target: project p99 ≤ ${TARGETS.p99Ms} ms`, `${verdict(result.targets.p99.pass)} (${projectStats.p99Ms} ms)`],
    [`target: ≥ ${TARGETS.minSpeedup}× faster than naive (median)`, `${verdict(result.targets.speedup.pass)} (${speedup.median}×)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(['Huiliu rules benchmark: one routing decision, 200-rule node', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'));
  console.log(JSON.stringify(result));
  if (disagreements > 0) process.exitCode = 1;
}

await main();

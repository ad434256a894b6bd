// `npm run eval:routing -- [--seed 42] [--agents 30] [--days 5]`: judges the
// routing brain offline with the seeded simulator (activities/routing/
// simulator.ts): rules-only vs learned routing on the same customers, and the
// queue-position wait estimate against the actual waits. stdout gets a table
// and, as its last line, one JSON object with every figure.
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, evaluateRouting, type ArmReport } from '../activities/routing/simulator';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_OPTIONS.seed) },
    agents: { type: 'string', default: String(DEFAULT_OPTIONS.agents) },
    days: { type: 'string', default: String(DEFAULT_OPTIONS.days) },
  },
});

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (name === 'seed' ? 0 : 1)) {
    console.error(`[eval:routing] --${name} must be a ${name === 'seed' ? 'non-negative' : 'positive'} integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const started = performance.now();
const report = evaluateRouting({
  seed: positiveInteger('seed', values.seed),
  agents: positiveInteger('agents', values.agents),
  days: positiveInteger('days', values.days),
});
const seconds = (performance.now() - started) / 1000;

type Row = [label: string, pick: (arm: ArmReport) => number, digits: number, better: 'higher' | 'lower' | ''];
const ROWS: Row[] = [
  ['mean CSAT (1-5)', (a) => a.meanCsat, 3, 'higher'],
  ['resolution rate', (a) => a.resolutionRate, 3, 'higher'],
  ['mean wait (s)', (a) => a.meanWaitSeconds, 1, 'lower'],
  ['p90 wait (s)', (a) => a.p90WaitSeconds, 1, 'lower'],
  ['abandonment rate', (a) => a.abandonmentRate, 3, 'lower'],
  ['mean handle time (s)', (a) => a.meanHandleSeconds, 1, 'lower'],
  ['load balance (CV busy time)', (a) => a.loadBalanceCv, 3, 'lower'],
  ['assignments', (a) => a.assignments, 0, ''],
  ['estimate: customers who waited', (a) => a.estimate.customers, 0, ''],
  ['estimate: MAE (s)', (a) => a.estimate.maeSeconds, 1, 'lower'],
  ['estimate: median APE (%)', (a) => a.estimate.mdapePercent, 1, 'lower'],
];

const { rules, learned } = report.arms;
const table = ROWS.map(([label, pick, digits, better]) => {
  const before = pick(rules);
  const after = pick(learned);
  const verdict = better === '' || after === before ? '' : (after > before) === (better === 'higher') ? 'better' : 'worse';
  const change = before === 0 ? '' : `${after >= before ? '+' : ''}${(((after - before) / Math.abs(before)) * 100).toFixed(1)}%`;
  return [label, before.toFixed(digits), after.toFixed(digits), change, verdict];
});
const header = ['figure', 'rules-only', 'learned', 'change', ''];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();

const { options } = report;
console.log(`Routing evaluation: seed ${options.seed}, ${options.agents} agents, ${options.days} days, ${options.arrivalsPerAgentHour} arrivals per agent-hour on shift`);
console.log(`History (rules-only): ${report.history.conversations} conversations, ${report.history.surveyed} with CSAT; model vs hidden proficiency: r = ${report.modelTruthCorrelation.toFixed(3)}`);
console.log('');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(line(row));
console.log('');
console.log(`(${seconds.toFixed(1)} s)`);
// Figures rounded to 4 decimals: more would be noise from the simulation, not information.
console.log(JSON.stringify({ ...report, elapsedSeconds: seconds }, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 1e4) / 1e4 : value)));

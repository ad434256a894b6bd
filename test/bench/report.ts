// Figures and their presentation for the web chat benchmark: percentiles, the
// targets, a readable table and the one-line JSON summary.

export interface BenchParams {
  visitorsRequested: number;
  visitors: number;
  rate: number;
  durationS: number;
}

export interface BenchRaw {
  sent: number;
  accepted: number;
  /** Failures by kind: an HTTP status or a network error code. */
  errors: Record<string, number>;
  /** Scheduled sends dropped because the in-flight limit was reached. */
  skipped: number;
  loadElapsedS: number;
  /** Visitor streams that closed before the end of the run. */
  streamsLost: number;
  ackMs: number[];
  botReplyMs: number[];
}

export interface BenchResult {
  visitorsRequested: number;
  visitors: number;
  rate: number;
  durationS: number;
  sent: number;
  accepted: number;
  errors: number;
  errorsByKind: Record<string, number>;
  skipped: number;
  acceptedPerSec: number;
  ackMs: { p50: number; p95: number; p99: number; max: number };
  botReplyMs: { p50: number; p95: number; p99: number };
  repliesSeen: number;
  repliesMissing: number;
  streamsLost: number;
  targets: { ackP99: Target; botReplyP50: Target };
}

interface Target {
  limitMs: number;
  pass: boolean;
}

export const TARGETS = { ackP99Ms: 50, botReplyP50Ms: 300, atRate: 100 } as const;

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : NaN);

export function summarize({ visitorsRequested, visitors, rate, durationS }: BenchParams, raw: BenchRaw): BenchResult {
  const errors = Object.values(raw.errors).reduce((a, b) => a + b, 0);
  const ack = (p: number) => round(percentile(raw.ackMs, p));
  const reply = (p: number) => round(percentile(raw.botReplyMs, p));
  const ackMs = { p50: ack(50), p95: ack(95), p99: ack(99), max: ack(100) };
  const botReplyMs = { p50: reply(50), p95: reply(95), p99: reply(99) };
  return {
    visitorsRequested,
    visitors,
    rate,
    durationS,
    sent: raw.sent,
    accepted: raw.accepted,
    errors,
    errorsByKind: raw.errors,
    skipped: raw.skipped,
    acceptedPerSec: round(raw.accepted / raw.loadElapsedS),
    ackMs,
    botReplyMs,
    repliesSeen: raw.botReplyMs.length,
    repliesMissing: raw.accepted - raw.botReplyMs.length,
    streamsLost: raw.streamsLost,
    targets: {
      ackP99: { limitMs: TARGETS.ackP99Ms, pass: ackMs.p99 <= TARGETS.ackP99Ms },
      botReplyP50: { limitMs: TARGETS.botReplyP50Ms, pass: botReplyMs.p50 <= TARGETS.botReplyP50Ms },
    },
  };
}

const verdict = (t: Target) => (t.pass ? 'PASS' : 'FAIL');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');

/** The human-readable report: parameters, figures, targets. */
export function formatTable(r: BenchResult): string {
  const visitors = r.visitors === r.visitorsRequested
    ? String(r.visitors)
    : `${r.visitors} (raised from ${r.visitorsRequested}: each visitor sends at most one message per 2 s)`;
  const errorKinds = Object.entries(r.errorsByKind).map(([kind, n]) => `${kind}×${n}`).join(', ');
  const rows: [string, string][] = [
    ['visitors', visitors],
    ['target rate', `${r.rate} msg/s for ${r.durationS} s`],
    ['sent', String(r.sent)],
    ['accepted (202)', String(r.accepted)],
    ['errors', r.errors ? `${r.errors} (${errorKinds})` : '0'],
    ['skipped (in-flight limit)', String(r.skipped)],
    ['accepted per second', r.acceptedPerSec.toFixed(1)],
    ['ack latency p50 / p95', `${ms(r.ackMs.p50)} / ${ms(r.ackMs.p95)}`],
    ['ack latency p99 / max', `${ms(r.ackMs.p99)} / ${ms(r.ackMs.max)}`],
    ['bot reply p50 / p95 / p99', `${ms(r.botReplyMs.p50)} / ${ms(r.botReplyMs.p95)} / ${ms(r.botReplyMs.p99)}`],
    ['bot replies seen / missing', `${r.repliesSeen} / ${r.repliesMissing}`],
    ['visitor streams lost', String(r.streamsLost)],
    [`target: ack p99 ≤ ${TARGETS.ackP99Ms} ms at ${TARGETS.atRate} msg/s`, `${verdict(r.targets.ackP99)} (${ms(r.ackMs.p99)})`],
    [`target: bot reply p50 ≤ ${TARGETS.botReplyP50Ms} ms`, `${verdict(r.targets.botReplyP50)} (${ms(r.botReplyMs.p50)})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Huiliu web chat benchmark', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

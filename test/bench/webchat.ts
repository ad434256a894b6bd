// `npm run bench`: the web chat benchmark. Starts the real platform in a
// throwaway directory (Temporal dev server, FerretDB, the worker and the API
// server as separate processes, loopback only), opens one realtime stream per
// visitor, sends FAQ questions at a fixed total rate (open loop) and measures
// the POST round trip and the time until the bot's answer reaches the visitor.
//
//   npm run bench -- [--visitors 50] [--rate 100] [--duration 20] [--keep]
//
// BENCH_PROF=<dir> runs the worker and the server with --cpu-prof and leaves
// their CPU profiles (one per thread) in <dir>/worker and <dir>/server.
//
// Progress goes to stderr; stdout gets the report table and, as its last line,
// one JSON object with every figure. Child process output goes to log files in
// the temp dir (kept with --keep).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEMO_INBOX_ID } from '../../server/seed';
import { openLoop, platform, positive, sleep, type PlatformHandle } from './platform';
import { formatTable, summarize, type BenchParams, type BenchRaw } from './report';

/** FAQ questions the demo bot answers (none contains a hand-off phrase such as 客服 or agent). */
const TEXTS = ['你们的营业时间是几点？', 'How do I get a refund?', '运费多少', '怎么开发票'];
const MIN_VISITOR_INTERVAL_S = 2;
const MAX_IN_FLIGHT = 256;
const STREAM_OPEN_TIMEOUT_MS = 30_000;
const STREAM_OPEN_CONCURRENCY = 20;
const REQUEST_TIMEOUT_MS = 30_000;
const REPLY_WAIT_MS = 30_000;

const log = (line: string) => console.error(`[bench] ${line}`);

// ---------------------------------------------------------------- options

interface Options extends BenchParams {
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      visitors: { type: 'string', default: '50' },
      rate: { type: 'string', default: '100' },
      duration: { type: 'string', default: '20' },
      keep: { type: 'boolean', default: false },
    },
  });
  const visitorsRequested = positive('visitors', values.visitors, true);
  const rate = positive('rate', values.rate, false);
  // The load is spread so that no visitor writes more than once per 2 s.
  const visitors = Math.max(visitorsRequested, Math.ceil(rate * MIN_VISITOR_INTERVAL_S));
  return { visitorsRequested, visitors, rate, durationS: positive('duration', values.duration, false), keep: values.keep };
}

// ---------------------------------------------------------------- visitors

interface SentMessage {
  clientMessageId: string;
  sentAt: number;
  ackMs?: number;
  accepted: boolean;
  repliedAt?: number;
}

interface Visitor {
  id: string;
  sent: Map<string, SentMessage>; // by clientMessageId
  /** Own messages seen in the stream, oldest first, whose bot reply has not come yet. */
  awaitingReply: SentMessage[];
}

interface StreamedMessage {
  author: string;
  clientMessageId?: string;
}

const streams = new Set<http.ClientRequest>();
let streamsLost = 0;

/** Pairs each bot message with the oldest of the visitor's messages still waiting for one. */
function onStreamedMessage(visitor: Visitor, message: StreamedMessage, at: number): void {
  if (message.author === 'visitor' && message.clientMessageId) {
    const sent = visitor.sent.get(message.clientMessageId);
    if (sent) visitor.awaitingReply.push(sent);
  } else if (message.author === 'bot') {
    const answered = visitor.awaitingReply.shift();
    if (answered) answered.repliedAt = at;
  }
}

/** Splits an SSE byte stream into `event: message` payloads. */
function parseEvents(buffer: string, onData: (data: string) => void): string {
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const lines = buffer.slice(0, end).split('\n');
    buffer = buffer.slice(end + 2);
    const data = lines.find((l) => l.startsWith('data: '));
    if (data && lines.includes('event: message')) onData(data.slice('data: '.length));
  }
  return buffer;
}

/** Opens the visitor's realtime stream; resolves once the server answered 200. */
function openStream(baseUrl: string, visitor: Visitor): Promise<void> {
  const url = `${baseUrl}/api/v1/webchat/${DEMO_INBOX_ID}/visitors/${visitor.id}/stream`;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' }, timeout: STREAM_OPEN_TIMEOUT_MS });
    streams.add(req);
    req.once('timeout', () => req.destroy(new Error(`stream of ${visitor.id} did not open in time`)));
    req.on('error', reject); // after the 200 this no longer matters: the close handler counts the loss
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`stream of ${visitor.id} answered ${res.statusCode}`));
        return;
      }
      req.setTimeout(0);
      res.setEncoding('utf8');
      res.on('error', () => undefined); // a broken stream is counted on close
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer = parseEvents(buffer + chunk, (data) => onStreamedMessage(visitor, JSON.parse(data) as StreamedMessage, at));
      });
      res.once('close', () => { if (!streamsClosing) streamsLost++; });
      resolve();
    });
  });
}

async function openStreams(baseUrl: string, visitors: Visitor[]): Promise<void> {
  let next = 0;
  const opener = async () => {
    while (next < visitors.length) await openStream(baseUrl, visitors[next++]);
  };
  await Promise.all(Array.from({ length: STREAM_OPEN_CONCURRENCY }, opener));
}

function closeStreams(): void {
  for (const req of streams) req.destroy();
}

// ---------------------------------------------------------------- load

interface PostOutcome {
  status?: number;
  error?: string;
}

/** POSTs JSON and reads the whole answer (the round trip the ack latency measures). */
function postJson(agent: http.Agent, url: string, body: unknown): Promise<PostOutcome> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', agent, timeout: REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode }));
    });
    req.end(payload);
  });
}

interface LoadStats {
  sent: number;
  skipped: number;
  errors: Record<string, number>;
  elapsedS: number;
}

async function sendMessage(agent: http.Agent, url: string, visitor: Visitor, text: string, stats: LoadStats): Promise<void> {
  const message: SentMessage = { clientMessageId: randomUUID(), sentAt: performance.now(), accepted: false };
  visitor.sent.set(message.clientMessageId, message);
  stats.sent++;
  const outcome = await postJson(agent, url, { visitorId: visitor.id, clientMessageId: message.clientMessageId, text });
  message.ackMs = performance.now() - message.sentAt;
  message.accepted = outcome.status === 202;
  if (!message.accepted) {
    const kind = outcome.error ?? String(outcome.status);
    stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
  }
}

/**
 * Open loop: message k goes out at start + k/rate whatever the answers, to the
 * visitors in turn. When MAX_IN_FLIGHT requests are outstanding the message is
 * skipped (and counted) rather than queued.
 */
async function runLoad(baseUrl: string, visitors: Visitor[], opts: Options): Promise<LoadStats> {
  const url = `${baseUrl}/api/v1/webchat/${DEMO_INBOX_ID}/messages`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const stats: LoadStats = { sent: 0, skipped: 0, errors: {}, elapsedS: 0 };
  try {
    // Each request ends within REQUEST_TIMEOUT_MS.
    const { skipped, elapsedS } = await openLoop({ ...opts, maxInFlight: MAX_IN_FLIGHT }, (k) => {
      const round = Math.floor(k / visitors.length);
      return sendMessage(agent, url, visitors[k % visitors.length], TEXTS[(k + round) % TEXTS.length], stats);
    });
    Object.assign(stats, { skipped, elapsedS });
  } finally {
    agent.destroy();
  }
  return stats;
}

const acceptedMessages = (visitors: Visitor[]) => visitors.flatMap((v) => [...v.sent.values()]).filter((m) => m.accepted);

async function waitForReplies(visitors: Visitor[]): Promise<void> {
  const accepted = acceptedMessages(visitors);
  const deadline = Date.now() + REPLY_WAIT_MS;
  while (Date.now() < deadline && accepted.some((m) => m.repliedAt === undefined)) await sleep(100);
}

function collect(visitors: Visitor[], stats: LoadStats): BenchRaw {
  const accepted = acceptedMessages(visitors);
  return {
    sent: stats.sent,
    accepted: accepted.length,
    errors: stats.errors,
    skipped: stats.skipped,
    loadElapsedS: stats.elapsedS,
    streamsLost,
    ackMs: accepted.map((m) => m.ackMs!),
    botReplyMs: accepted.filter((m) => m.repliedAt !== undefined).map((m) => m.repliedAt! - m.sentAt),
  };
}

// ---------------------------------------------------------------- main

async function bench(opts: Options, stack: PlatformHandle): Promise<BenchRaw> {
  const { url: baseUrl } = await stack.start();
  const tag = randomUUID().slice(0, 8);
  const visitors: Visitor[] = Array.from({ length: opts.visitors }, (_, i) => ({ id: `bench-${tag}-${i}`, sent: new Map(), awaitingReply: [] }));
  log(`ready at ${baseUrl}; opening ${visitors.length} visitor streams`);
  await openStreams(baseUrl, visitors);
  log(`sending ${opts.rate} msg/s for ${opts.durationS} s from ${visitors.length} visitors`);
  const stats = await runLoad(baseUrl, visitors, opts);
  log(`load done in ${stats.elapsedS.toFixed(1)} s; waiting up to ${REPLY_WAIT_MS / 1000} s for the last bot replies`);
  await waitForReplies(visitors);
  return collect(visitors, stats);
}

/** Closes the visitor streams, then stops the platform (idempotent). */
let streamsClosing = false;
function stopAll(stack: PlatformHandle): Promise<void> {
  streamsClosing = true;
  closeStreams();
  return stack.stop();
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const stack = platform(mkdtempSync(join(tmpdir(), 'huiliu-bench-')), { keep: opts.keep, log });
  const interrupt = async (code: number) => {
    if (stack.stopping) return; // a second signal (tsx relays them too), or already stopping
    log('interrupted; stopping');
    await stopAll(stack);
    process.exit(code);
  };
  process.on('SIGINT', () => void interrupt(130));
  process.on('SIGTERM', () => void interrupt(143));
  try {
    const raw = await Promise.race([bench(opts, stack), stack.crashed]);
    await stopAll(stack);
    const result = summarize(opts, raw);
    console.log(formatTable(result));
    console.log(JSON.stringify(result));
  } catch (err) {
    if (!stack.stopping) log(`failed: ${(err as Error).message}${opts.keep ? '' : '\n(run with --keep to keep the logs)'}`);
    await stopAll(stack);
    process.exit(1);
  }
}

await main().catch((err: Error) => {
  log(err.message); // bad options: nothing was started yet
  process.exit(2);
});

// `npm run bench:webhooks`: the WeChat webhook benchmark. Starts the real
// platform in a throwaway directory (test/bench/platform.ts) and a local
// WeChat API (fake-wechat-server.ts) for the replies, creates a safe-mode
// WeChat inbox through the API, then posts signed, encrypted text messages at a
// fixed total rate (open loop) from many openids — none writes more than once
// per 2 s — and re-posts ~5% as WeChat retries (same MsgId). It measures the
// POST ack latency, then waits (bounded) for the pipeline to drain and counts
// in the database how many accepted messages were stored exactly once.
// During the load it also times GET /healthz, which does no work at all: the
// floor under any acknowledgement on this machine at this load.
//
//   npm run bench:webhooks -- [--rate 200] [--duration 20] [--openids N] [--retry-share 0.05] [--keep]
//
// Progress goes to stderr; stdout gets the report table and, as its last line,
// one JSON object with every figure. Child process output goes to log files in
// the temp dir (kept with --keep).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openStore } from '../../activities/store';
import { wechatCipher } from '../../activities/channels/wechat/crypto';
import { startFakeWechatServer, type FakeWechatServer } from '../../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../../activities/channels/wechat/signature';
import { buildWechatXml } from '../../activities/channels/wechat/xml';
import { openLoop, platform, positive, sleep, type PlatformHandle } from './platform';
import { percentile } from './report';
import { wechatApp } from '../support/wechat-app';

/** FAQ questions the demo bot answers (none contains a hand-off phrase such as 客服 or agent). */
const TEXTS = ['你们的营业时间是几点？', 'How do I get a refund?', '运费多少', '怎么开发票'];
const MIN_OPENID_INTERVAL_S = 2;
const MAX_IN_FLIGHT = 256;
const REQUEST_TIMEOUT_MS = 30_000;
const FLOOR_PROBE_EVERY_MS = 50;
/** The drain wait ends when everything is stored and answered, when nothing new was stored for DRAIN_STALL_MS, or at DRAIN_MAX_MS. */
const DRAIN_STALL_MS = 20_000;
const DRAIN_MAX_MS = 300_000;
const TARGETS = { ackP99Ms: 100, atRate: 200, lost: 0, duplicated: 0 } as const;

const log = (line: string) => console.error(`[bench:webhooks] ${line}`);

// ---------------------------------------------------------------- options

interface Options {
  rate: number;
  durationS: number;
  openidsRequested: number | null;
  openids: number;
  retryShare: number;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string', default: '200' },
      duration: { type: 'string', default: '20' },
      openids: { type: 'string' },
      'retry-share': { type: 'string', default: '0.05' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rate = positive('rate', values.rate, false);
  const openidsRequested = values.openids === undefined ? null : positive('openids', values.openids, true);
  const retryShare = Number(values['retry-share']);
  if (!(retryShare >= 0 && retryShare < 0.5)) throw new Error(`--retry-share must be in [0, 0.5), got "${values['retry-share']}"`);
  // Round robin over the openids: none writes more than once per 2 s.
  const openids = Math.max(openidsRequested ?? 0, Math.ceil(rate * MIN_OPENID_INTERVAL_S));
  return { rate, durationS: positive('duration', values.duration, false), openidsRequested, openids, retryShare, keep: values.keep };
}

// ---------------------------------------------------------------- WeChat side

const ADMIN_TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`;
const credentials = wechatApp(`bench${randomBytes(8).toString('hex')}`);
const cipher = wechatCipher(credentials.encodingAesKey, credentials.appId);

async function createInbox(baseUrl: string, apiBaseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/inboxes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '压测公众号 bench', channel: 'wechat', credentials, settings: { apiBaseUrl, messageMode: 'safe' } }),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/v1/inboxes answered ${res.status}: ${body}`);
  return (JSON.parse(body) as { id: string }).id;
}

function signedQuery(encrypt: string): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({
    signature: wechatSignature(credentials.token, timestamp, nonce), timestamp, nonce,
    encrypt_type: 'aes', msg_signature: wechatSignature(credentials.token, timestamp, nonce, encrypt), openid: 'x',
  }).toString();
}

/** URL verification: a sanity check that the inbox and our signatures work before the load. */
async function verifyUrl(webhook: string): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '12345';
  const q = new URLSearchParams({ signature: wechatSignature(credentials.token, timestamp, nonce), timestamp, nonce, echostr: 'bench-echo' });
  const res = await fetch(`${webhook}?${q}`);
  const text = await res.text();
  if (res.status !== 200 || text !== 'bench-echo') throw new Error(`URL verification failed: ${res.status} ${text}`);
}

// ---------------------------------------------------------------- load

interface SentMessage {
  msgId: string;
  openid: string;
  xml: string;
  accepted: boolean;
  posts: number;
  /** The openid's first message: it starts the conversation's workflow. */
  opens: boolean;
}

interface LoadStats {
  posts: number;
  retryPosts: number;
  skipped: number;
  errors: Record<string, number>;
  ackMs: number[];
  /** ackMs split: messages that open a conversation, and the others. */
  openingAckMs: number[];
  followUpAckMs: number[];
  retryAckMs: number[];
  elapsedS: number;
}

interface PostOutcome { status?: number; text?: string; error?: string }

/** POSTs the callback and reads the whole answer (the round trip the ack latency measures). */
function postXml(agent: http.Agent, url: string, payload: string): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', agent, timeout: REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(payload) },
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(payload);
  });
}

async function post(agent: http.Agent, webhook: string, message: SentMessage, retry: boolean, stats: LoadStats): Promise<void> {
  const encrypt = cipher.encrypt(message.xml); // fresh random prefix, as each delivery has
  const body = buildWechatXml({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt });
  const url = `${webhook}?${signedQuery(encrypt)}`;
  stats.posts++;
  if (retry) stats.retryPosts++;
  message.posts++;
  const start = performance.now();
  const outcome = await postXml(agent, url, body);
  const ms = performance.now() - start;
  if (outcome.status === 200 && outcome.text === 'success') {
    message.accepted = true;
    (retry ? stats.retryAckMs : stats.ackMs).push(ms);
    if (!retry) (message.opens ? stats.openingAckMs : stats.followUpAckMs).push(ms);
  } else {
    const kind = outcome.error ?? (outcome.status === 200 ? `200 "${(outcome.text ?? '').slice(0, 20)}"` : String(outcome.status));
    stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
  }
}

/**
 * Open loop: post k goes out at start + k/rate whatever the answers, to the
 * openids in turn. Every (1/retryShare)-th post re-posts that openid's previous
 * accepted message (same MsgId, ≥ 2 s later, as WeChat's retry) instead of a new
 * one. When MAX_IN_FLIGHT requests are outstanding the post is skipped (counted).
 */
async function runLoad(webhook: string, opts: Options, messages: Map<string, SentMessage>): Promise<LoadStats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const stats: LoadStats = { posts: 0, retryPosts: 0, skipped: 0, errors: {}, ackMs: [], openingAckMs: [], followUpAckMs: [], retryAckMs: [], elapsedS: 0 };
  const tag = randomUUID().replace(/-/g, '').slice(0, 10);
  const openids = Array.from({ length: opts.openids }, (_, i) => `obench_${tag}_${String(i).padStart(6, '0')}`);
  const lastOf = new Map<string, SentMessage>();
  const retryEvery = opts.retryShare > 0 ? Math.round(1 / opts.retryShare) : 0;
  let msgIds = BigInt(Date.now()) * 1_000_000n;
  try {
    // Each request ends within REQUEST_TIMEOUT_MS.
    const { skipped, elapsedS } = await openLoop({ ...opts, maxInFlight: MAX_IN_FLIGHT }, (k) => {
      const openid = openids[k % openids.length];
      const previous = lastOf.get(openid);
      const retry = retryEvery > 0 && k % retryEvery === retryEvery - 1 && previous?.accepted === true;
      let message: SentMessage;
      if (retry) {
        message = previous!;
      } else {
        const msgId = String(++msgIds);
        const round = Math.floor(k / openids.length);
        const xml = buildWechatXml({
          ToUserName: 'gh_0123456789ab', FromUserName: openid, CreateTime: String(Math.floor(Date.now() / 1000)),
          MsgType: 'text', Content: TEXTS[(k + round) % TEXTS.length], MsgId: msgId,
        });
        message = { msgId, openid, xml, accepted: false, posts: 0, opens: round === 0 };
        messages.set(msgId, message);
        lastOf.set(openid, message);
      }
      return post(agent, webhook, message, retry, stats);
    });
    Object.assign(stats, { skipped, elapsedS });
  } finally {
    agent.destroy();
  }
  return stats;
}

/**
 * Times GET /healthz every FLOOR_PROBE_EVERY_MS (one at a time, its own
 * connection) until stopped: how fast the loaded server answers a request
 * that reads nothing and writes nothing.
 */
function probeFloor(url: string): { stop(): Promise<number[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const outcome = await new Promise<number | undefined>((resolve) => {
        const req = http.get(`${url}/healthz`, { agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode));
        });
        req.once('timeout', () => req.destroy());
        req.once('error', () => resolve(undefined));
      });
      const ms = performance.now() - start;
      if (outcome === 200) samples.push(ms);
      await sleep(Math.max(0, FLOOR_PROBE_EVERY_MS - ms));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return samples;
    },
  };
}

// ---------------------------------------------------------------- counting

interface Counts {
  /** Inbound messages stored, by MsgId. */
  storedByMsgId: Map<string, number>;
  /** Inbound messages stored, by openid. */
  storedByOpenid: Map<string, number>;
  inboundStored: number;
  botRepliesStored: number;
  deliveriesFailed: number;
}

async function count(mongoUri: string, inboxId: string): Promise<Counts> {
  const store = await openStore(mongoUri);
  try {
    const docs = await store.models.Message.find({ inboxId }).select({ providerMessageId: 1, visitorId: 1, direction: 1, author: 1, delivery: 1 }).lean();
    const storedByMsgId = new Map<string, number>();
    const storedByOpenid = new Map<string, number>();
    let inboundStored = 0;
    let botRepliesStored = 0;
    let deliveriesFailed = 0;
    for (const d of docs) {
      if (d.direction === 'in') {
        inboundStored++;
        storedByOpenid.set(d.visitorId, (storedByOpenid.get(d.visitorId) ?? 0) + 1);
        if (d.providerMessageId) storedByMsgId.set(d.providerMessageId, (storedByMsgId.get(d.providerMessageId) ?? 0) + 1);
      }
      if (d.author === 'bot') botRepliesStored++;
      if (d.delivery?.status === 'failed') deliveriesFailed++;
    }
    return { storedByMsgId, storedByOpenid, inboundStored, botRepliesStored, deliveriesFailed };
  } finally {
    await store.close();
  }
}

/**
 * Polls the database until every accepted message is stored and every stored
 * one answered at WeChat; gives up when nothing moved for DRAIN_STALL_MS or
 * after DRAIN_MAX_MS (what is missing then counts as lost).
 */
async function drain(mongoUri: string, inboxId: string, accepted: string[], fake: FakeWechatServer): Promise<{ counts: Counts; waitedS: number; drained: boolean }> {
  const started = performance.now();
  const deadline = Date.now() + DRAIN_MAX_MS;
  let progress = '';
  let lastProgressAt = Date.now();
  for (;;) {
    const counts = await count(mongoUri, inboxId);
    const drained = accepted.every((id) => counts.storedByMsgId.has(id)) && fake.sent.length >= counts.inboundStored;
    const now = `${counts.inboundStored}/${fake.sent.length}`;
    if (now !== progress) {
      progress = now;
      lastProgressAt = Date.now();
    }
    if (drained || Date.now() > deadline || Date.now() - lastProgressAt > DRAIN_STALL_MS) {
      // Replies read after the count could belong to messages stored since: count again once they settle.
      return { counts: drained ? counts : await count(mongoUri, inboxId), waitedS: (performance.now() - started) / 1000, drained };
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- report

const round1 = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(1)) : NaN);
const pcts = (samples: number[]) => ({
  p50: round1(percentile(samples, 50)), p95: round1(percentile(samples, 95)), p99: round1(percentile(samples, 99)), max: round1(percentile(samples, 100)),
});

function summarize(
  opts: Options, stats: LoadStats, floorMs: number[], messages: Map<string, SentMessage>, counts: Counts, fake: FakeWechatServer, drainS: number, drained: boolean,
) {
  const accepted = [...messages.values()].filter((m) => m.accepted).map((m) => m.msgId);
  const lost = accepted.filter((id) => !counts.storedByMsgId.has(id)).length;
  const duplicated = accepted.filter((id) => (counts.storedByMsgId.get(id) ?? 0) > 1).length;
  const storedOnce = accepted.filter((id) => counts.storedByMsgId.get(id) === 1).length;
  const storedNotAcked = [...counts.storedByMsgId.keys()].filter((id) => !messages.get(id)?.accepted).length;
  const errors = Object.values(stats.errors).reduce((a, b) => a + b, 0);
  const allAckMs = [...stats.ackMs, ...stats.retryAckMs];
  const ackMs = pcts(allAckMs);
  const repliesByUser = new Map<string, number>();
  for (const m of fake.sent) repliesByUser.set(m.touser, (repliesByUser.get(m.touser) ?? 0) + 1);
  const targets = {
    ackP99: { limitMs: TARGETS.ackP99Ms, atRate: TARGETS.atRate, rateMet: opts.rate >= TARGETS.atRate, pass: ackMs.p99 <= TARGETS.ackP99Ms },
    lost: { limit: TARGETS.lost, pass: lost === TARGETS.lost },
    duplicated: { limit: TARGETS.duplicated, pass: duplicated === TARGETS.duplicated },
  };
  return {
    bench: 'webhooks',
    channel: 'wechat',
    messageMode: 'safe',
    rate: opts.rate,
    durationS: opts.durationS,
    openidsRequested: opts.openidsRequested,
    openids: opts.openids,
    retryShare: opts.retryShare,
    posts: stats.posts,
    newMessages: messages.size,
    retryPosts: stats.retryPosts,
    skipped: stats.skipped,
    errors,
    errorsByKind: stats.errors,
    postsPerSec: round1(stats.posts / stats.elapsedS),
    ackMs,
    ackMsFirstDelivery: pcts(stats.ackMs),
    ackMsRetry: pcts(stats.retryAckMs),
    /** First deliveries that start a conversation's workflow (each openid's first message), and the rest. */
    ackMsOpening: pcts(stats.openingAckMs),
    ackMsFollowUp: pcts(stats.followUpAckMs),
    /** GET /healthz during the load: an answer with no work behind it. */
    healthzMs: pcts(floorMs),
    accepted: accepted.length,
    storedOnce,
    lost,
    duplicated,
    storedNotAcked,
    inboundStored: counts.inboundStored,
    botRepliesStored: counts.botRepliesStored,
    repliesAtWechat: fake.sent.length,
    // One FAQ answer per stored question: more replies to an openid than it has stored messages means a retry was answered.
    extraRepliesAtWechat: [...repliesByUser].reduce((sum, [user, n]) => sum + Math.max(0, n - (counts.storedByOpenid.get(user) ?? 0)), 0),
    deliveriesFailed: counts.deliveriesFailed,
    drainWaitS: round1(drainS),
    drained,
    /** Stored messages per second from the first post to the end of the drain wait. */
    storedPerSec: round1(counts.inboundStored / (stats.elapsedS + drainS)),
    targets,
    pass: targets.ackP99.rateMet && targets.ackP99.pass && targets.lost.pass && targets.duplicated.pass,
  };
}

type Result = ReturnType<typeof summarize>;

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');

function formatTable(r: Result): string {
  const openids = r.openidsRequested === null || r.openids === r.openidsRequested
    ? String(r.openids)
    : `${r.openids} (raised from ${r.openidsRequested}: each openid sends at most one message per 2 s)`;
  const errorKinds = Object.entries(r.errorsByKind).map(([kind, n]) => `${kind}×${n}`).join(', ');
  const rows: [string, string][] = [
    ['channel', 'WeChat Official Account, safe mode (AES + msg_signature)'],
    ['openids', openids],
    ['target rate', `${r.rate} posts/s for ${r.durationS} s`],
    ['posts (new / WeChat retries)', `${r.posts} (${r.newMessages} / ${r.retryPosts})`],
    ['errors', r.errors ? `${r.errors} (${errorKinds})` : '0'],
    ['skipped (in-flight limit)', String(r.skipped)],
    ['posts per second', r.postsPerSec.toFixed(1)],
    ['ack latency p50 / p95', `${ms(r.ackMs.p50)} / ${ms(r.ackMs.p95)}`],
    ['ack latency p99 / max', `${ms(r.ackMs.p99)} / ${ms(r.ackMs.max)}`],
    ['ack p99: first delivery / retry', `${ms(r.ackMsFirstDelivery.p99)} / ${ms(r.ackMsRetry.p99)}`],
    ['ack p50 / p99: opening a conversation', `${ms(r.ackMsOpening.p50)} / ${ms(r.ackMsOpening.p99)}`],
    ['ack p50 / p99: later messages', `${ms(r.ackMsFollowUp.p50)} / ${ms(r.ackMsFollowUp.p99)}`],
    ['floor: GET /healthz during the load p50 / p99 / max', `${ms(r.healthzMs.p50)} / ${ms(r.healthzMs.p99)} / ${ms(r.healthzMs.max)}`],
    ['accepted messages (distinct MsgIds)', String(r.accepted)],
    ['stored exactly once', String(r.storedOnce)],
    ['lost / duplicated', `${r.lost} / ${r.duplicated}`],
    ['stored but not acked (503, signal landed)', String(r.storedNotAcked)],
    ['inbound stored / bot replies stored / at WeChat', `${r.inboundStored} / ${r.botRepliesStored} / ${r.repliesAtWechat}`],
    ['extra replies at WeChat (answered retries)', String(r.extraRepliesAtWechat)],
    ['failed deliveries', String(r.deliveriesFailed)],
    ['drain wait', `${r.drainWaitS.toFixed(1)} s (${r.drained ? 'drained' : 'gave up: stalled or at the limit'})`],
    ['stored per second (load + drain)', r.storedPerSec.toFixed(1)],
    [`target: ack p99 ≤ ${TARGETS.ackP99Ms} ms at ${TARGETS.atRate} msg/s`,
      `${verdict(r.targets.ackP99.pass)} (${ms(r.ackMs.p99)}${r.targets.ackP99.rateMet ? '' : `; run at ${r.rate} msg/s, below the target rate`})`],
    ['target: zero lost', `${verdict(r.targets.lost.pass)} (${r.lost})`],
    ['target: zero duplicated', `${verdict(r.targets.duplicated.pass)} (${r.duplicated})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Huiliu WeChat webhook benchmark', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

// ---------------------------------------------------------------- main

async function bench(opts: Options, stack: PlatformHandle, fakeRef: { fake?: FakeWechatServer }): Promise<Result> {
  const { url, mongoUri } = await stack.start({ ADMIN_TOKEN, SECRET_KEY: randomBytes(32).toString('base64') });
  const fake = await startFakeWechatServer(credentials);
  fakeRef.fake = fake;
  const inboxId = await createInbox(url, fake.url);
  const webhook = `${url}/webhooks/wechat/${inboxId}`;
  await verifyUrl(webhook);
  log(`ready at ${url}; inbox ${inboxId} (safe mode), WeChat API at ${fake.url}`);
  log(`posting ${opts.rate} msg/s for ${opts.durationS} s from ${opts.openids} openids, ~${Math.round(opts.retryShare * 100)}% as retries`);
  const messages = new Map<string, SentMessage>();
  const floor = probeFloor(url);
  const stats = await runLoad(webhook, opts, messages);
  const floorMs = await floor.stop();
  const accepted = [...messages.values()].filter((m) => m.accepted).map((m) => m.msgId);
  log(`load done in ${stats.elapsedS.toFixed(1)} s; waiting (≤ ${DRAIN_MAX_MS / 1000} s, or ${DRAIN_STALL_MS / 1000} s without progress) for ${accepted.length} messages to be stored and answered`);
  const { counts, waitedS, drained } = await drain(mongoUri, inboxId, accepted, fake);
  return summarize(opts, stats, floorMs, messages, counts, fake, waitedS, drained);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-bench-webhooks-'));
  const stack = platform(dir, { keep: opts.keep, log, taskQueue: 'bench-webhooks' });
  const fakeRef: { fake?: FakeWechatServer } = {};
  const stopAll = async () => {
    await fakeRef.fake?.close().catch(() => undefined);
    await stack.stop();
  };
  const interrupt = async (code: number) => {
    if (stack.stopping) return; // a second signal (tsx relays them too), or already stopping
    log('interrupted; stopping');
    await stopAll();
    process.exit(code);
  };
  process.on('SIGINT', () => void interrupt(130));
  process.on('SIGTERM', () => void interrupt(143));
  try {
    const result = await Promise.race([bench(opts, stack, fakeRef), stack.crashed]);
    await stopAll();
    console.log(formatTable(result));
    console.log(JSON.stringify(result));
  } catch (err) {
    if (!stack.stopping) log(`failed: ${(err as Error).message}${opts.keep ? '' : '\n(run with --keep to keep the logs)'}`);
    await stopAll();
    process.exit(1);
  }
}

await main().catch((err: Error) => {
  log(err.message); // bad options: nothing was started yet
  process.exit(2);
});

// `npm run bench:ops`: finding and fixing stuck conversations at scale. Starts
// the real platform in a throwaway directory (test/bench/platform.ts) and a
// local WeChat API, opens N web chat conversations that wait quietly (a flow
// that waits a day for the customer), then M WeChat conversations while the
// WeChat API is down, so their bot answers cannot be sent and they show as
// stuck. It times GET /api/v1/ops/stuck (all reasons, and one reason), brings
// the WeChat API back, bulk-retries the stuck ones and times that until every
// answer is delivered and the list is empty.
//
//   npm run bench:ops -- [--conversations 10000] [--stuck 100] [--lists 10] [--keep]
//
// Progress goes to stderr; stdout gets the report table and, as its last line,
// one JSON object with every figure.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openStore } from '../../activities/store';
import { startFakeWechatServer } from '../../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../../activities/channels/wechat/signature';
import { buildWechatXml } from '../../activities/channels/wechat/xml';
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from '../../rules/flow';
import type { BulkJob, StuckList } from '../../server/ops/types';
import { platform, positive, sleep } from './platform';
import { percentile } from './report';
import { wechatApp } from '../support/wechat-app';

const TARGET_LIST_MS = 1000;
const CONCURRENCY = 24;
const WAIT_LIMIT_MS = 45 * 60_000;
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const credentials = wechatApp('benchToken2024');
const quietFlow: FlowDefinition = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [
    { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
    { id: 'normalize', type: 'normalize', typeVersion: 1, position: { x: 0, y: 100 }, parameters: {} },
    { id: 'idle', type: 'wait', typeVersion: 1, position: { x: 0, y: 200 }, parameters: { timeoutSeconds: 86_400 } },
    { id: 'close', type: 'close', typeVersion: 1, position: { x: 0, y: 300 }, parameters: {} },
  ],
  edges: [['start', 'next', 'normalize'], ['normalize', 'next', 'idle'], ['idle', 'message', 'normalize'], ['idle', 'timeout', 'close']]
    .map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
};

const log = (line: string) => process.stderr.write(`[bench:ops] ${line}\n`);
const round1 = (n: number) => Number(n.toFixed(1));

async function call<T>(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000),
  });
  const parsed = (await res.json()) as T;
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** Runs `task(i)` for i < total, `CONCURRENCY` at a time, logging progress every `every`. */
async function pool(total: number, every: number, what: string, task: (i: number) => Promise<void>) {
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, async () => {
    while (next < total) {
      await task(next++);
      if (++done % every === 0) log(`${what}: ${done}/${total}`);
    }
  }));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function main() {
  const { values } = parseArgs({
    options: { conversations: { type: 'string', default: '10000' }, stuck: { type: 'string', default: '100' }, lists: { type: 'string', default: '10' }, keep: { type: 'boolean', default: false } },
  });
  const conversations = positive('conversations', values.conversations, true);
  const stuckWanted = positive('stuck', values.stuck, true);
  const lists = positive('lists', values.lists, true);
  if (stuckWanted >= conversations) throw new Error('--stuck must be below --conversations');
  const quiet = conversations - stuckWanted;

  const fake = await startFakeWechatServer(credentials);
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-bench-ops-'));
  const handle = platform(dir, { keep: values.keep, log });
  const stopAll = async () => { await handle.stop(); await fake.close(); };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const { url, mongoUri } = await Promise.race([handle.start({ ADMIN_TOKEN }), handle.crashed]);
    const store = await openStore(mongoUri);
    await store.models.FlowVersion.create({ _id: 'quiet@1', flowId: 'quiet', version: 1, definition: quietFlow, publishedBy: 'bench', message: 'v1' });
    await store.models.Flow.create({ _id: 'quiet', name: 'quiet', publishedVersion: 1 });
    await store.models.Inbox.create({ _id: 'bench-web', name: 'Bench web', channel: 'webchat', flowId: 'quiet' });
    const wechat = await call<{ id: string }>(`${url}/api/v1/inboxes`, 'POST', {
      name: 'Bench WeChat', channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode: 'plaintext' },
    });
    if (wechat.status !== 201) throw new Error(`could not create the WeChat inbox: ${JSON.stringify(wechat.body)}`);

    log(`opening ${quiet} quiet web chat conversations`);
    const openStarted = performance.now();
    await pool(quiet, 1000, 'opened', async (i) => {
      const res = await fetch(`${url}/api/v1/webchat/bench-web/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: `quiet-${i}`, clientMessageId: randomUUID(), text: 'hello' }),
      });
      if (res.status !== 202) throw new Error(`web chat message ${i} answered ${res.status}: ${await res.text()}`);
    });
    await until('the quiet conversations to reach their wait', async () => {
      const n = await store.models.Message.countDocuments({ inboxId: 'bench-web', direction: 'in' });
      log(`handled ${n}/${quiet}`);
      return n >= quiet ? n : undefined;
    }, 5000);
    const openS = (performance.now() - openStarted) / 1000;

    log(`WeChat API down; ${stuckWanted} WeChat customers ask a question the bot answers`);
    fake.outage(-1); // "system busy"
    await pool(stuckWanted, 50, 'asked', async (i) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(i);
      const query = new URLSearchParams({ timestamp, nonce, signature: wechatSignature(credentials.token, timestamp, nonce) });
      const xml = buildWechatXml({
        ToUserName: 'gh_0123456789ab', FromUserName: `obench${String(i).padStart(22, '0')}`, CreateTime: timestamp, MsgType: 'text', Content: '运费怎么算', MsgId: String(9e15 + i),
      });
      const res = await fetch(`${url}/webhooks/wechat/${wechat.body.id}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
      if (res.status !== 200) throw new Error(`webhook ${i} answered ${res.status}`);
    });
    const stuckCount = await until('the stuck ones to be listed', async () => {
      const { body } = await call<StuckList>(`${url}/api/v1/ops/stuck?reason=activity-failing&limit=1`);
      log(`stuck (activity-failing): ${body.counts['activity-failing']}/${stuckWanted}`);
      return body.counts['activity-failing'] >= stuckWanted ? body.counts['activity-failing'] : undefined;
    }, 2000);

    log(`listing ${lists} times`);
    const listAll: number[] = [];
    const listReason: number[] = [];
    const serverMs: number[] = [];
    let listed = 0;
    for (let i = 0; i < lists; i++) {
      const all = await call<StuckList>(`${url}/api/v1/ops/stuck?limit=1000`);
      listAll.push(all.ms);
      serverMs.push(all.body.tookMs);
      listed = all.body.items.length;
      listReason.push((await call<StuckList>(`${url}/api/v1/ops/stuck?reason=activity-failing&limit=1000`)).ms);
    }

    log('WeChat API back; bulk retry');
    fake.outage();
    const retryStarted = performance.now();
    const started = await call<{ jobId: string; total: number }>(`${url}/api/v1/ops/bulk`, 'POST', {
      action: 'retry', reason: 'bench: WeChat recovered', filter: { reason: 'activity-failing' },
    });
    if (started.status !== 202) throw new Error(`bulk retry refused: ${JSON.stringify(started.body)}`);
    const job = await until('the bulk job', async () => {
      const { body } = await call<BulkJob>(`${url}/api/v1/ops/bulk/${started.body.jobId}`);
      log(`bulk retry: ${body.done}/${body.total}`);
      return body.status === 'done' ? body : undefined;
    }, 500);
    const bulkS = (performance.now() - retryStarted) / 1000;
    const delivered = await until('every answer delivered', async () => (fake.sent.length >= stuckWanted ? fake.sent.length : undefined), 250);
    const deliveredS = (performance.now() - retryStarted) / 1000;
    const left = await until('the list to empty', async () => {
      const { body } = await call<StuckList>(`${url}/api/v1/ops/stuck?reason=activity-failing&limit=1`);
      return body.counts['activity-failing'] === 0 ? 0 : undefined;
    }, 1000);
    await store.close();

    const result = {
      bench: 'ops',
      conversations, stuck: stuckCount, openS: round1(openS),
      listMs: { p50: round1(percentile(listAll, 50)), max: round1(percentile(listAll, 100)), serverP50: round1(percentile(serverMs, 50)) },
      listOneReasonMs: { p50: round1(percentile(listReason, 50)), max: round1(percentile(listReason, 100)) },
      listedItems: listed,
      bulkRetry: { total: job.total, succeeded: job.succeeded, failed: job.failed, jobS: round1(bulkS), allDeliveredS: round1(deliveredS) },
      delivered, stuckLeft: left,
      targets: { listUnder1s: { limitMs: TARGET_LIST_MS, pass: percentile(listAll, 100) < TARGET_LIST_MS } },
      pass: percentile(listAll, 100) < TARGET_LIST_MS && job.failed === 0 && left === 0,
    };
    const rows: [string, string][] = [
      ['conversations running', `${conversations} (${quiet} waiting quietly, opened in ${result.openS} s)`],
      ['stuck (WeChat sends failing)', String(result.stuck)],
      [`list all reasons (${lists}×) p50 / max`, `${result.listMs.p50} / ${result.listMs.max} ms (server ${result.listMs.serverP50} ms p50; ${listed} items)`],
      ['list one reason p50 / max', `${result.listOneReasonMs.p50} / ${result.listOneReasonMs.max} ms`],
      ['bulk retry: succeeded / failed', `${job.succeeded} / ${job.failed} of ${job.total}`],
      ['bulk retry: job done / all delivered', `${result.bulkRetry.jobS} s / ${result.bulkRetry.allDeliveredS} s`],
      ['answers delivered / still stuck', `${delivered} / ${left}`],
      [`target: listing under ${TARGET_LIST_MS} ms`, `${result.targets.listUnder1s.pass ? 'PASS' : 'FAIL'} (max ${result.listMs.max} ms)`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(['Huiliu ops benchmark', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'));
    console.log(JSON.stringify(result));
  } finally {
    await stopAll();
  }
}

main().catch((err: Error) => {
  console.error(`[bench:ops] ${err.message}`);
  process.exit(1);
});

// Operators against the real stack (Temporal dev server, FerretDB): make
// conversations stuck in each way — a provider failing sends, a bad deploy
// whose workflow code no longer replays, nobody online past the SLA — find
// them through /api/v1/ops/stuck, see why, and move them on with the matching
// action, with no message reaching the customer twice.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechatServer, type FakeWechatServer } from '../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import { runServer } from '../server/start-server';
import type { ConversationOps, StuckList } from '../server/ops/types';
import { conversationWorkflowId, snapshotQuery } from '../workflows/messages';
import { waitFor } from './support/env';
import { api, createInbox, startStack, type Stack } from './support/stack';
import { openWaitingInbox, SORRY } from './support/waiting-flow';
import { openid, wechatApp } from './support/wechat-app';

const credentials = wechatApp();
const ADMIN = 'ops-test-admin-token-0123456789';
const WAITING_FLOW = 'waiting';
const SHIPPING_ANSWER = '订单满 99 元包邮，一般 48 小时内发货。';
const QUEUED = 'Connecting you to an agent, please wait.';
const NEXT = 'You are next; the wait cannot be estimated yet.'; // nobody online serves the queue

let stack: Stack;
let fake: FakeWechatServer;
let wechatInbox: string;
let operator: string;
let badDeploy: WorkflowBundle;

beforeAll(async () => {
  fake = await startFakeWechatServer(credentials);
  stack = await startStack({ adminToken: ADMIN });
  operator = stack.logins['ops-chen'].token;
  wechatInbox = await createInbox(stack, { name: '公众号', channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode: 'plaintext' } });
  await openWaitingInbox(stack.store.models, WAITING_FLOW, 'ops-web');
  badDeploy = await bundleWorkflowCode({ workflowsPath: join(import.meta.dirname, 'support', 'nondeterministic-workflows.ts'), logger: new DefaultLogger('WARN') });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

let msgIds = 20_000_000_000_000_000n;
async function wechatSays(user: string, content: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const query = new URLSearchParams({ timestamp, nonce, signature: wechatSignature(credentials.token, timestamp, nonce) });
  const xml = buildWechatXml({ ToUserName: 'gh_0123456789ab', FromUserName: user, CreateTime: timestamp, MsgType: 'text', Content: content, MsgId: String(++msgIds) });
  const res = await fetch(`${stack.url}/webhooks/wechat/${wechatInbox}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  expect(res.status).toBe(200);
}
const webSays = async (visitorId: string, text: string) => {
  const res = await api(stack, 'POST', '/api/v1/webchat/ops-web/messages', { body: { visitorId, clientMessageId: randomUUID(), text } });
  expect(res.status).toBe(202);
  return res.body.conversationId as string;
};
const repliesTo = (user: string) => fake.sent.filter((m) => m.touser === user).map((m) => m.text?.content);
const stuck = async (query = '') => {
  const res = await api(stack, 'GET', `/api/v1/ops/stuck${query}`, { token: operator });
  expect(res.status).toBe(200);
  return res.body as StuckList;
};
const stuckItem = (list: StuckList, workflowId: string) => list.items.find((i) => i.workflowId === workflowId);
const act = (workflowId: string, action: string, body: Record<string, unknown>, token = operator) =>
  api(stack, 'POST', `/api/v1/ops/conversations/${encodeURIComponent(workflowId)}/${action}`, { token, body });
const view = async (workflowId: string) => (await api(stack, 'GET', `/api/v1/ops/conversations/${encodeURIComponent(workflowId)}`, { token: operator })).body as ConversationOps;
const outbound = async (conversationId: string) =>
  (await stack.store.models.Message.find({ conversationId, direction: 'out' }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => x.text);

describe('operations API', () => {
  it('is for operators and admins only; agents and analysts see nothing of it', async () => {
    for (const who of ['agent-lina', 'analyst-zhao']) {
      const res = await api(stack, 'GET', '/api/v1/ops/stuck', { token: stack.logins[who].token });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/operator or admin/);
    }
    expect((await api(stack, 'GET', '/api/v1/ops/stuck', { token: ADMIN })).status).toBe(200);
    expect((await api(stack, 'GET', '/api/v1/ops/stuck?reason=broken', { token: operator })).status).toBe(400);
    expect((await act('conv:nobody:here', 'retry', {})).status).toBe(400); // no reason given
    expect((await act('conv:nobody:here', 'retry', { reason: 'check' })).status).toBe(404);
    const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/ops/stuck', '/api/v1/ops/conversations/{workflowId}/reset', '/api/v1/ops/bulk']));
  });

  it('a provider failing sends: listed with the step and error, retried now after it recovers, delivered once', async () => {
    const user = openid();
    const workflowId = conversationWorkflowId(wechatInbox, user);
    for (let i = 0; i < 10; i++) fake.failNextSend(-1); // WeChat "system busy" for two rounds of attempts
    await wechatSays(user, '运费怎么算');

    const item = await waitFor('listed as stuck', async () => stuckItem(await stuck('?reason=activity-failing'), workflowId), 30_000);
    expect(item).toMatchObject({ reason: 'activity-failing', inboxId: wechatInbox, channel: 'wechat', flowId: 'default', flowVersion: 1, attempts: 5 });
    expect(item.lastError).toMatch(/busy/);
    expect(repliesTo(user)).toEqual([]);
    expect((await stuck(`?inbox=${wechatInbox}`)).counts['activity-failing']).toBeGreaterThanOrEqual(1);

    const opsView = await view(workflowId);
    expect(opsView.stuck).toMatchObject({ reason: 'activity-failing', attempts: 5 });
    expect(opsView.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['message-received', 'normalized']));

    // The provider is still down: the retry says so, and the conversation keeps retrying on its own.
    const again = await act(workflowId, 'retry', { reason: 'provider says it is back' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: false, summary: expect.stringMatching(/failed again/) });

    const retried = await act(workflowId, 'retry', { reason: 'WeChat recovered' });
    expect(retried.body).toMatchObject({ ok: true, summary: expect.stringMatching(/works now/) });
    await waitFor('the answer delivered', async () => repliesTo(user).length === 1);
    await waitFor('no longer stuck', async () => !stuckItem(await stuck(), workflowId));
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);

    const audit = await api(stack, 'GET', `/api/v1/ops/audit?workflowId=${encodeURIComponent(workflowId)}`, { token: operator });
    expect(audit.body.entries.map((e: { action: string; ok: boolean; reason: string; actor: { id: string } }) => [e.action, e.ok, e.reason, e.actor.id])).toEqual([
      ['retry', true, 'WeChat recovered', 'ops-chen'], ['retry', false, 'provider says it is back', 'ops-chen'],
    ]);

    // Reset to its first step: the conversation runs again (the bot answers again), and the customer does not get it twice.
    const first = (await view(workflowId)).timeline.find((e) => e.resetEventId !== undefined);
    expect(first?.resetEventId).toBeGreaterThan(1);
    const reset = await act(workflowId, 'reset', { reason: 'run it again from the start', eventId: first!.resetEventId });
    expect(reset.status).toBe(200);
    expect(reset.body.runId).toBeTruthy();
    await stack.client.workflow.getHandle(workflowId, reset.body.runId).query(snapshotQuery); // the new run has caught up
    await waitFor('the new run past the bot step', async () => (await view(workflowId)).timeline.some((e) => e.kind === 'bot'));
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);
    expect((await api(stack, 'POST', `/api/v1/ops/conversations/${encodeURIComponent(workflowId)}/reset`, { token: operator, body: { reason: 'x', eventId: 3 } })).status).toBe(400);
  });

  it('nobody online past the SLA: listed, rerouted to another flow step; another one terminated with a message', async () => {
    const visitor = `sla-${randomUUID().slice(0, 8)}`;
    const workflowId = conversationWorkflowId('ops-web', visitor);
    const conversationId = await webSays(visitor, 'I need a person');
    const item = await waitFor('listed past its SLA', async () => stuckItem(await stuck('?reason=sla-breached'), workflowId), 30_000);
    expect(item).toMatchObject({ reason: 'sla-breached', step: 'wait-agent', status: 'queued', flowId: WAITING_FLOW, conversationId });

    expect((await act(workflowId, 'reroute', { reason: 'no agents today', nodeId: 'nowhere' })).status).toBe(409);
    expect((await act(workflowId, 'reroute', { reason: 'no agents today', queue: 'no-such-queue' })).status).toBe(400);
    const rerouted = await act(workflowId, 'reroute', { reason: 'no agents today', nodeId: 'sorry' });
    expect(rerouted.body).toMatchObject({ ok: true, summary: 'rerouted to flow step sorry' });
    await waitFor('closed', async () => (await stack.store.models.Conversation.findById(conversationId).lean())?.status === 'closed');
    expect(await outbound(conversationId)).toEqual([QUEUED, NEXT, SORRY.en]);
    await waitFor('off the list', async () => !stuckItem(await stuck(), workflowId));

    const other = `sla-${randomUUID().slice(0, 8)}`;
    const otherId = await webSays(other, 'anyone there?');
    const otherWorkflow = conversationWorkflowId('ops-web', other);
    await waitFor('listed', async () => stuckItem(await stuck('?reason=sla-breached'), otherWorkflow), 30_000);
    const ended = await act(otherWorkflow, 'terminate', { reason: 'spam', message: 'We have closed this chat. 本会话已关闭。' });
    expect(ended.body).toMatchObject({ ok: true });
    expect(await outbound(otherId)).toEqual([QUEUED, NEXT, 'We have closed this chat. 本会话已关闭。']);
    expect((await stack.store.models.Conversation.findById(otherId).lean())?.status).toBe('closed');
    expect((await view(otherWorkflow)).executionStatus).toBe('Terminated');
    expect((await act(otherWorkflow, 'terminate', { reason: 'again' })).status).toBe(409);
  });

  it('a bad deploy: workflow tasks fail, the replay check shows where, and after the fix a reset moves it on', async () => {
    const visitor = `deploy-${randomUUID().slice(0, 8)}`;
    const workflowId = conversationWorkflowId('ops-web', visitor);
    const conversationId = await webSays(visitor, 'hello, I need help');
    await waitFor('waiting in the queue', async () => (await view(workflowId)).step === 'wait-agent');

    await stack.stopWorker();
    await stack.startWorker(badDeploy);
    await webSays(visitor, 'still there?'); // the bad code must now replay the history
    const item = await waitFor('listed with failing workflow tasks', async () => stuckItem(await stuck('?reason=workflow-task-failing'), workflowId), 45_000);
    expect(item.lastError).toMatch(/[Nn]ondeterminism/);
    expect(item.attempts).toBeGreaterThanOrEqual(1);

    // The replay check runs the history against the code this server deploys: the bad one here.
    const badServer = await runServer(stack.config, { workflowBundle: badDeploy });
    try {
      const res = await fetch(`${badServer.url}/api/v1/ops/conversations/${encodeURIComponent(workflowId)}/replay-check`, {
        method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'after deploy 42' }),
      });
      const check = await res.json();
      expect(check).toMatchObject({ ok: false, replay: { compatible: false, divergence: { message: expect.stringMatching(/[Nn]ondeterminism/) } } });
    } finally {
      await badServer.stop();
    }
    const good = await act(workflowId, 'replay-check', { reason: 'the current build' });
    expect(good.body).toMatchObject({ ok: true, replay: { compatible: true } });

    // Roll back the deploy, then reset to the last good step instead of waiting for Temporal's next try.
    await stack.stopWorker();
    await stack.startWorker();
    const resetTo = (await view(workflowId)).timeline.findLast((e) => e.resetEventId !== undefined)!.resetEventId;
    expect((await act(workflowId, 'reset', { reason: 'deploy rolled back', eventId: resetTo })).status).toBe(200);
    await waitFor('both messages handled', async () => (await stack.store.models.Message.countDocuments({ conversationId, direction: 'in' })) === 2);
    await waitFor('no longer failing', async () => !stuckItem(await stuck('?reason=workflow-task-failing'), workflowId), 30_000);
    expect(await outbound(conversationId)).toEqual([QUEUED, NEXT]);
  });

  it('bulk: a dry run lists what would happen; the run reports progress and a summary', async () => {
    const visitors = [0, 1].map(() => `bulk-${randomUUID().slice(0, 8)}`);
    for (const v of visitors) await webSays(v, 'hello?');
    const ids = visitors.map((v) => conversationWorkflowId('ops-web', v));
    await waitFor('both listed', async () => {
      const list = await stuck('?reason=sla-breached');
      return ids.every((id) => stuckItem(list, id));
    }, 30_000);
    const request = { action: 'reroute', reason: 'close them politely', filter: { reason: 'sla-breached', inbox: 'ops-web' }, params: { nodeId: 'sorry', workflowIds: ids } };
    const dry = await api(stack, 'POST', '/api/v1/ops/bulk', { token: operator, body: { ...request, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body.plan.map((p: { workflowId: string; plan: string }) => [p.workflowId, p.plan]).sort()).toEqual(ids.map((id) => [id, 'reroute to flow step sorry']).sort());

    const started = await api(stack, 'POST', '/api/v1/ops/bulk', { token: operator, body: request });
    expect(started.status).toBe(202);
    const job = await waitFor('the job done', async () => {
      const res = await api(stack, 'GET', `/api/v1/ops/bulk/${started.body.jobId}`, { token: operator });
      return res.body.status === 'done' && res.body;
    });
    expect(job.results.map((r: { ok: boolean; summary: string }) => [r.ok, r.summary])).toEqual([[true, 'rerouted to flow step sorry'], [true, 'rerouted to flow step sorry']]);
    expect(job).toMatchObject({ total: 2, done: 2, succeeded: 2, failed: 0 });
    expect((await api(stack, 'GET', '/api/v1/ops/bulk/nope', { token: operator })).status).toBe(404);
  });
});

// Temporal slow to answer (a delaying proxy in front of the real one), not
// down: a provider's webhook is acknowledged within the inbound journal's
// 3 s budget — the message is kept — before WeChat's 5 s run out, and the
// message still reaches its conversation once, after the customer's earlier
// one, and is answered once (the call that ran out of time is the relay's
// first attempt).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startFakeWechatServer, type FakeWechatServer } from '../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import { conversationWorkflowId, inboundMessageSignal } from '../workflows/messages';
import { startDelayProxy, type DelayProxy } from './support/delay-proxy';
import { waitFor } from './support/env';
import { createInbox, startStack, type Stack } from './support/stack';
import { openid, wechatApp } from './support/wechat-app';

const credentials = wechatApp();
const TEMPORAL_DELAY_MS = 4_500;

let proxy: DelayProxy;
let fake: FakeWechatServer;
let stack: Stack;
let inboxId: string;

beforeAll(async () => {
  proxy = await startDelayProxy(inject('temporalAddress'));
  fake = await startFakeWechatServer(credentials);
  stack = await startStack({ temporalAddress: proxy.address });
  inboxId = await createInbox(stack, {
    id: `wx-slow-${randomUUID().slice(0, 8)}`, name: '公众号 slow', channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode: 'plaintext' },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
  await proxy?.close();
});

let msgIds = 20_000_000_000_000_000n;
async function send(from: string, content: string) {
  const xml = buildWechatXml({
    ToUserName: 'gh_0123456789ab', FromUserName: from, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'text', Content: content, MsgId: String(++msgIds),
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const query = new URLSearchParams({ timestamp, nonce, signature: wechatSignature(credentials.token, timestamp, nonce) });
  const res = await fetch(`${stack.url}/webhooks/wechat/${inboxId}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  return { status: res.status, text: await res.text() };
}

const repliesTo = (user: string) => fake.sent.filter((m) => m.touser === user);

it('acknowledges a WeChat message in time while Temporal is slow, and delivers it once, in order', async () => {
  const user = openid();
  expect(await send(user, '运费多少')).toEqual({ status: 200, text: 'success' });
  await waitFor('the answer to the first message', async () => repliesTo(user).length === 1, 30_000);

  proxy.delayMs = TEMPORAL_DELAY_MS;
  const started = Date.now();
  const acked = await send(user, '怎么开发票');
  const ackMs = Date.now() - started;
  proxy.delayMs = 0;
  expect(acked).toEqual({ status: 200, text: 'success' });
  // Temporal heard of it only after the delay; the answer to WeChat came at the 3 s budget, not after it.
  expect(ackMs).toBeGreaterThanOrEqual(2_900);
  expect(ackMs).toBeLessThan(TEMPORAL_DELAY_MS);

  await waitFor('the answer to the second message', async () => repliesTo(user).length === 2, 30_000);
  await waitFor('the journal emptied', async () => (await stack.store.models.InboundJournal.countDocuments({ inboxId })) === 0);
  await new Promise((r) => setTimeout(r, 1_000));
  const stored = await stack.store.models.Message.find({ inboxId, visitorId: user, direction: 'in' }).sort({ at: 1 }).lean();
  expect(stored.map((m) => m.text)).toEqual(['运费多少', '怎么开发票']);
  expect(repliesTo(user)).toHaveLength(2);
  // Temporal got each message once: the relay waited for the call under way instead of signalling again.
  const history = await stack.client.workflow.getHandle(conversationWorkflowId(inboxId, user)).fetchHistory();
  const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === inboundMessageSignal.name);
  expect(signals).toHaveLength(2);
}, 90_000);

// Cross-channel end to end against the real stack: the same customer writes on
// WeChat (safe mode, through a local server that speaks the WeChat API) and in
// the web chat widget; the agent sees both conversations, each with its channel.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatCipher } from '../activities/channels/wechat/crypto';
import { startFakeWechatServer, type FakeWechatServer } from '../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import { DEMO_INBOX_ID } from '../server/seed';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';
import { wechatApp } from './support/wechat-app';

const ADMIN_TOKEN = 'test-admin-token-cross-channel-0123';
const credentials = wechatApp('huiliuCrossChannel');
const HANDOFF = '正在为您转接人工客服，请稍候。';
// Then where they stand; nobody is online to serve the queue yet, so there is no estimate.
const POSITION = /^(下一位就是您|您前面还有 1 位客户)，暂时无法预估等待时间。$/;

interface ConversationSummary { id: string; inboxId: string; channel: string; visitorId: string; status: string }

let stack: Stack;
let fake: FakeWechatServer;
let wechatInbox: string;

beforeAll(async () => {
  fake = await startFakeWechatServer(credentials);
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  const res = await api(stack, 'POST', '/api/v1/inboxes', {
    token: ADMIN_TOKEN,
    body: { name: '公众号 cross-channel', channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode: 'safe' } },
  });
  expect(res.status).toBe(201);
  wechatInbox = res.body.id;
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

/** A safe-mode WeChat callback: the message XML encrypted and signed with msg_signature. */
async function postWechatText(openid: string, content: string) {
  const xml = buildWechatXml({
    ToUserName: 'gh_0123456789ab', FromUserName: openid, CreateTime: String(Math.floor(Date.now() / 1000)),
    MsgType: 'text', Content: content, MsgId: String(BigInt(Date.now()) * 1000n + 1n),
  });
  const encrypt = wechatCipher(credentials.encodingAesKey, credentials.appId).encrypt(xml);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '424242';
  const query = new URLSearchParams({
    signature: wechatSignature(credentials.token, timestamp, nonce), timestamp, nonce,
    encrypt_type: 'aes', msg_signature: wechatSignature(credentials.token, timestamp, nonce, encrypt), openid,
  });
  const res = await fetch(`${stack.url}/webhooks/wechat/${wechatInbox}?${query}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body: buildWechatXml({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt }),
  });
  return { status: res.status, text: await res.text() };
}

describe('cross-channel', () => {
  it('the same customer writes on WeChat and in the widget, and both conversations appear for the agent with the right channel badges', async () => {
    const openid = `oCross${randomBytes(16).toString('hex')}`;
    const webVisitor = randomUUID();
    const agent = stack.logins['agent-lina'];

    expect(await postWechatText(openid, '人工')).toEqual({ status: 200, text: 'success' });
    const web = await api(stack, 'POST', `/api/v1/webchat/${DEMO_INBOX_ID}/messages`, {
      body: { visitorId: webVisitor, clientMessageId: randomUUID(), text: '人工' },
    });
    expect(web.status).toBe(202);

    const queued = await waitFor('both conversations queued for the agent', async () => {
      const res = await api(stack, 'GET', '/api/v1/conversations?status=queued', { token: agent.token });
      expect(res.status).toBe(200);
      const mine = (res.body.conversations as ConversationSummary[])
        .filter((c) => c.visitorId === openid || c.visitorId === webVisitor);
      return mine.length === 2 && mine;
    });
    const byVisitor = Object.fromEntries(queued.map((c) => [c.visitorId, c]));
    expect(byVisitor[openid]).toMatchObject({ inboxId: wechatInbox, channel: 'wechat', status: 'queued' });
    expect(byVisitor[webVisitor]).toMatchObject({ inboxId: DEMO_INBOX_ID, channel: 'webchat', status: 'queued', id: web.body.conversationId });

    // Each side heard about the hand-off on its own channel: WeChat through its API, the widget in its transcript.
    await waitFor('the hand-off and position notices at WeChat', async () => fake.sent.filter((m) => m.touser === openid).length >= 2);
    expect(fake.sent.filter((m) => m.touser === openid).map((m) => m.text?.content)).toEqual([HANDOFF, expect.stringMatching(POSITION)]);
    const transcript = await waitFor('the hand-off notice in the widget', async () => {
      const res = await api(stack, 'GET', `/api/v1/webchat/${DEMO_INBOX_ID}/visitors/${webVisitor}/messages`);
      const messages = res.body.messages as { author: string; text: string }[];
      return messages.filter((m) => m.author === 'system').length >= 2 && messages;
    });
    const lines = ['visitor: 人工', `system: ${HANDOFF}`, expect.stringMatching(new RegExp(`^system: ${POSITION.source.slice(1)}`))];
    expect(transcript.map((m) => `${m.author}: ${m.text}`)).toEqual(lines);

    // The agent's detail view carries the channel too, with the same transcript.
    for (const [visitor, channel] of [[openid, 'wechat'], [webVisitor, 'webchat']] as const) {
      const detail = await api(stack, 'GET', `/api/v1/conversations/${byVisitor[visitor].id}`, { token: agent.token });
      expect(detail.status).toBe(200);
      expect(detail.body.channel).toBe(channel);
      expect((detail.body.messages as { author: string; text: string }[]).map((m) => `${m.author}: ${m.text}`)).toEqual(lines);
    }
  });
});

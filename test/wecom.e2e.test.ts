// WeCom customer service (企业微信 微信客服) end to end against the real stack:
// an inbox created through the API, signed and encrypted callbacks in, the
// messages pulled with kf/sync_msg and replies out with kf/send_msg, all
// against a local server that speaks the WeCom API.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatCipher } from '../activities/channels/wechat/crypto';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import { startFakeWecomServer, type FakeWecomServer } from '../activities/channels/wecom/fake-wecom-server';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';
import { OPEN_KFID, wecomApp } from './support/wecom-app';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const credentials = wecomApp();
const SHIPPING_ANSWER = '订单满 99 元包邮，一般 48 小时内发货。';

let stack: Stack;
let fake: FakeWecomServer;
let inboxId: string;

beforeAll(async () => {
  fake = await startFakeWecomServer({ corpId: credentials.corpId, secret: credentials.secret, openKfId: OPEN_KFID });
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  const res = await api(stack, 'POST', '/api/v1/inboxes', {
    token: ADMIN_TOKEN,
    body: { id: `wecom-${randomUUID().slice(0, 8)}`, name: '微信客服', channel: 'wecom', credentials, settings: { apiBaseUrl: fake.url } },
  });
  expect(res.status).toBe(201);
  inboxId = res.body.id as string;
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

const externalUserId = () => `wm${randomBytes(20).toString('base64url').slice(0, 28)}`;
const cipher = () => wechatCipher(credentials.encodingAesKey, credentials.corpId);

function signed(encrypt: string, msgSignature?: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ msg_signature: msgSignature ?? wechatSignature(credentials.token, timestamp, nonce, encrypt), timestamp, nonce });
}

async function post(path: string, body: string) {
  const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, text: await res.text() };
}

/** The kf_msg_or_event callback WeCom sends when messages wait, encrypted and signed. */
function postCallback(token: string, opts: { inbox?: string; msgSignature?: string } = {}) {
  const xml = buildWechatXml({
    ToUserName: credentials.corpId, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'event', Event: 'kf_msg_or_event', Token: token, OpenKfId: OPEN_KFID,
  });
  const encrypt = cipher().encrypt(xml);
  const body = buildWechatXml({ ToUserName: credentials.corpId, AgentID: '', Encrypt: encrypt });
  return post(`/webhooks/wecom/${opts.inbox ?? inboxId}?${signed(encrypt, opts.msgSignature)}`, body);
}

const repliesTo = (user: string) => fake.sent.filter((m) => m.touser === user).map((m) => m.text?.content);

async function conversationOf(visitorId: string) {
  const list = await waitFor('the conversation', async () => {
    const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: ADMIN_TOKEN });
    return (body.conversations as { id: string; visitorId: string }[]).find((c) => c.visitorId === visitorId);
  });
  return (await api(stack, 'GET', `/api/v1/conversations/${list.id}`, { token: ADMIN_TOKEN })).body as {
    channel: string; messages: { author: string; text: string; delivery?: { status: string } }[];
  };
}

describe('WeCom customer-service inbox', () => {
  it('creating an inbox returns the webhook URL and console values; secrets are sealed', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: '客服', channel: 'wecom', credentials } });
    expect(res.status).toBe(201);
    const url = `${stack.config.publicUrl}/webhooks/wecom/${res.body.id}`;
    expect(res.body).toMatchObject({
      channel: 'wecom', webhookUrl: url, settings: { apiBaseUrl: 'https://qyapi.weixin.qq.com' },
      console: { url, token: credentials.token, encodingAesKey: credentials.encodingAesKey },
    });
    const stored = JSON.stringify(await stack.store.models.Inbox.findById(res.body.id).lean());
    for (const secret of [credentials.secret, credentials.token, credentials.encodingAesKey]) expect(stored).not.toContain(secret);
    const bad = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: 'x', channel: 'wecom', credentials: { ...credentials, corpId: undefined } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/corpId/);
  });
});

describe('WeCom webhook', () => {
  it('URL verification answers the decrypted echostr on a good msg_signature, 401 on a bad one', async () => {
    const echostr = cipher().encrypt('5927782489442352469');
    const good = await fetch(`${stack.url}/webhooks/wecom/${inboxId}?${signed(echostr)}&${new URLSearchParams({ echostr })}`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('5927782489442352469');
    const bad = await fetch(`${stack.url}/webhooks/wecom/${inboxId}?${signed(echostr, '0'.repeat(40))}&${new URLSearchParams({ echostr })}`);
    expect(bad.status).toBe(401);
  });

  it('a callback is acknowledged, the message pulled with sync_msg and the bot answer sent with send_msg; an overlapping pull adds nothing', async () => {
    const user = externalUserId();
    const token = fake.customerWrites(user, '运费多少');
    expect(await postCallback(token)).toEqual({ status: 200, text: 'success' });
    await waitFor('the bot answer at WeCom', async () => repliesTo(user).length > 0);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);
    const reply = fake.sent.find((m) => m.touser === user)!;
    expect(reply).toMatchObject({ open_kfid: OPEN_KFID, msgtype: 'text' });
    expect(reply.msgid).toMatch(/^[0-9a-zA-Z_-]{1,32}$/);
    expect(fake.syncRequests.at(-1)).toMatchObject({ token, limit: 1000, open_kfid: OPEN_KFID });

    // The cursor is stored per inbox, and the next pull starts from it.
    const cursor = await waitFor('the stored cursor', async () => (await stack.store.models.WecomCursor.findById(inboxId).lean())?.cursor === fake.lastCursor);
    expect(cursor).toBe(true);

    // WeCom repeats the last message in the next page: it is not a second message.
    fake.overlapNext(1);
    const before = fake.syncRequests.length;
    const second = fake.customerWrites(user, '快递几天到');
    expect((await postCallback(second)).status).toBe(200);
    await waitFor('the second answer', async () => repliesTo(user).length === 2);
    expect(fake.syncRequests[before]).toMatchObject({ cursor: expect.stringMatching(/^C\d+$/), token: second });
    const conversation = await conversationOf(user);
    expect(conversation.channel).toBe('wecom');
    expect(conversation.messages.map((m) => `${m.author}: ${m.text}`)).toEqual([
      'visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`, 'visitor: 快递几天到', `bot: ${SHIPPING_ANSWER}`,
    ]);
    expect(conversation.messages.filter((m) => m.author === 'bot').map((m) => m.delivery?.status)).toEqual(['sent', 'sent']);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);
  });

  it('pages while has_more, and an expired access_token is refreshed once', async () => {
    fake.pageSize = 1;
    const [a, b] = [externalUserId(), externalUserId()];
    fake.customerWrites(a, '运费多少');
    const token = fake.customerWrites(b, 'shipping cost?');
    fake.failNextSend(42001);
    const issued = fake.tokensIssued;
    expect((await postCallback(token)).status).toBe(200);
    await waitFor('both answers', async () => repliesTo(a).length === 1 && repliesTo(b).length === 1);
    expect(repliesTo(a)).toEqual([SHIPPING_ANSWER]);
    expect(repliesTo(b)).toEqual(['Shipping is free on orders over ¥99; most orders ship within 48 hours.']);
    expect(fake.tokensIssued).toBeGreaterThan(issued);
    fake.pageSize = Number.POSITIVE_INFINITY;
  });

  it('refuses bad input: wrong or missing signature 401, DOCTYPE 400, unknown inbox 404', async () => {
    const token = fake.customerWrites(externalUserId(), '你好');
    expect((await postCallback(token, { msgSignature: 'f'.repeat(40) })).status).toBe(401);
    expect((await post(`/webhooks/wecom/${inboxId}`, buildWechatXml({ Encrypt: cipher().encrypt('<xml/>') }))).status).toBe(401);
    const doctype = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>';
    expect((await post(`/webhooks/wecom/${inboxId}?${signed('x')}`, doctype)).status).toBe(400);
    expect((await postCallback(token, { inbox: 'no-such-inbox' })).status).toBe(404);
    // A callback for the wrong CorpID is refused without a 5xx.
    const foreign = wechatCipher(credentials.encodingAesKey, 'wwffffffffffffffff').encrypt('<xml><MsgType>event</MsgType></xml>');
    expect((await post(`/webhooks/wecom/${inboxId}?${signed(foreign)}`, buildWechatXml({ Encrypt: foreign }))).status).toBe(400);
  });
});

// WeChat Official Account end to end against the real stack: an inbox created
// through the API, signed (and encrypted) webhooks in, replies out through a
// local server that speaks the WeChat API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatCipher } from '../activities/channels/wechat/crypto';
import { startFakeWechatServer, type FakeWechatServer } from '../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import { waitFor } from './support/env';
import { api, createInbox, startStack, type Stack } from './support/stack';
import { openid, wechatApp } from './support/wechat-app';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const credentials = wechatApp();
const SHIPPING_ANSWER = '订单满 99 元包邮，一般 48 小时内发货。';

let stack: Stack;
let fake: FakeWechatServer;
let safeInbox: string;
let plainInbox: string;

beforeAll(async () => {
  fake = await startFakeWechatServer(credentials);
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  const create = (id: string, messageMode: string) =>
    createInbox(stack, { id, name: `公众号 ${messageMode}`, channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode } });
  safeInbox = await create(`wx-safe-${randomUUID().slice(0, 8)}`, 'safe');
  plainInbox = await create(`wx-plain-${randomUUID().slice(0, 8)}`, 'plaintext');
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

let msgIds = 10_000_000_000_000_000n;
const textXml = (from: string, content: string, msgId = String(++msgIds)) => buildWechatXml({
  ToUserName: 'gh_0123456789ab', FromUserName: from, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'text', Content: content, MsgId: msgId,
});

function signedQuery(extra: string[] = []) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return { timestamp, nonce, signature: wechatSignature(credentials.token, timestamp, nonce, ...extra) };
}

async function post(path: string, body: string) {
  const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, text: await res.text() };
}

/** A safe-mode callback: the XML encrypted, signed with msg_signature over the Encrypt value. */
function postSafe(inboxId: string, xml: string, opts: { msgSignature?: string } = {}) {
  const encrypt = wechatCipher(credentials.encodingAesKey, credentials.appId).encrypt(xml);
  const { timestamp, nonce, signature } = signedQuery();
  const msgSignature = opts.msgSignature ?? wechatSignature(credentials.token, timestamp, nonce, encrypt);
  const query = new URLSearchParams({ signature, timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature, openid: 'x' });
  return post(`/webhooks/wechat/${inboxId}?${query}`, buildWechatXml({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt }));
}

function postPlain(inboxId: string, xml: string, signature?: string) {
  const q = signedQuery();
  const query = new URLSearchParams({ ...q, signature: signature ?? q.signature });
  return post(`/webhooks/wechat/${inboxId}?${query}`, xml);
}

const repliesTo = (user: string) => fake.sent.filter((m) => m.touser === user).map((m) => m.text?.content);

/** The customer's conversation once its first message is stored (the webhook answers before that). */
async function conversationOf(inboxId: string, visitorId: string) {
  type Conversation = { channel: string; messages: { author: string; text: string; delivery?: { status: string; error?: string } }[] };
  return waitFor('the conversation and its first message', async () => {
    const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: ADMIN_TOKEN });
    const listed = (body.conversations as { id: string; visitorId: string }[]).find((c) => c.visitorId === visitorId);
    if (!listed) return undefined;
    const conversation = (await api(stack, 'GET', `/api/v1/conversations/${listed.id}`, { token: ADMIN_TOKEN })).body as Conversation;
    return conversation.messages.length > 0 ? conversation : undefined;
  });
}

describe('WeChat Official Account inbox', () => {
  it('creating an inbox returns the console settings once; GET never shows secrets', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', {
      token: ADMIN_TOKEN, body: { name: '默认公众号', channel: 'wechat', credentials },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'wechat', flowId: 'default', webhookUrl: `${stack.config.publicUrl}/webhooks/wechat/${res.body.id}`,
      console: { url: `${stack.config.publicUrl}/webhooks/wechat/${res.body.id}`, token: credentials.token, encodingAesKey: credentials.encodingAesKey, messageMode: 'safe' },
      settings: { apiBaseUrl: 'https://api.weixin.qq.com', messageMode: 'safe' },
    });

    const listed = await api(stack, 'GET', '/api/v1/inboxes', { token: ADMIN_TOKEN });
    const text = JSON.stringify(listed.body);
    expect(listed.body.inboxes.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([safeInbox, plainInbox, res.body.id]));
    for (const secret of [credentials.appSecret, credentials.token, credentials.encodingAesKey]) expect(text).not.toContain(secret);
    const stored = await stack.store.models.Inbox.findById(res.body.id).lean();
    for (const secret of [credentials.appSecret, credentials.token, credentials.encodingAesKey]) expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('refuses an invalid inbox with 400 naming the field', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', {
      token: ADMIN_TOKEN, body: { name: 'x', channel: 'wechat', credentials: { ...credentials, appId: 'wx123' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/appId/);
  });
});

describe('WeChat webhook', () => {
  it('URL verification echoes echostr on a good signature and is 401 on a bad one', async () => {
    const q = signedQuery();
    const good = await fetch(`${stack.url}/webhooks/wechat/${safeInbox}?${new URLSearchParams({ ...q, echostr: '1234567890' })}`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1234567890');
    const bad = await fetch(`${stack.url}/webhooks/wechat/${safeInbox}?${new URLSearchParams({ ...q, signature: '0'.repeat(40), echostr: '1' })}`);
    expect(bad.status).toBe(401);
  });

  it('safe mode: a text message gets success, then the bot answer through custom/send; a WeChat retry adds nothing', async () => {
    const user = openid();
    const xml = textXml(user, '运费多少');
    expect(await postSafe(safeInbox, xml)).toEqual({ status: 200, text: 'success' });
    await waitFor('the bot answer at WeChat', async () => repliesTo(user).length > 0);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);

    expect(await postSafe(safeInbox, xml)).toEqual({ status: 200, text: 'success' }); // WeChat's retry: same MsgId
    // A later message is handled after the retry: once its answer is out, the retry has been dropped.
    expect((await postSafe(safeInbox, textXml(user, '快递几天到'))).status).toBe(200);
    await waitFor('the second answer', async () => repliesTo(user).length === 2);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);
    const conversation = await conversationOf(safeInbox, user);
    expect(conversation.channel).toBe('wechat');
    expect(conversation.messages.map((m) => `${m.author}: ${m.text}`)).toEqual([
      'visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`, 'visitor: 快递几天到', `bot: ${SHIPPING_ANSWER}`,
    ]);
    expect(conversation.messages.filter((m) => m.author === 'bot').map((m) => m.delivery?.status)).toEqual(['sent', 'sent']);
  });

  it('plaintext mode: a signed message is answered', async () => {
    const user = openid();
    expect(await postPlain(plainInbox, textXml(user, 'shipping cost?'))).toEqual({ status: 200, text: 'success' });
    await waitFor('the answer at WeChat', async () => repliesTo(user).length > 0);
    expect(repliesTo(user)).toEqual(['Shipping is free on orders over ¥99; most orders ship within 48 hours.']);
  });

  it('refuses bad input: DOCTYPE 400, wrong or missing signature 401, unknown inbox 404, oversized 413', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>';
    expect((await postPlain(plainInbox, doctype)).status).toBe(400);
    expect((await postSafe(safeInbox, textXml(openid(), '你好'), { msgSignature: '0'.repeat(40) })).status).toBe(401);
    expect((await postPlain(plainInbox, textXml(openid(), '你好'), 'f'.repeat(40))).status).toBe(401);
    expect((await post(`/webhooks/wechat/${plainInbox}`, textXml(openid(), '你好'))).status).toBe(401);
    expect((await postPlain('no-such-inbox', textXml(openid(), '你好'))).status).toBe(404);
    expect((await postPlain(plainInbox, `<xml><Content>${'a'.repeat(1_100_000)}</Content></xml>`)).status).toBe(413);
  });
});

describe('WeChat content types', () => {
  const now = () => String(Math.floor(Date.now() / 1000));

  it('a voice message with Recognition: the bot answers the transcript; it is stored as voice with its recording', async () => {
    const user = openid();
    const msgId = String(++msgIds);
    const xml = buildWechatXml({
      ToUserName: 'gh_0123456789ab', FromUserName: user, CreateTime: now(), MsgType: 'voice', MediaId: 'voice_media_1', Format: 'amr', Recognition: '运费多少', MsgId: msgId,
    });
    expect(await postSafe(safeInbox, xml)).toEqual({ status: 200, text: 'success' });
    await waitFor('the bot answer at WeChat', async () => repliesTo(user).length > 0);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);
    const stored = await stack.store.models.Message.findById(`wechat:${safeInbox}:${msgId}`).lean();
    expect(stored).toMatchObject({
      type: 'voice', text: '运费多少', transcript: 'provider', media: [{ kind: 'voice', providerMediaId: 'voice_media_1', mime: 'audio/amr' }],
    });
  });

  it('an image is stored with type image, its picture and the decrypted XML as the raw payload; the API shows them', async () => {
    const user = openid();
    const msgId = String(++msgIds);
    const xml = buildWechatXml({
      ToUserName: 'gh_0123456789ab', FromUserName: user, CreateTime: now(), MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', MediaId: 'image_media_1', MsgId: msgId,
    });
    expect(await postSafe(safeInbox, xml)).toEqual({ status: 200, text: 'success' });
    const id = `wechat:${safeInbox}:${msgId}`;
    const stored = await waitFor('the stored image', () => stack.store.models.Message.findById(id).lean());
    expect(stored).toMatchObject({
      type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', providerMediaId: 'image_media_1' }], rawRef: `rawPayloads/${id}`,
    });
    expect(await stack.store.models.RawPayload.findById(id).lean()).toMatchObject({ channel: 'wechat', format: 'xml', body: xml });
    const conversation = await conversationOf(safeInbox, user) as unknown as { messages: Record<string, unknown>[] };
    expect(conversation.messages[0]).toMatchObject({
      author: 'visitor', type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', providerMediaId: 'image_media_1' }],
    });
  });

  it('following the account is an event message; unfollowing starts nothing', async () => {
    const user = openid();
    const event = (name: string) => buildWechatXml({ ToUserName: 'gh_0123456789ab', FromUserName: user, CreateTime: now(), MsgType: 'event', Event: name });
    expect(await postPlain(plainInbox, event('subscribe'))).toEqual({ status: 200, text: 'success' });
    const conversation = await conversationOf(plainInbox, user) as unknown as { messages: Record<string, unknown>[] };
    expect(conversation.messages[0]).toMatchObject({ author: 'visitor', type: 'event', text: '[关注 Followed the account]', event: { name: 'subscribe' } });

    const stranger = openid();
    const leave = buildWechatXml({ ToUserName: 'gh_0123456789ab', FromUserName: stranger, CreateTime: now(), MsgType: 'event', Event: 'unsubscribe' });
    expect(await postPlain(plainInbox, leave)).toEqual({ status: 200, text: 'success' });
    expect(await stack.store.models.Conversation.countDocuments({ inboxId: plainInbox, visitorId: stranger })).toBe(0);
  });
});

describe('WeChat sending', () => {
  it('an expired access_token is refreshed once and the reply delivered', async () => {
    const user = openid();
    const issued = fake.tokensIssued;
    fake.failNextSend(42001);
    await postSafe(safeInbox, textXml(user, '运费多少'));
    await waitFor('the answer at WeChat', async () => repliesTo(user).length > 0);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER]);
    expect(fake.tokensIssued).toBe(issued + 1);
  });

  it('"system busy" is retried and the reply delivered once', async () => {
    const user = openid();
    fake.failNextSend(-1);
    await postSafe(safeInbox, textXml(user, '运费多少'));
    await waitFor('the answer at WeChat', async () => repliesTo(user).length > 0);
    // The next message's answer follows the first: nothing more was sent for it.
    await postSafe(safeInbox, textXml(user, '配送'));
    await waitFor('the second answer', async () => repliesTo(user).length >= 2);
    expect(repliesTo(user)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);
  });

  it('a permanent refusal (45015) is recorded on the message for the agent', async () => {
    const user = openid();
    fake.refuseOpenid(user, 45015);
    expect((await postSafe(safeInbox, textXml(user, '运费多少'))).status).toBe(200);
    const failed = await waitFor('the failed delivery', async () => {
      const c = await conversationOf(safeInbox, user);
      return c.messages.find((m) => m.author === 'bot' && m.delivery?.status === 'failed');
    });
    expect(failed.delivery?.error).toMatch(/45015/);
    expect(repliesTo(user)).toEqual([]);
    // Nothing crashed: the conversation still answers.
    expect((await postSafe(safeInbox, textXml(user, '配送'))).status).toBe(200);
  });
});

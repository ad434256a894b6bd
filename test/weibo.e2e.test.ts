// Weibo private messages (微博 粉丝服务平台) end to end against the real stack:
// an inbox created through the API, signed JSON pushes in, replies out through
// a local server that speaks Weibo's reply API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeiboServer, type FakeWeiboServer } from '../activities/channels/weibo/fake-weibo-server';
import { weiboSignature } from '../activities/channels/weibo/signature';
import { waitFor } from './support/env';
import { api, createInbox, startStack, type Stack } from './support/stack';
import { signedQuery, textPush, weiboApp, weiboTime, weiboUid, ACCOUNT_UID } from './support/weibo-app';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const credentials = weiboApp();
const SHIPPING_ANSWER = '订单满 99 元包邮，一般 48 小时内发货。';

let stack: Stack;
let fake: FakeWeiboServer;
let inboxId: string;

beforeAll(async () => {
  fake = await startFakeWeiboServer(credentials);
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  inboxId = await createInbox(stack, { id: `wb-${randomUUID().slice(0, 8)}`, name: '微博私信', channel: 'weibo', credentials, settings: { apiBaseUrl: fake.url } });
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

/** A push as Weibo sends it: the JSON body, the signature in the query. */
async function push(body: unknown, opts: { inbox?: string; query?: URLSearchParams } = {}) {
  const query = opts.query ?? signedQuery(credentials.appSecret);
  const res = await fetch(`${stack.url}/webhooks/weibo/${opts.inbox ?? inboxId}?${query}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const repliesTo = (uid: string) => fake.sent.filter((m) => m.receiverId === uid).map((m) => m.text);

async function conversationOf(visitorId: string) {
  const list = await waitFor('the conversation', async () => {
    const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: ADMIN_TOKEN });
    return (body.conversations as { id: string; visitorId: string }[]).find((c) => c.visitorId === visitorId);
  });
  return (await api(stack, 'GET', `/api/v1/conversations/${list.id}`, { token: ADMIN_TOKEN })).body as {
    channel: string; messages: { author: string; text: string; delivery?: { status: string; error?: string } }[];
  };
}

describe('Weibo inbox', () => {
  it('creating an inbox returns the webhook URL and the APPKEY for the console; secrets are never shown or stored in the clear', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: '官方微博', channel: 'weibo', credentials } });
    expect(res.status).toBe(201);
    const url = `${stack.config.publicUrl}/webhooks/weibo/${res.body.id}`;
    expect(res.body).toMatchObject({
      channel: 'weibo', flowId: 'default', webhookUrl: url, console: { url, appKey: credentials.appKey },
      settings: { apiBaseUrl: 'https://m.api.weibo.com' },
    });
    expect(res.body.id).toMatch(/^weibo-/);

    const secrets = [credentials.appSecret, credentials.accessToken];
    expect(JSON.stringify(res.body)).not.toContain(credentials.appSecret);
    const listed = await api(stack, 'GET', '/api/v1/inboxes', { token: ADMIN_TOKEN });
    expect(listed.body.inboxes.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([inboxId, res.body.id]));
    for (const secret of secrets) expect(JSON.stringify(listed.body)).not.toContain(secret);
    const stored = await stack.store.models.Inbox.findById(res.body.id).lean();
    for (const secret of secrets) expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('refuses an invalid inbox with 400 naming the field', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', {
      token: ADMIN_TOKEN, body: { name: 'x', channel: 'weibo', credentials: { ...credentials, accessToken: 'short' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/accessToken/);
    const missing = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: 'x', channel: 'weibo', credentials: { appKey: '123456' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/appSecret/);
  });
});

describe('Weibo webhook', () => {
  it('URL verification echoes echostr on a good signature; a wrong, missing or old one is 401', async () => {
    const good = await fetch(`${stack.url}/webhooks/weibo/${inboxId}?${signedQuery(credentials.appSecret, { echostr: 'dnPdpTZz85' })}`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('dnPdpTZz85');

    const wrong = signedQuery('0'.repeat(32), { echostr: 'x' });
    expect((await fetch(`${stack.url}/webhooks/weibo/${inboxId}?${wrong}`)).status).toBe(401);
    expect((await fetch(`${stack.url}/webhooks/weibo/${inboxId}?echostr=x&timestamp=1&nonce=2`)).status).toBe(401);
    const old = signedQuery(credentials.appSecret, { echostr: 'x' });
    const timestamp = String(Date.now() - 3_600_000);
    old.set('timestamp', timestamp);
    old.set('signature', weiboSignature(credentials.appSecret, timestamp, old.get('nonce')!));
    expect((await fetch(`${stack.url}/webhooks/weibo/${inboxId}?${old}`)).status).toBe(401);
  });

  it('a private message is acknowledged with an empty body, and the bot answer goes out through messages/reply; Weibo\'s retry adds nothing', async () => {
    const uid = weiboUid();
    const message = textPush(uid, '运费多少');
    expect(await push(message)).toEqual({ status: 200, text: '' });
    await waitFor('the bot answer at Weibo', async () => repliesTo(uid).length > 0);
    expect(repliesTo(uid)).toEqual([SHIPPING_ANSWER]);

    // Weibo's retry: the same body, newly signed.
    expect(await push(message)).toEqual({ status: 200, text: '' });
    // A later message is handled after the retry: once its answer is out, the retry has been dropped.
    expect((await push(textPush(uid, '快递几天到'))).status).toBe(200);
    await waitFor('the second answer', async () => repliesTo(uid).length === 2);
    expect(repliesTo(uid)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);
    const conversation = await conversationOf(uid);
    expect(conversation.channel).toBe('weibo');
    expect(conversation.messages.map((m) => `${m.author}: ${m.text}`)).toEqual([
      'visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`, 'visitor: 快递几天到', `bot: ${SHIPPING_ANSWER}`,
    ]);
    expect(conversation.messages.filter((m) => m.author === 'bot').map((m) => m.delivery?.status)).toEqual(['sent', 'sent']);
  });

  it('two different messages in the same second are both kept', async () => {
    const uid = weiboUid();
    const at = new Date();
    expect((await push(textPush(uid, 'shipping cost?', at))).status).toBe(200);
    expect((await push(textPush(uid, 'delivery time?', at))).status).toBe(200);
    const conversation = await waitFor('both messages', async () => {
      const c = await conversationOf(uid);
      return c.messages.filter((m) => m.author === 'visitor').length === 2 ? c : undefined;
    });
    expect(conversation.messages.filter((m) => m.author === 'visitor').map((m) => m.text)).toEqual(['shipping cost?', 'delivery time?']);
  });

  it('acknowledges what starts nothing: an unfollow, a mention, a type Weibo adds later', async () => {
    const uid = weiboUid();
    const base = { receiver_id: ACCOUNT_UID, sender_id: Number(uid), created_at: weiboTime() };
    expect(await push({ ...base, type: 'event', text: '取消关注事件消息', data: { subtype: 'unfollow' } })).toEqual({ status: 200, text: '' });
    expect(await push({ ...base, type: 'mention', text: '@官方微博 你好', data: {} })).toEqual({ status: 200, text: '' });
    expect(await push({ ...base, type: 'sticker', text: '[表情]', data: {} })).toEqual({ status: 200, text: '' });
    const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: ADMIN_TOKEN });
    expect((body.conversations as { visitorId: string }[]).some((c) => c.visitorId === uid)).toBe(false);
  });

  it('refuses bad input: wrong or missing signature 401, malformed body 400, oversized 413, unknown inbox 404', async () => {
    const uid = weiboUid();
    const message = textPush(uid, '你好');
    expect((await push(message, { query: signedQuery('f'.repeat(32)) })).status).toBe(401);
    const noSignature = signedQuery(credentials.appSecret);
    noSignature.delete('signature');
    expect((await push(message, { query: noSignature })).status).toBe(401);
    expect((await push('{"type":"text",')).status).toBe(400);
    expect((await push('[1,2,3]')).status).toBe(400);
    expect((await push('<xml><ToUserName><![CDATA[gh]]></ToUserName><!DOCTYPE x [<!ENTITY a "b">]></xml>')).status).toBe(400);
    expect((await push({ ...message, sender_id: 'someone' })).status).toBe(400);
    expect((await push({ ...message, created_at: 'yesterday' })).status).toBe(400);
    expect((await push(`{"type":"text","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).status).toBe(400);
    expect((await push({ ...message, text: 'a'.repeat(1_100_000) })).status).toBe(413);
    expect((await push(message, { inbox: 'no-such-inbox' })).status).toBe(404);
    // Nothing of it reached a conversation.
    const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: ADMIN_TOKEN });
    expect((body.conversations as { visitorId: string }[]).some((c) => c.visitorId === uid)).toBe(false);
  });
});

describe('Weibo sending', () => {
  it('an agent takes the conversation; a long reply goes out through Weibo cut under the limit, with a link that opens the whole of it', async () => {
    const uid = weiboUid();
    const agent = stack.logins['agent-lina'];
    expect((await push(textPush(uid, '人工'))).status).toBe(200);
    const queued = await waitFor('queued', async () => {
      const { body } = await api(stack, 'GET', `/api/v1/conversations?inboxId=${inboxId}&status=queued`, { token: agent.token });
      return (body.conversations as { id: string; visitorId: string }[]).find((c) => c.visitorId === uid);
    });
    expect((await api(stack, 'POST', `/api/v1/conversations/${queued.id}/accept`, { token: agent.token })).status).toBe(200);
    const text = `您好，我是李娜。${'关于您的订单，我们已经为您加急处理，预计明天送达。'.repeat(14)}`;
    expect([...text].length).toBeGreaterThan(299);
    expect((await api(stack, 'POST', `/api/v1/conversations/${queued.id}/messages`, { token: agent.token, body: { text } })).status).toBe(201);
    const reply = await waitFor('the agent reply at Weibo', async () => repliesTo(uid).find((r) => r.startsWith('您好，我是李娜。')));
    expect([...reply].length).toBeLessThanOrEqual(299);
    const [shown, link] = reply.split('…\n全文 Full message: ');
    expect(text.startsWith(shown!)).toBe(true);
    // The link names the configured public URL: ask the test server for its page.
    const url = new URL(link!);
    const page = await fetch(`${stack.url}${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(text);
  });

  it('a gateway error and a rate limit are retried, and the reply is delivered once', async () => {
    const uid = weiboUid();
    fake.failNext({ status: 502 }, { status: 403, errorCode: 10023 });
    expect((await push(textPush(uid, '运费多少'))).status).toBe(200);
    await waitFor('the answer at Weibo', async () => repliesTo(uid).length > 0);
    // The next message's answer follows the first: nothing more was sent for it.
    expect((await push(textPush(uid, '配送'))).status).toBe(200);
    await waitFor('the second answer', async () => repliesTo(uid).length >= 2);
    expect(repliesTo(uid)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);
  });

  it('a permanent refusal is recorded on the message for the agent, and the conversation goes on', async () => {
    const uid = weiboUid();
    fake.refuseReceiver(uid, 20003);
    expect((await push(textPush(uid, '运费多少'))).status).toBe(200);
    const failed = await waitFor('the failed delivery', async () => {
      const c = await conversationOf(uid);
      return c.messages.find((m) => m.author === 'bot' && m.delivery?.status === 'failed');
    });
    expect(failed.delivery?.error).toMatch(/20003/);
    expect(failed.delivery?.error).not.toContain(credentials.accessToken);
    expect(repliesTo(uid)).toEqual([]);
    expect((await push(textPush(uid, '配送'))).status).toBe(200);
  });
});

// The Weibo sender against a local server that speaks the fan-service reply
// API (POST /2/messages/reply.json, form-encoded, errors as {error, error_code}):
// replies adapted to Weibo (plain text, choices and cards listed in it, a long
// reply cut with a signed link to the whole of it), retries of transient
// trouble, and refusals recorded as failed deliveries.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/env';
import { weiboApp, weiboUid } from '../../../test/support/weibo-app';
import { messageActivities, messageStore } from '../../messages';
import { fullMessageLinks } from '../full-message-link';
import type { OutboundToSend } from '../index';
import { weiboCapabilities } from './capabilities';
import { startFakeWeiboServer, type FakeWeiboServer } from './fake-weibo-server';
import type { WeiboInbox } from './inbox';
import { weiboSender } from './send';

const credentials = weiboApp();
const links = fullMessageLinks('https://huiliu.example', randomBytes(32));
let fake: FakeWeiboServer;
let inbox: WeiboInbox;
let send: ReturnType<typeof weiboSender>;
let n = 0;

beforeAll(async () => {
  fake = await startFakeWeiboServer(credentials);
  inbox = { credentials, settings: { apiBaseUrl: fake.url } };
  send = weiboSender({ inbox: async (id) => (id === 'wb-inbox' ? inbox : undefined), fullMessageUrl: links.url });
});
afterAll(async () => { await fake?.close(); });

const message = (fields: Partial<OutboundToSend> = {}): OutboundToSend =>
  ({ id: `m${++n}`, inboxId: 'wb-inbox', visitorId: fields.visitorId ?? weiboUid(), text: '您好，请问有什么可以帮您？', ...fields });
const sentTo = (uid: string) => fake.sent.filter((m) => m.receiverId === uid);
const LONG = '订单满 99 元包邮，一般 48 小时内发货。偏远地区可能需要多一到两天。'.repeat(25);

describe('weiboSender: replies', () => {
  it('sends a text reply with the documented fields', async () => {
    const msg = message();
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toEqual([{ receiverId: msg.visitorId, type: 'text', text: msg.text, saveSenderBox: '1' }]);
  });

  it('cuts a long reply to one message within the limit, ending with a signed link to the whole text', async () => {
    const msg = message({ id: 'conv-wb:out:3', text: LONG });
    expect(await send(msg)).toEqual({ status: 'sent' });
    const [text, ...more] = sentTo(msg.visitorId).map((m) => m.text);
    expect(more).toEqual([]);
    expect([...text!].length).toBeLessThanOrEqual(weiboCapabilities.maxText.max);
    const [shown, link] = text!.split('…\n全文 Full message: ');
    expect(LONG.startsWith(shown!)).toBe(true);
    expect(shown!.length).toBeGreaterThan(200);
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe('https://huiliu.example/m/conv-wb%3Aout%3A3');
    expect(links.verify(msg.id, url.searchParams.get('s')!)).toBe(true);
  });

  it('lists the choices under the text (Weibo has no menus), each label as it reads', async () => {
    const msg = message({ text: '请为本次服务打分：', choices: [{ id: '5', label: '5 非常满意' }, { id: '1', label: '1 非常不满意' }] });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId).map((m) => m.text)).toEqual(['请为本次服务打分：\n\n5 非常满意\n1 非常不满意']);
  });

  it('sends markdown as plain text and a card as numbered text', async () => {
    const msg = message({
      text: '**新品**推荐：',
      card: { title: '春季新品', url: 'https://shop.example/spring', buttons: [{ label: '立即购买', url: 'https://shop.example/buy' }, { label: '联系客服' }] },
    });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId).map((m) => m.text)).toEqual([
      '新品推荐：\n\n春季新品\nhttps://shop.example/spring\n1. 立即购买 — https://shop.example/buy\n2. 联系客服',
    ]);
  });
});

describe('weiboSender: transient trouble throws (the activity retries), and the retry delivers once', () => {
  it('an HTTP 502 from a gateway', async () => {
    const msg = message();
    fake.failNext({ status: 502 });
    await expect(send(msg)).rejects.toThrow(/HTTP 502/);
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toHaveLength(1);
  });

  it('a rate limit (error_code 10023) and "system error" (10001)', async () => {
    for (const errorCode of [10023, 10001]) {
      const msg = message();
      fake.failNext({ status: 403, errorCode });
      await expect(send(msg)).rejects.toThrow(new RegExp(`error_code ${errorCode}.*will retry`));
      expect(await send(msg)).toEqual({ status: 'sent' });
      expect(sentTo(msg.visitorId)).toHaveLength(1);
    }
  });

  it('a long reply retried through the message store (a new sender, as after a crash) goes out once, cut the same way', async () => {
    const store = await openTestStore();
    try {
      const { models } = store;
      const uid = weiboUid();
      const input = {
        conversationId: `conv-${uid}`, inboxId: 'wb-inbox', channel: 'weibo', visitorId: uid, messageId: `conv-${uid}:1`,
        author: 'agent' as const, kind: 'text' as const, text: LONG, at: Date.now(),
      };
      fake.failNext({ status: 503 });
      const first = messageActivities(models, messageStore(models, () => {}, { weibo: send }));
      await expect(first.sendMessage(input)).rejects.toThrow(/HTTP 503/);
      const fresh = weiboSender({ inbox: async (id) => (id === 'wb-inbox' ? inbox : undefined), fullMessageUrl: links.url });
      await messageActivities(models, messageStore(models, () => {}, { weibo: fresh })).sendMessage(input);
      const sent = sentTo(uid).map((m) => m.text);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain(links.url(input.messageId));
      expect((await models.Message.findById(input.messageId).lean())?.delivery).toMatchObject({ status: 'sent' });
    } finally {
      await store.close();
    }
  });

  it('the API not answering at all; the error names neither the URL nor the token', async () => {
    const down = weiboSender({ inbox: async () => ({ credentials, settings: { apiBaseUrl: 'http://127.0.0.1:9' } }) });
    const err = await down(message()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/did not answer/);
    expect((err as Error).message).not.toContain(credentials.accessToken);
  });
});

describe('weiboSender: refusals are failed deliveries', () => {
  it('a customer the account may no longer write to', async () => {
    const uid = weiboUid();
    fake.refuseReceiver(uid, 20003);
    const delivery = await send(message({ visitorId: uid }));
    expect(delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('20003') });
    expect(sentTo(uid)).toEqual([]);
  });

  it('a wrong or expired token, without showing it', async () => {
    const wrong = weiboSender({ inbox: async () => ({ credentials: { ...credentials, accessToken: '2.00wrongwrongwrongwrong' }, settings: inbox.settings }) });
    const delivery = await wrong(message());
    expect(delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('21332') });
    expect(JSON.stringify(delivery)).not.toContain('2.00wrong');
  });

  it('an inbox that no longer exists', async () => {
    expect(await send(message({ inboxId: 'gone' }))).toEqual({ status: 'failed', error: 'inbox "gone" no longer exists' });
  });
});

describe('a reply stored by the conversation', () => {
  it('goes out through the message store, its delivery recorded', async () => {
    const store = await openTestStore();
    try {
      const { models } = store;
      const { sendMessage } = messageActivities(models, messageStore(models, () => {}, { weibo: send }));
      const uid = weiboUid();
      const messageId = `conv-${uid}:1`;
      await sendMessage({
        conversationId: `conv-${uid}`, inboxId: 'wb-inbox', channel: 'weibo', visitorId: uid, messageId,
        author: 'bot', kind: 'text', text: '订单满 99 元包邮。', at: Date.now(),
      });
      expect(sentTo(uid).map((m) => m.text)).toEqual(['订单满 99 元包邮。']);
      expect((await models.Message.findById(messageId).lean())?.delivery).toMatchObject({ status: 'sent' });
    } finally {
      await store.close();
    }
  });
});

describe('the fake Weibo API refuses what Weibo refuses', () => {
  async function post(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
    const res = await fetch(`${fake.url}/2/messages/reply.json`, { method: 'POST', headers: { 'content-type': contentType }, body: new URLSearchParams(fields) });
    return { status: res.status, body: (await res.json()) as { error_code?: number; request?: string } };
  }
  const good = () => ({ access_token: credentials.accessToken, type: 'text', data: JSON.stringify({ text: '你好' }), receiver_id: weiboUid() });

  it('answers errors as {error, error_code, request}', async () => {
    const noToken: Record<string, string> = good();
    delete noToken.access_token;
    expect(await post(noToken)).toMatchObject({ status: 400, body: { error_code: 10016, request: '/2/messages/reply.json' } });
    expect((await post(good(), 'application/json')).body.error_code).toBe(10007);
    expect((await post({ ...good(), receiver_id: 'abc' })).body.error_code).toBe(10017);
    expect((await post({ ...good(), data: '%7B' })).body.error_code).toBe(10017);
    expect((await post({ ...good(), data: JSON.stringify({ text: '好'.repeat(300) }) })).body.error_code).toBe(10017);
    expect((await post({ ...good(), save_sender_box: '2' })).body.error_code).toBe(10017);
    expect((await post(good())).status).toBe(200);
  });
});

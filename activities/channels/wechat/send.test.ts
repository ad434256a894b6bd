// The WeChat sender against a local server that speaks the customer-service
// message API: text messages, and messages with choices as menu messages
// (msgmenu), as the Official Account documentation shows them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/env';
import { openid, wechatApp } from '../../../test/support/wechat-app';
import { messageActivities, messageStore } from '../../messages';
import type { OutboundToSend } from '../index';
import { emojiToFaceCodes } from './emoji';
import { startFakeWechatServer, type FakeWechatServer } from './fake-wechat-server';
import type { WechatInbox } from './inbox';
import { MENU_LIMITS, messageParts, wechatSender } from './send';

const RATINGS = [
  { id: '5', label: '5 非常满意' }, { id: '4', label: '4 满意' }, { id: '3', label: '3 一般' },
  { id: '2', label: '2 不满意' }, { id: '1', label: '1 非常不满意' },
];
const SURVEY = '请为本次服务打分（1–5）：5 非常满意，4 满意，3 一般，2 不满意，1 非常不满意。';

let fake: FakeWechatServer;
let send: ReturnType<typeof wechatSender>;
let n = 0;

beforeAll(async () => {
  const credentials = wechatApp();
  fake = await startFakeWechatServer(credentials);
  const inbox: WechatInbox = { credentials, settings: { apiBaseUrl: fake.url, messageMode: 'safe' } };
  send = wechatSender({ inbox: async (id) => (id === 'wx-inbox' ? inbox : undefined) });
});
afterAll(async () => { await fake?.close(); });

const message = (fields: Partial<OutboundToSend> = {}): OutboundToSend =>
  ({ id: `m${++n}`, inboxId: 'wx-inbox', visitorId: fields.visitorId ?? openid(), text: SURVEY, ...fields });
const sentTo = (user: string) => fake.sent.filter((m) => m.touser === user);

describe('wechatSender: choices', () => {
  it('sends a message with choices as a menu message: the text as head_content, one item per choice', async () => {
    const msg = message({ choices: RATINGS });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toEqual([{
      touser: msg.visitorId,
      msgtype: 'msgmenu',
      msgmenu: { head_content: SURVEY, list: RATINGS.map((c) => ({ id: c.id, content: c.label })) },
    }]);
  });

  it('sends text only without choices, or with none', async () => {
    for (const choices of [undefined, []]) {
      const msg = message({ text: '您好', ...(choices ? { choices } : {}) });
      expect(await send(msg)).toEqual({ status: 'sent' });
      expect(sentTo(msg.visitorId)).toEqual([{ touser: msg.visitorId, msgtype: 'text', text: { content: '您好' } }]);
    }
  });

  it('keeps the labels as they are while the head gets WeChat faces, so a tap returns the label itself', async () => {
    const msg = message({ text: '满意吗？🙂', choices: [{ id: 'y', label: '满意 🙂' }] });
    await send(msg);
    expect(sentTo(msg.visitorId)[0]!.msgmenu).toEqual({ head_content: `满意吗？${emojiToFaceCodes('🙂')}`, list: [{ id: 'y', content: '满意 🙂' }] });
  });

  it('sends a long text first and the menu with its last piece, the whole text said once', async () => {
    // 3,300 bytes and the survey: a full text, then more than a menu's head holds.
    const text = `${'很'.repeat(1100)}${SURVEY}`;
    const msg = message({ text, choices: RATINGS });
    expect(await send(msg)).toEqual({ status: 'sent' });
    const sent = sentTo(msg.visitorId);
    expect(sent.map((m) => m.msgtype)).toEqual(['text', 'text', 'msgmenu']);
    expect(sent.map((m) => m.text?.content ?? m.msgmenu?.head_content).join('')).toBe(text);
    expect(Buffer.byteLength(sent[2]!.msgmenu!.head_content!)).toBeLessThanOrEqual(1024);
  });

  it('asks in text when the account may not send menus (40200), the text listing the choices', async () => {
    fake.refuseMenus(40200);
    try {
      const msg = message({ choices: RATINGS });
      expect(await send(msg)).toEqual({ status: 'sent' });
      expect(sentTo(msg.visitorId)).toEqual([{ touser: msg.visitorId, msgtype: 'text', text: { content: SURVEY } }]);
    } finally {
      fake.refuseMenus();
    }
  });

  it('asks in text when there are more choices than a menu holds', async () => {
    const msg = message({ choices: Array.from({ length: 11 }, (_, i) => ({ id: String(i), label: `${i} 分` })) });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId).map((m) => m.msgtype)).toEqual(['text']);
  });

  it('retries a busy menu send with the same menu', async () => {
    const msg = message({ choices: RATINGS });
    fake.failNextSend(-1);
    await expect(send(msg)).rejects.toThrow(/busy/);
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId).map((m) => m.msgtype)).toEqual(['msgmenu']);
  });

  it('reports a refused follower as a failed delivery, menu or not', async () => {
    const user = openid();
    fake.refuseOpenid(user, 45015);
    const delivery = await send(message({ visitorId: user, choices: RATINGS }));
    expect(delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('45015') });
  });
});

describe('a survey stored by the conversation', () => {
  it('goes out as a menu through the message store, its delivery recorded', async () => {
    const store = await openTestStore();
    try {
      const { models } = store;
      const { sendMessage } = messageActivities(models, messageStore(models, () => {}, { wechat: send }));
      const user = openid();
      const messageId = `conv-${user}:1`;
      await sendMessage({
        conversationId: `conv-${user}`, inboxId: 'wx-inbox', channel: 'wechat', visitorId: user, messageId,
        author: 'system', kind: 'survey', text: SURVEY, choices: RATINGS, at: Date.now(),
      });
      expect(sentTo(user)).toEqual([expect.objectContaining({ msgtype: 'msgmenu', msgmenu: expect.objectContaining({ head_content: SURVEY }) })]);
      expect((await models.Message.findById(messageId).lean())?.delivery).toMatchObject({ status: 'sent' });
    } finally {
      await store.close();
    }
  });
});

describe('the fake WeChat API: menu messages', () => {
  async function post(body: unknown) {
    const token = await (await fetch(`${fake.url}/cgi-bin/token?grant_type=client_credential&appid=${wechatApp().appId}&secret=${wechatApp().appSecret}`)).json() as { access_token: string };
    const res = await fetch(`${fake.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as { errcode: number };
  }

  it('refuses malformed menus as WeChat does', async () => {
    const touser = openid();
    expect((await post({ touser, msgtype: 'msgmenu' })).errcode).toBe(44002);
    expect((await post({ touser, msgtype: 'msgmenu', msgmenu: { head_content: 'x', list: [] } })).errcode).toBe(47001);
    expect((await post({ touser, msgtype: 'msgmenu', msgmenu: { list: [{ id: '1' }] } })).errcode).toBe(47001);
    expect((await post({ touser, msgtype: 'msgmenu', msgmenu: { list: Array.from({ length: 11 }, (_, i) => ({ id: `${i}`, content: `${i}` })) } })).errcode).toBe(45098);
    expect((await post({ touser, msgtype: 'msgmenu', msgmenu: { head_content: '您对本次服务是否满意呢？', list: [{ id: '101', content: '满意' }], tail_content: '欢迎再次光临' } })).errcode).toBe(0);
    expect(sentTo(touser)).toHaveLength(1);
  });
});

describe('messageParts', () => {
  it('is the same for the same input, so a retry goes on from the part it reached', () => {
    const text = '好'.repeat(1500);
    expect(messageParts(text, RATINGS, MENU_LIMITS)).toEqual(messageParts(text, RATINGS, MENU_LIMITS));
    expect(messageParts(text, RATINGS, MENU_LIMITS).map((p) => p.kind)).toEqual(['text', 'text', 'menu']);
  });

  it('leaves out choices a menu cannot carry: an empty or too long id or label', () => {
    for (const choice of [{ id: '', label: 'a' }, { id: 'a', label: '' }, { id: 'x'.repeat(65), label: 'a' }, { id: 'a', label: '好'.repeat(43) }]) {
      expect(messageParts('hi', [choice], MENU_LIMITS)).toEqual([{ kind: 'text', content: 'hi' }]);
    }
  });
});

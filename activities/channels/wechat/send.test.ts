// The WeChat sender against a local server that speaks the customer-service
// message API: text messages, messages with choices as menu messages
// (msgmenu) and cards as news messages, as the Official Account documentation
// shows them; markdown arrives as plain text, and a long text in parts, each
// sent once however often the send is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/env';
import { PNG, startPictureServer } from '../../../test/support/picture-server';
import { openid, wechatApp } from '../../../test/support/wechat-app';
import { messageActivities, messageStore } from '../../messages';
import { choicesText } from '../capabilities';
import type { OutboundToSend } from '../index';
import { emojiToFaceCodes } from './emoji';
import { startFakeWechatServer, type FakeWechatServer } from './fake-wechat-server';
import type { WechatInbox } from './inbox';
import { MENU_LIMITS, messageParts, WECHAT_PICTURES, wechatSender } from './send';

const RATINGS = [
  { id: '5', label: '5 非常满意' }, { id: '4', label: '4 满意' }, { id: '3', label: '3 一般' },
  { id: '2', label: '2 不满意' }, { id: '1', label: '1 非常不满意' },
];
const SURVEY = '请为本次服务打分（1–5）：5 非常满意，4 满意，3 一般，2 不满意，1 非常不满意。';

let fake: FakeWechatServer;
let inbox: WechatInbox;
let send: ReturnType<typeof wechatSender>;
let n = 0;

beforeAll(async () => {
  const credentials = wechatApp();
  fake = await startFakeWechatServer(credentials);
  inbox = { credentials, settings: { apiBaseUrl: fake.url, messageMode: 'safe' } };
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
      expect(sentTo(msg.visitorId)).toEqual([{ touser: msg.visitorId, msgtype: 'text', text: { content: `${SURVEY}\n\n${choicesText(RATINGS)}` } }]);
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
    const pieces = ['好'.repeat(682), '好'.repeat(500)];
    expect(messageParts(pieces, RATINGS, MENU_LIMITS)).toEqual(messageParts(pieces, RATINGS, MENU_LIMITS));
    expect(messageParts(pieces, RATINGS, MENU_LIMITS).map((p) => p.kind)).toEqual(['text', 'text', 'menu']);
  });

  it('asks in text, listing them, for choices a menu cannot carry: an empty or too long id or label', async () => {
    for (const choice of [{ id: '', label: 'a' }, { id: 'a', label: '' }, { id: 'x'.repeat(65), label: 'a' }, { id: 'a', label: '好'.repeat(43) }]) {
      const msg = message({ text: 'hi', choices: [choice] });
      expect(await send(msg)).toEqual({ status: 'sent' });
      expect(sentTo(msg.visitorId)).toEqual([{ touser: msg.visitorId, msgtype: 'text', text: { content: `hi\n\n${choicesText([choice])}` } }]);
    }
  });
});

describe('wechatSender: adapted to what WeChat shows', () => {
  it('sends markdown as plain text', async () => {
    const msg = message({ text: '## 发货通知\n您的订单**已发货**，请查看 [物流详情](https://shop.example/t/1)。\n- 顺丰快递\n- 预计 `2` 天送达' });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toEqual([{
      touser: msg.visitorId, msgtype: 'text',
      text: { content: '发货通知\n您的订单已发货，请查看 物流详情 (https://shop.example/t/1)。\n• 顺丰快递\n• 预计 2 天送达' },
    }]);
  });

  it('sends a card with a link as a news message of one article after the text, its buttons listed in the text', async () => {
    const msg = message({
      text: '为您推荐：',
      card: {
        title: '春季新品', text: '全场 8 折', url: 'https://shop.example/spring', imageUrl: 'https://img.example/spring.jpg',
        buttons: [{ label: '立即购买', url: 'https://shop.example/buy' }],
      },
    });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toEqual([
      { touser: msg.visitorId, msgtype: 'text', text: { content: '为您推荐：\n\n1. 立即购买 — https://shop.example/buy' } },
      {
        touser: msg.visitorId, msgtype: 'news',
        news: { articles: [{ title: '春季新品', description: '全场 8 折', url: 'https://shop.example/spring', picurl: 'https://img.example/spring.jpg' }] },
      },
    ]);
  });

  it('sends a card without a link as numbered text', async () => {
    const msg = message({ text: '门店信息', card: { title: '静安店', text: '10:00–22:00', buttons: [{ label: '导航', url: 'https://map.example/1' }, { label: '致电' }] } });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId)).toEqual([{
      touser: msg.visitorId, msgtype: 'text', text: { content: '门店信息\n\n静安店\n10:00–22:00\n1. 导航 — https://map.example/1\n2. 致电' },
    }]);
  });

  it('splits a long text at 2048 bytes without cutting a character or a WeChat face', async () => {
    const text = `${'好'.repeat(681)}🙂${'好'.repeat(10)}`; // 2043 bytes, then the face "[微笑]" (8 bytes) would not fit
    const msg = message({ text });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(msg.visitorId).map((m) => m.text!.content)).toEqual(['好'.repeat(681), `[微笑]${'好'.repeat(10)}`]);
  });
});

describe('wechatSender: a long text is sent in parts, each once', () => {
  const LONG = '订单满 99 元包邮，一般 48 小时内发货。偏远地区可能需要多一到两天。'.repeat(60);

  it('a failure in the middle: the retry sends only the parts not yet sent', async () => {
    let recorded = 0;
    const msg = message({ text: LONG, recordPartsSent: async (k) => { recorded = k; } });
    fake.failNextSend(0);
    fake.failNextSend(-1);
    await expect(send(msg)).rejects.toThrow(/busy/);
    const first = sentTo(msg.visitorId).map((m) => m.text!.content);
    expect(first).toHaveLength(1);
    expect(recorded).toBe(1);
    // The retry may run in another worker: it knows only what was recorded.
    expect(await send({ ...msg, partsSent: recorded })).toEqual({ status: 'sent' });
    const parts = sentTo(msg.visitorId).map((m) => m.text!.content);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join('')).toBe(LONG);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
  });

  it('retried through the message store (a new sender, as after a crash), each part goes out once', async () => {
    const store = await openTestStore();
    try {
      const { models } = store;
      const user = openid();
      const input = {
        conversationId: `conv-${user}`, inboxId: 'wx-inbox', channel: 'wechat', visitorId: user, messageId: `conv-${user}:1`,
        author: 'agent' as const, kind: 'text' as const, text: LONG, at: Date.now(),
      };
      fake.failNextSend(0);
      fake.failNextSend(-1);
      await expect(messageActivities(models, messageStore(models, () => {}, { wechat: send })).sendMessage(input)).rejects.toThrow(/busy/);
      expect((await models.Message.findById(input.messageId).lean())?.partsSent).toBe(1);
      const fresh = wechatSender({ inbox: async (id) => (id === 'wx-inbox' ? inbox : undefined) });
      await messageActivities(models, messageStore(models, () => {}, { wechat: fresh })).sendMessage(input);
      expect(sentTo(user).map((m) => m.text!.content).join('')).toBe(LONG);
      expect((await models.Message.findById(input.messageId).lean())?.delivery).toMatchObject({ status: 'sent' });
    } finally {
      await store.close();
    }
  });
});

describe('wechatSender: pictures', () => {
  let pictures: Awaited<ReturnType<typeof startPictureServer>>;
  let base: string;
  let withPictures: ReturnType<typeof wechatSender>;
  beforeAll(async () => {
    pictures = await startPictureServer(WECHAT_PICTURES.maxBytes + 1);
    base = pictures.url;
    withPictures = wechatSender({ inbox: async () => inbox, pictures: { allowPrivateAddresses: true } });
  });
  afterAll(async () => { await pictures?.close(); });

  it('sends a picture as an image message after the text: fetched, uploaded as temporary media, sent by its media_id', async () => {
    const msg = message({ text: `新的会员卡长这样：\n\n![会员卡](${base}/logo.png)\n\n到店出示即可。` });
    expect(await withPictures(msg)).toEqual({ status: 'sent' });
    const [text, image] = sentTo(msg.visitorId);
    expect(text).toEqual({ touser: msg.visitorId, msgtype: 'text', text: { content: expect.stringMatching(/^新的会员卡长这样：\n+到店出示即可。$/) } });
    expect(image).toEqual({ touser: msg.visitorId, msgtype: 'image', image: { media_id: expect.any(String) } });
    const uploaded = fake.uploads.find((u) => u.mediaId === image!.image!.media_id);
    expect(uploaded).toMatchObject({ type: 'image', contentType: 'image/png', filename: 'picture.png' });
    expect(uploaded!.bytes.equals(PNG)).toBe(true);
  });

  it('sends a picture it cannot have as its link: not an image, too large, gone, or (by default) at a private address', async () => {
    for (const [path, sender] of [['/page', withPictures], ['/huge.png', withPictures], ['/gone.png', withPictures], ['/logo.png', send]] as const) {
      const msg = message({ text: `![图](${base}${path})` });
      expect(await sender(msg)).toEqual({ status: 'sent' });
      expect(sentTo(msg.visitorId)).toEqual([{ touser: msg.visitorId, msgtype: 'text', text: { content: `图 (${base}${path})` } }]);
    }
  });

  it('fails the send, for the activity to retry, when the picture host is busy', async () => {
    const msg = message({ text: `看图：![图](${base}/busy)` });
    await expect(withPictures(msg)).rejects.toThrow(/HTTP 503/);
    expect(sentTo(msg.visitorId).map((m) => m.msgtype)).toEqual(['text']);
  });
});

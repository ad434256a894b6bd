// The WeCom customer-service sender against a local server that speaks
// kf/send_msg and kf/sync_msg: text messages, and messages with choices as
// menu messages (msgmenu with click items) whose tapped item comes back through
// sync_msg as the customer's text.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundToSend } from '../index';
import { wecomApi } from './api';
import { startFakeWecomServer, type FakeWecomServer } from './fake-wecom-server';
import type { WecomInbox } from './inbox';
import { WECOM_PICTURES, wecomMsgId, wecomSender } from './send';
import { customerMessage, type SyncReply } from './sync';
import { OPEN_KFID, wecomApp } from '../../../test/support/wecom-app';
import { PNG, startPictureServer } from '../../../test/support/picture-server';

const credentials = wecomApp();
const RATINGS = [
  { id: '5', label: '5 Very satisfied' }, { id: '4', label: '4 Satisfied' }, { id: '3', label: '3 Neutral' },
  { id: '2', label: '2 Dissatisfied' }, { id: '1', label: '1 Very dissatisfied' },
];
const SURVEY = 'Please rate this conversation (1–5): 5 Very satisfied, 4 Satisfied, 3 Neutral, 2 Dissatisfied, 1 Very dissatisfied.';

let fake: FakeWecomServer;
let inbox: WecomInbox;
let send: ReturnType<typeof wecomSender>;
let n = 0;

beforeAll(async () => {
  fake = await startFakeWecomServer({ corpId: credentials.corpId, secret: credentials.secret, openKfId: OPEN_KFID });
  inbox = { credentials, settings: { apiBaseUrl: fake.url } };
  send = wecomSender({ inbox: async () => inbox, openKfId: async () => OPEN_KFID });
});
afterAll(async () => { await fake?.close(); });

/** A customer who wrote first (send_msg only reaches customers who did). */
function customer(): string {
  const id = `wm${randomBytes(12).toString('hex')}`;
  fake.customerWrites(id, 'hello');
  return id;
}
const message = (visitorId: string, fields: Partial<OutboundToSend> = {}): OutboundToSend =>
  ({ id: `m${++n}`, inboxId: 'wecom-inbox', visitorId, text: SURVEY, ...fields });
const sentTo = (user: string) => fake.sent.filter((m) => m.touser === user);

describe('wecomSender: choices', () => {
  it('sends a message with choices as a menu message of click items, the text as head_content', async () => {
    const user = customer();
    const msg = message(user, { choices: RATINGS });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(user)).toEqual([{
      touser: user,
      open_kfid: OPEN_KFID,
      msgid: wecomMsgId(msg.id, 0),
      msgtype: 'msgmenu',
      msgmenu: { head_content: SURVEY, list: RATINGS.map((c) => ({ type: 'click', click: { id: c.id, content: c.label } })) },
    }]);
  });

  it('sends text only without choices', async () => {
    const user = customer();
    const msg = message(user, { text: 'Hi' });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(user)).toEqual([{ touser: user, open_kfid: OPEN_KFID, msgid: wecomMsgId(msg.id, 0), msgtype: 'text', text: { content: 'Hi' } }]);
  });

  it('puts a long text before the menu, within head_content\'s 1024 bytes', async () => {
    const user = customer();
    const text = `${'x'.repeat(1500)} ${SURVEY}`;
    expect(await send(message(user, { text, choices: RATINGS }))).toEqual({ status: 'sent' });
    const sent = sentTo(user);
    expect(sent.map((m) => m.msgtype)).toEqual(['text', 'msgmenu']);
    expect(sent.map((m) => m.text?.content ?? m.msgmenu?.head_content).join('')).toBe(text);
  });

  it('asks in text when a label is longer than a menu item holds (128 bytes)', async () => {
    const user = customer();
    expect(await send(message(user, { choices: [{ id: 'long', label: '很'.repeat(43) }] }))).toEqual({ status: 'sent' });
    expect(sentTo(user).map((m) => m.msgtype)).toEqual(['text']);
  });

  it('gets the tapped item back through sync_msg as the customer\'s text, the label itself', async () => {
    const user = customer();
    await send(message(user, { choices: RATINGS }));
    const token = fake.customerWrites(user, RATINGS[0]!.label, RATINGS[0]!.id);
    const reply = await wecomApi().post<SyncReply>(inbox, '/cgi-bin/kf/sync_msg', { token, open_kfid: OPEN_KFID, limit: 1000 });
    const tap = reply.msg_list!.at(-1)!;
    expect(tap).toMatchObject({ msgtype: 'text', text: { content: '5 Very satisfied', menu_id: '5' } });
    expect(customerMessage(tap, OPEN_KFID)).toMatchObject({ visitorId: user, inbound: { text: '5 Very satisfied' } });
  });
});

describe('wecomSender: adapted to what WeCom shows', () => {
  it('sends markdown as plain text and a card as numbered text (a link message needs an uploaded picture)', async () => {
    const user = customer();
    const msg = message(user, {
      text: 'Our **spring** collection:',
      card: { title: 'Spring', text: '20% off', url: 'https://shop.example/spring', buttons: [{ label: 'Buy now', url: 'https://shop.example/buy' }] },
    });
    expect(await send(msg)).toEqual({ status: 'sent' });
    expect(sentTo(user).map((m) => [m.msgtype, m.text?.content])).toEqual([
      ['text', 'Our spring collection:\n\nSpring\n20% off\nhttps://shop.example/spring\n1. Buy now — https://shop.example/buy'],
    ]);
  });
});

describe('the fake WeCom API: menu messages', () => {
  const post = (body: object) => wecomApi().post(inbox, '/cgi-bin/kf/send_msg', { open_kfid: OPEN_KFID, msgtype: 'msgmenu', ...body })
    .then(() => 0, (err: { errcode?: number }) => err.errcode);
  const click = (id: string, content: string) => ({ type: 'click', click: { id, content } });

  it('refuses malformed menus and takes the documented example', async () => {
    const touser = customer();
    expect(await post({ touser })).toBe(47001);
    expect(await post({ touser, msgmenu: { list: [] } })).toBe(47001);
    expect(await post({ touser, msgmenu: { list: Array.from({ length: 11 }, (_, i) => click(`${i}`, `${i}`)) } })).toBe(47001);
    expect(await post({ touser, msgmenu: { list: [click('', 'a')] } })).toBe(47001);
    expect(await post({ touser, msgmenu: { list: [click('a', 'x'.repeat(129))] } })).toBe(47001);
    expect(await post({ touser, msgmenu: { head_content: 'x'.repeat(1025), list: [click('a', 'a')] } })).toBe(45002);
    expect(await post({
      touser,
      msgmenu: {
        head_content: '您对本次服务是否满意呢?',
        list: [click('101', '满意'), click('102', '不满意'), { type: 'view', view: { url: 'https://work.weixin.qq.com', content: '点击跳转到自助查询页面' } }],
        tail_content: '欢迎再次光临',
      },
    })).toBe(0);
  });
});

describe('wecomSender: pictures', () => {
  let pictures: Awaited<ReturnType<typeof startPictureServer>>;
  let withPictures: ReturnType<typeof wecomSender>;
  beforeAll(async () => {
    pictures = await startPictureServer(WECOM_PICTURES.maxBytes + 1);
    withPictures = wecomSender({ inbox: async () => inbox, openKfId: async () => OPEN_KFID, pictures: { allowPrivateAddresses: true } });
  });
  afterAll(async () => { await pictures?.close(); });

  it('sends a picture as an image message after the text: fetched, uploaded as temporary media, sent by its media_id', async () => {
    const user = customer();
    const msg = message(user, { text: `Your new card:\n\n![card](${pictures.url}/logo.png)` });
    expect(await withPictures(msg)).toEqual({ status: 'sent' });
    const [text, image] = sentTo(user);
    expect(text).toMatchObject({ msgtype: 'text', text: { content: 'Your new card:' }, msgid: wecomMsgId(msg.id, 0) });
    expect(image).toMatchObject({ open_kfid: OPEN_KFID, msgtype: 'image', image: { media_id: expect.any(String) }, msgid: wecomMsgId(msg.id, 1) });
    const uploaded = fake.uploads.find((u) => u.mediaId === image!.image!.media_id);
    expect(uploaded).toMatchObject({ type: 'image', contentType: 'image/png', filename: 'picture.png' });
    expect(uploaded!.bytes.equals(PNG)).toBe(true);
  });

  it('sends a picture it cannot have as its link: not an image, too large, gone, or (by default) at a private address', async () => {
    for (const [path, sender] of [['/page', withPictures], ['/huge.png', withPictures], ['/gone.png', withPictures], ['/logo.png', send]] as const) {
      const user = customer();
      expect(await sender(message(user, { text: `![card](${pictures.url}${path})` }))).toEqual({ status: 'sent' });
      expect(sentTo(user).map((m) => m.text?.content)).toEqual([`card (${pictures.url}${path})`]);
    }
  });
});

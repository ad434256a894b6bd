// normalizeMessage on the real FerretDB: every content type a channel hands
// over becomes a valid unified message, is stored with its content, and keeps
// the provider's raw payload; voice messages without a transcript go to the
// speech recognizer when one is plugged in.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStore } from '../test/support/env';
import { messageActivities, messageStore, type StoredMessage } from './messages';
import type { SpeechRecognizer } from './speech';
import type { Store } from './store';
import type { InboundMessage } from './types';
import { validateUnifiedMessage } from './unified-message';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });

const RECEIVED = Date.parse('2026-03-02T09:00:00.000Z');

function setup(speech?: SpeechRecognizer) {
  const published: StoredMessage[] = [];
  const acts = messageActivities(store.models, messageStore(store.models, (m) => published.push(m)), speech);
  const conversationId = `c-${randomUUID()}`;
  const ref = { conversationId, inboxId: 'wx', channel: 'wechat', visitorId: 'oMgHVjngRipVsoxg6TuX3vz6glDg' };
  const normalize = (inbound: Partial<InboundMessage>, language: 'zh' | 'en' = 'en') => acts.normalizeMessage({
    ...ref, language, inbound: { providerMessageId: randomUUID(), text: '', receivedAt: RECEIVED, ...inbound },
  });
  return { ref, normalize, published };
}

describe('normalizeMessage: content types', () => {
  it('keeps a text message as before, with its sender and language', async () => {
    const { ref, normalize } = setup();
    const message = await normalize({ providerMessageId: 'p-1', text: ' 运费多少 ' });
    expect(message).toEqual({
      id: 'wechat:wx:p-1', conversationId: ref.conversationId, inboxId: 'wx', channel: 'wechat', visitorId: ref.visitorId,
      direction: 'in', sender: { author: 'visitor', id: ref.visitorId }, type: 'text', text: '运费多少', language: 'zh',
      providerMessageId: 'p-1', at: '2026-03-02T09:00:00.000Z',
    });
    const stored = await store.models.Message.findById('wechat:wx:p-1').lean();
    expect(stored).toMatchObject({ author: 'visitor', direction: 'in', type: 'text', kind: 'text', text: '运费多少', language: 'zh' });
  });

  it('stores an image with its media reference, the raw payload by the message id, and the provider\'s time', async () => {
    const { normalize, published } = setup();
    const xml = '<xml><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/a/0]]></PicUrl><MediaId><![CDATA[m1]]></MediaId></xml>';
    const providerMessageId = randomUUID();
    const message = await normalize({
      providerMessageId, type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }],
      sentAt: RECEIVED - 2_000, raw: { format: 'xml', body: xml },
    }, 'zh');
    const id = `wechat:wx:${providerMessageId}`;
    expect(message).toMatchObject({
      id, type: 'image', text: '[图片 Image]', language: 'zh', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }],
      rawRef: `rawPayloads/${id}`, sentAt: '2026-03-02T08:59:58.000Z',
    });
    expect(validateUnifiedMessage(message)).toBe(true);
    expect(await store.models.Message.findById(id).lean()).toMatchObject({
      type: 'image', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }], rawRef: `rawPayloads/${id}`, sentAt: new Date(RECEIVED - 2_000),
    });
    expect(await store.models.RawPayload.findById(id).lean()).toMatchObject({ channel: 'wechat', inboxId: 'wx', format: 'xml', body: xml });
    expect(published.map((m) => m.type)).toEqual(['image']);
  });

  it('a placeholder takes the conversation\'s language; a caption its own', async () => {
    const { normalize } = setup();
    expect((await normalize({ type: 'image', text: '', media: [{ kind: 'image', url: 'https://x/a.png' }] }, 'en'))).toMatchObject({ text: '[图片 Image]', language: 'en' });
    expect((await normalize({ type: 'image', text: '这个坏了', media: [{ kind: 'image', url: 'https://x/a.png' }] }, 'en')).language).toBe('zh');
  });

  it('accepts a web chat upload\'s media reference as the web chat route gives it', async () => {
    const { normalize } = setup();
    const media = [{ kind: 'file' as const, id: 'med-1', url: '/api/v1/webchat/web/media/med-1', mime: 'application/pdf', name: '发票.pdf', size: 52_000 }];
    const message = await normalize({ type: 'file', text: '[文件 File]', media, clientMessageId: 'c-9' });
    expect(message).toMatchObject({ type: 'file', media, clientMessageId: 'c-9' });
    expect(await store.models.Message.findById(message.id).lean()).toMatchObject({ type: 'file', media, clientMessageId: 'c-9' });
  });

  it('stores a location, an event and a link with their content', async () => {
    const { normalize } = setup();
    const location = await normalize({ type: 'location', text: '广州市海珠区', location: { latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' } }, 'en');
    const event = await normalize({ type: 'event', text: '[菜单 Menu] V1001', event: { name: 'click', key: 'V1001' } }, 'en');
    const link = await normalize({ type: 'rich', text: '标题\nhttps://mp.weixin.qq.com', link: { url: 'https://mp.weixin.qq.com', title: '标题' } });
    for (const m of [location, event, link]) expect(validateUnifiedMessage(m)).toBe(true);
    // An event or a place name says nothing of the customer's language.
    expect([location.language, event.language]).toEqual(['en', 'en']);
    expect(await store.models.Message.findById(location.id).lean()).toMatchObject({ type: 'location', location: { latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' } });
    expect(await store.models.Message.findById(event.id).lean()).toMatchObject({ type: 'event', event: { name: 'click', key: 'V1001' } });
    expect(await store.models.Message.findById(link.id).lean()).toMatchObject({ type: 'rich', link: { url: 'https://mp.weixin.qq.com', title: '标题' } });
  });

  it('a channel\'s slip loses the detail, never the message', async () => {
    const { normalize } = setup();
    const offMap = await normalize({ type: 'location', text: '[位置 Location]', location: { latitude: 123, longitude: 0 } });
    expect(offMap).toMatchObject({ type: 'text', text: '[位置 Location]' });
    expect(offMap).not.toHaveProperty('location');
    const noMedia = await normalize({ type: 'image', text: '', media: [{ kind: 'hologram' as never, url: 'x' }] });
    expect(noMedia).toMatchObject({ type: 'text', text: '[图片 Image]' });
    expect(validateUnifiedMessage(noMedia)).toBe(true);
  });
});

describe('normalizeMessage: voice and speech recognition', () => {
  const voice = (text = '') => ({ type: 'voice' as const, text, media: [{ kind: 'voice' as const, providerMediaId: 'vm-1', mime: 'audio/amr' }] });

  it('takes the provider\'s transcript as the text, and says so', async () => {
    const recognize = vi.fn<SpeechRecognizer>();
    const { normalize } = setup(recognize);
    const message = await normalize(voice('查一下订单'));
    expect(message).toMatchObject({ type: 'voice', text: '查一下订单', transcript: 'provider', language: 'zh', media: [{ kind: 'voice', providerMediaId: 'vm-1' }] });
    expect(recognize).not.toHaveBeenCalled();
  });

  it('without a recognizer, a voice message keeps its placeholder', async () => {
    const { normalize } = setup();
    const message = await normalize(voice('[语音 Voice]'), 'en');
    expect(message).toMatchObject({ type: 'voice', text: '[语音 Voice]', language: 'en' });
    expect(message).not.toHaveProperty('transcript');
  });

  it('asks the recognizer for a voice message without a transcript and stores its text, type and media kept', async () => {
    const recognize = vi.fn<SpeechRecognizer>(async () => ({ text: ' where is my parcel ', language: 'en' }));
    const { normalize } = setup(recognize);
    const message = await normalize(voice('[语音 Voice]'), 'zh');
    expect(recognize).toHaveBeenCalledWith({ inboxId: 'wx', channel: 'wechat', providerMediaId: 'vm-1', mime: 'audio/amr' });
    expect(message).toMatchObject({ type: 'voice', text: 'where is my parcel', transcript: 'recognizer', language: 'en', media: [{ kind: 'voice', providerMediaId: 'vm-1' }] });
    expect(await store.models.Message.findById(message.id).lean()).toMatchObject({ type: 'voice', text: 'where is my parcel', transcript: 'recognizer', language: 'en' });
  });

  it('a retried step reuses the stored transcript instead of recognizing again', async () => {
    const recognize = vi.fn<SpeechRecognizer>(async () => ({ text: '退货' }));
    const { normalize } = setup(recognize);
    const providerMessageId = randomUUID();
    const first = await normalize({ ...voice(), providerMessageId });
    const again = await normalize({ ...voice(), providerMessageId });
    expect(recognize).toHaveBeenCalledTimes(1);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ text: '退货', language: 'zh', transcript: 'recognizer' });
  });

  it('a recognizer that hears nothing or fails leaves the placeholder (a slow one: ./speech.test.ts)', async () => {
    for (const recognize of [async () => undefined, async () => ({ text: '  ' }), async () => { throw new Error('ASR quota exceeded'); }]) {
      const { normalize } = setup(recognize);
      const message = await normalize(voice(), 'en');
      expect(message).toMatchObject({ type: 'voice', text: '[语音 Voice]', language: 'en' });
      expect(message).not.toHaveProperty('transcript');
    }
  });
});

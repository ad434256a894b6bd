import { describe, expect, it } from 'vitest';
import {
  detectLanguage, isPlaceholder, PLACEHOLDERS, RAW_PAYLOAD_LIMIT, rawPayload, unifiedMessageSchema, validateUnifiedMessage, withoutPlaceholders,
} from './unified-message';

describe('detectLanguage', () => {
  it('is Chinese with any ideograph, English with Latin letters, else the language so far', () => {
    expect(detectLanguage('我要退货 please', 'en')).toBe('zh');
    expect(detectLanguage('refund please', 'zh')).toBe('en');
    expect(detectLanguage('5', 'zh')).toBe('zh');
    expect(detectLanguage('👍', 'en')).toBe('en');
  });
});

describe('the unified message schema', () => {
  const message = {
    id: 'webchat:i:v:c', conversationId: 'c', inboxId: 'i', channel: 'webchat', visitorId: 'v', direction: 'in', sender: { author: 'visitor', id: 'v' },
    type: 'text', text: '你好', language: 'zh', providerMessageId: 'v:c', at: '2026-11-27T10:00:00.000Z',
  };
  const wechat = { ...message, id: 'wechat:wx:1', channel: 'wechat', visitorId: 'oMgHVjngRipVsoxg6TuX3vz6glDg', sender: { author: 'visitor', id: 'oMgHVjngRipVsoxg6TuX3vz6glDg' }, providerMessageId: '1', rawRef: 'rawPayloads/wechat:wx:1', sentAt: '2026-11-27T09:59:59.000Z' };

  it('accepts a web chat text message', () => {
    expect(validateUnifiedMessage(message)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['text', { type: 'text', text: '运费多少' }],
    ['image (WeChat)', { type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', providerMediaId: 'media_id' }] }],
    ['image (web chat upload)', { type: 'image', text: '看看这个', media: [{ kind: 'image', id: 'm-1', url: '/api/v1/webchat/i/media/m-1', mime: 'image/png', name: 'a.png', size: 1024 }] }],
    ['voice with the provider\'s transcript', { type: 'voice', text: '查一下订单', transcript: 'provider', media: [{ kind: 'voice', providerMediaId: 'm', mime: 'audio/amr' }] }],
    ['voice without a transcript', { type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: 'm' }] }],
    ['video', { type: 'video', text: '[视频 Video]', media: [{ kind: 'video', providerMediaId: 'm' }] }],
    ['file', { type: 'file', text: '[文件 File]', media: [{ kind: 'file', id: 'f', name: '发票.pdf', mime: 'application/pdf', size: 52_000 }] }],
    ['location', { type: 'location', text: '广州市海珠区', location: { latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' } }],
    ['sticker', { type: 'sticker', text: '[表情 Sticker]', media: [{ kind: 'sticker', url: 'https://example.com/s.gif' }] }],
    ['event', { type: 'event', text: '[菜单 Menu] V1001', event: { name: 'click', key: 'V1001' } }],
    ['rich (a link)', { type: 'rich', text: '公众平台\nhttps://mp.weixin.qq.com', link: { url: 'https://mp.weixin.qq.com', title: '公众平台', description: '官网' } }],
  ])('accepts %s', (_name, content) => {
    const ok = validateUnifiedMessage({ ...wechat, ...content });
    expect(validateUnifiedMessage.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts an outbound message from an agent', () => {
    expect(validateUnifiedMessage({ ...message, direction: 'out', sender: { author: 'agent', id: 'lina' } })).toBe(true);
  });

  it('names what is wrong', () => {
    expect(validateUnifiedMessage({ ...message, language: 'fr', extra: 1 })).toBe(false);
    expect(validateUnifiedMessage.errors?.map((e) => e.instancePath || e.params)).toEqual([{ additionalProperty: 'extra' }, '/language']);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown content type', { type: 'gif' }, /\/type/],
    ['an image without media', { type: 'image' }, /media/],
    ['a location without coordinates', { type: 'location' }, /location/],
    ['a latitude out of range', { type: 'location', location: { latitude: 91, longitude: 0 } }, /\/location\/latitude/],
    ['an event without its name', { type: 'event', event: { key: 'k' } }, /name/],
    ['an unknown media kind', { type: 'file', media: [{ kind: 'pdf' }] }, /\/media\/0\/kind/],
    ['a media ref with a stray field', { type: 'image', media: [{ kind: 'image', url: 'u', bytes: 'AAAA' }] }, /bytes/],
    ['an empty media list', { type: 'voice', media: [] }, /\/media/],
    ['an inbound message not from the visitor', { sender: { author: 'agent', id: 'lina' } }, /\/sender\/author/],
    ['an outbound message from the visitor', { direction: 'out' }, /\/sender\/author/],
    ['a sender without id', { sender: { author: 'visitor' } }, /id/],
    ['a raw ref elsewhere', { rawRef: 'https://example.com/raw' }, /\/rawRef/],
    ['a transcript source we do not know', { type: 'voice', transcript: 'guess' }, /\/transcript/],
    ['text too long', { text: 'x'.repeat(4001) }, /\/text/],
  ])('rejects %s', (_name, change, where) => {
    expect(validateUnifiedMessage({ ...message, ...change })).toBe(false);
    expect(JSON.stringify(validateUnifiedMessage.errors)).toMatch(where);
  });

  it('lists the nine content types', () => {
    expect(unifiedMessageSchema.properties.type.enum).toEqual(['text', 'image', 'voice', 'video', 'file', 'location', 'sticker', 'event', 'rich']);
    expect(Object.keys(PLACEHOLDERS)).toEqual([...unifiedMessageSchema.properties.type.enum]);
  });
});

describe('placeholders', () => {
  it('are bilingual, and a bare one (or nothing) says nothing of its own', () => {
    expect(PLACEHOLDERS.image).toBe('[图片 Image]');
    expect(isPlaceholder(' [语音 Voice] ')).toBe(true);
    expect(isPlaceholder('')).toBe(true);
    expect(isPlaceholder('[语音 Voice] 查一下订单')).toBe(false);
  });

  it('leave the customer\'s own words when taken out', () => {
    expect(withoutPlaceholders('[文件 File] invoice.pdf')).toBe('invoice.pdf');
    expect(withoutPlaceholders('[图片 Image] [图片 Image]')).toBe('');
    expect(withoutPlaceholders('运费多少')).toBe('运费多少');
  });
});

describe('rawPayload', () => {
  it('keeps a payload whole, and cuts one above the limit, saying so', () => {
    expect(rawPayload('xml', '<xml/>')).toEqual({ format: 'xml', body: '<xml/>' });
    const cut = rawPayload('json', 'x'.repeat(RAW_PAYLOAD_LIMIT + 1));
    expect(cut).toMatchObject({ format: 'json', truncated: true });
    expect(cut.body).toHaveLength(RAW_PAYLOAD_LIMIT);
  });
});

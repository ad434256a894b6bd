// Weibo pushes as the fan-service documentation shows them
// (https://open.weibo.com/wiki/消息推送服务, https://open.weibo.com/wiki/接收事件推送).
import { describe, expect, it } from 'vitest';
import { parseCreatedAt, parseWeiboPush, UnsupportedWeiboMessage, weiboInboundMessage, weiboInboundText, WeiboRejected } from './message';

const common = { receiver_id: 1902538057, sender_id: 2489518277, created_at: 'Mon Jul 16 18:09:20 +0800 2012' };
const push = (fields: Record<string, unknown>) => parseWeiboPush(JSON.stringify({ ...common, ...fields }));
const rejected = (body: string) => expect(() => parseWeiboPush(body)).toThrow(WeiboRejected);

describe('parseWeiboPush: the documented pushes', () => {
  it('a text message', () => {
    const m = push({ type: 'text', text: 'the content of a general message', data: {} });
    expect(m).toMatchObject({
      kind: 'text', senderId: '2489518277', receiverId: '1902538057', createdAt: Date.UTC(2012, 6, 16, 10, 9, 20) / 1000, text: 'the content of a general message',
    });
    expect(weiboInboundText(m)).toBe('the content of a general message');
  });

  it('a position, with coordinates as strings', () => {
    const m = push({ type: 'position', text: '发送了一个位置', data: { longitude: '116.308586', latitude: '39.982525' } });
    expect(m).toMatchObject({ kind: 'position', longitude: 116.308586, latitude: 39.982525 });
    expect(weiboInboundText(m)).toBe('[位置 Location] 39.982525,116.308586');
  });

  it('voice and image: placeholders in both languages instead of Weibo\'s caption', () => {
    expect(weiboInboundText(push({ type: 'voice', text: '发了一个语音消息', data: { vfid: 821804459, tovfid: 821804469 } }))).toBe('[语音 Voice]');
    expect(weiboInboundText(push({ type: 'image', text: '发了一张图片', data: { vfid: 821804459, tovfid: 821804469 } }))).toBe('[图片 Image]');
  });

  it('events: follow, subscribe and a menu click start a conversation; unfollow, scan and view do not', () => {
    const event = (data: object) => weiboInboundText(push({ type: 'event', text: '事件消息', data }));
    expect(event({ subtype: 'follow' })).toBe('[关注 Followed the account]');
    expect(event({ subtype: 'scan_follow', key: 'qrscene_1', ticket: 'T' })).toBe('[关注 Followed the account]');
    expect(event({ subtype: 'subscribe' })).toBe('[订阅 Subscribed]');
    expect(event({ subtype: 'click', key: 'ORDER_STATUS' })).toBe('[菜单 Menu] ORDER_STATUS');
    for (const subtype of ['unfollow', 'unsubscribe', 'scan', 'view']) expect(event({ subtype, key: 'k' })).toBeUndefined();
  });

  it('uids may come as digit strings', () => {
    expect(push({ type: 'text', text: 'x', sender_id: '2489518277', receiver_id: '1902538057' }).senderId).toBe('2489518277');
  });

  it('data may be absent, null or an empty string', () => {
    for (const data of [undefined, null, '']) expect(push({ type: 'text', text: 'x', data }).data).toEqual({});
  });

  it('a text message with only spaces becomes a placeholder', () => {
    expect(weiboInboundText(push({ type: 'text', text: '  ' }))).toBe('[消息 Message]');
  });
});

describe('parseWeiboPush: unknown types are acknowledged, not refused', () => {
  it('mention (a public post) and types added later throw UnsupportedWeiboMessage', () => {
    for (const type of ['mention', 'articles', 'video']) {
      expect(() => push({ type, text: 'x', data: {} })).toThrow(UnsupportedWeiboMessage);
    }
  });
});

describe('parseWeiboPush: malformed bodies are refused', () => {
  it('not JSON, not an object, XML', () => {
    for (const body of ['', '{', 'null', '[]', '"text"', '42', '<xml><ToUserName>x</ToUserName></xml>']) rejected(body);
  });

  it('missing or wrong fields', () => {
    const good = { ...common, type: 'text', text: 'x', data: {} };
    const variants: Record<string, unknown>[] = [
      { ...good, type: undefined }, { ...good, type: 1 }, { ...good, type: '' },
      { ...good, text: undefined }, { ...good, text: 5 },
      { ...good, sender_id: undefined }, { ...good, sender_id: -1 }, { ...good, sender_id: 1.5 }, { ...good, sender_id: '12a' },
      { ...good, sender_id: 2 ** 60 }, { ...good, sender_id: '0123' }, { ...good, receiver_id: null },
      { ...good, created_at: undefined }, { ...good, created_at: 1342433360 }, { ...good, created_at: '2012-07-16T18:09:20+08:00' },
      { ...good, created_at: 'Mon Jul 16 25:09:20 +0800 2012' }, { ...good, created_at: 'Mon Foo 16 18:09:20 +0800 2012' },
      { ...good, data: [] }, { ...good, data: 'x' }, { ...good, data: 3 },
      { ...good, type: 'position', data: { longitude: '116.3' } }, { ...good, type: 'position', data: { longitude: '200', latitude: '1' } },
      { ...good, type: 'position', data: { longitude: 'NaN', latitude: '1' } },
      { ...good, type: 'event', data: {} }, { ...good, type: 'event', data: { subtype: 7 } }, { ...good, type: 'event', data: { subtype: 'click', key: {} } },
    ];
    for (const v of variants) rejected(JSON.stringify(v));
  });

  it('data nested beyond what Weibo sends', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { a: deep };
    rejected(JSON.stringify({ ...common, type: 'text', text: 'x', data: deep }));
  });

  it('a body nested too deeply for the JSON parser', () => {
    rejected(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    rejected(`{"type":"text","data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`);
  });

  it('__proto__ keys set nothing on the result', () => {
    const m = parseWeiboPush(`{"__proto__":{"kind":"event"},"type":"text","text":"x","sender_id":1,"receiver_id":2,"created_at":"${common.created_at}","data":{"__proto__":{"x":1}}}`);
    expect(m.kind).toBe('text');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('messageId: what repeats are recognised by', () => {
  const text = (t: string, at = common.created_at, sender = common.sender_id) => push({ type: 'text', text: t, created_at: at, sender_id: sender });

  it('a retry (the same body) gets the same id, also with keys in another order', () => {
    const a = parseWeiboPush('{"type":"event","receiver_id":1,"sender_id":2,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"t","data":{"subtype":"click","key":"K"}}');
    const b = parseWeiboPush('{"data":{"key":"K","subtype":"click"},"text":"t","created_at":"Mon Jul 16 18:09:20 +0800 2012","sender_id":"2","receiver_id":1,"type":"event"}');
    expect(a.messageId).toBe(b.messageId);
  });

  it('is the sender, the second, the type and a content hash', () => {
    expect(text('你好').messageId).toMatch(/^2489518277:1342433360:text:[0-9a-f]{20}$/);
  });

  it('differs for another text in the same second, another second, another sender or another type', () => {
    const ids = new Set([
      text('你好').messageId, text('你好!').messageId, text('你好', 'Mon Jul 16 18:09:21 +0800 2012').messageId, text('你好', undefined, 2489518278).messageId,
      push({ type: 'image', text: '你好', data: {} }).messageId,
    ]);
    expect(ids.size).toBe(5);
  });

  it('differs for media with other data in the same second', () => {
    expect(push({ type: 'image', text: 'i', data: { vfid: 1 } }).messageId).not.toBe(push({ type: 'image', text: 'i', data: { vfid: 2 } }).messageId);
  });
});

describe('parseCreatedAt', () => {
  it('reads the offset', () => {
    expect(parseCreatedAt('Mon Jul 16 10:09:20 +0000 2012')).toBe(parseCreatedAt('Mon Jul 16 18:09:20 +0800 2012'));
    expect(parseCreatedAt('Sun Jul 15 21:39:20 -1230 2012')).toBe(parseCreatedAt('Mon Jul 16 18:09:20 +0800 2012'));
  });
});

describe('weiboInboundMessage: what each push becomes for its conversation', () => {
  const at = { receivedAt: 1_700_000_000_000 };
  const sentAt = Date.UTC(2012, 6, 16, 10, 9, 20);

  it('text: Weibo\'s text, the push time as sentAt, the body as the raw payload', () => {
    const body = JSON.stringify({ ...common, type: 'text', text: '运费多少', data: {} });
    const m = parseWeiboPush(body);
    expect(weiboInboundMessage(m, { ...at, body })).toEqual({
      providerMessageId: m.messageId, type: 'text', text: '运费多少', receivedAt: at.receivedAt, sentAt, raw: { format: 'json', body },
    });
  });

  it('position: a location with its coordinates', () => {
    const m = push({ type: 'position', text: '发送了一个位置', data: { longitude: '116.308586', latitude: '39.982525' } });
    expect(weiboInboundMessage(m, at)).toMatchObject({ type: 'location', text: '[位置 Location] 39.982525,116.308586', location: { latitude: 39.982525, longitude: 116.308586 } });
  });

  it('voice and image: the file by its receiver-side id (tovfid, else vfid)', () => {
    const voice = push({ type: 'voice', text: '发了一个语音消息', data: { vfid: 821804459, tovfid: 821804469 } });
    const image = push({ type: 'image', text: '发了一张图片', data: { vfid: '821804459' } });
    expect(weiboInboundMessage(voice, at)).toMatchObject({ type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: '821804469' }] });
    expect(weiboInboundMessage(image, at)).toMatchObject({ type: 'image', text: '[图片 Image]', media: [{ kind: 'image', providerMediaId: '821804459' }] });
  });

  it('voice without a usable file id: still a voice message, without media', () => {
    const m = weiboInboundMessage(push({ type: 'voice', text: '发了一个语音消息', data: { vfid: { nested: 1 } } }), at);
    expect(m).toMatchObject({ type: 'voice', text: '[语音 Voice]' });
    expect(m).not.toHaveProperty('media');
  });

  it('events: follow and a menu click as events with their key; unfollow starts nothing', () => {
    const event = (data: object) => weiboInboundMessage(push({ type: 'event', text: '事件消息', data }), at);
    expect(event({ subtype: 'follow' })).toMatchObject({ type: 'event', text: '[关注 Followed the account]', event: { name: 'follow' } });
    expect(event({ subtype: 'click', key: 'ORDER_STATUS' })).toMatchObject({ type: 'event', text: '[菜单 Menu] ORDER_STATUS', event: { name: 'click', key: 'ORDER_STATUS' } });
    expect(event({ subtype: 'unfollow' })).toBeUndefined();
  });
});

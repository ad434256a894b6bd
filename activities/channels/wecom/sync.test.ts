// What each sync_msg message becomes for its conversation, for the message
// types WeCom customer service documents (https://developer.work.weixin.qq.com/document/path/94670).
import { describe, expect, it } from 'vitest';
import { customerMessage, type SyncedMessage } from './sync';
import { OPEN_KFID } from '../../../test/support/wecom-app';

const USER = 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw';
const base = { msgid: 'from_msgid_4622416642169452483', open_kfid: OPEN_KFID, external_userid: USER, send_time: 1615478585, origin: 3 };
const map = (m: Partial<SyncedMessage> & Record<string, unknown>) => customerMessage({ ...base, ...m } as SyncedMessage, OPEN_KFID)?.inbound;

describe('customerMessage: content types', () => {
  it('text: the content, the send time as sentAt, the message JSON as the raw payload', () => {
    const message = { ...base, msgtype: 'text', text: { content: '你好/::)' } };
    expect(customerMessage(message, OPEN_KFID)).toEqual({
      visitorId: USER,
      inbound: {
        providerMessageId: base.msgid, type: 'text', text: '你好🙂', receivedAt: expect.any(Number), sentAt: 1615478585000,
        raw: { format: 'json', body: JSON.stringify(message) },
      },
    });
  });

  it.each([
    ['image', 'image', '[图片 Image]', undefined],
    ['voice', 'voice', '[语音 Voice]', 'audio/amr'],
    ['video', 'video', '[视频 Video]', undefined],
    ['file', 'file', '[文件 File]', undefined],
  ])('%s: a placeholder, the file by media_id', (msgtype, kind, text, mime) => {
    const inbound = map({ msgtype, [msgtype]: { media_id: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw' } });
    expect(inbound).toMatchObject({ type: kind, text, media: [{ kind, providerMediaId: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw', ...(mime ? { mime } : {}) }] });
  });

  it('location: coordinates, name and address', () => {
    const inbound = map({ msgtype: 'location', location: { latitude: 23.106021881103501, longitude: 113.320503234863, name: '广州国际媒体港(广州市海珠区)', address: '广东省广州市海珠区滨江东路' } });
    expect(inbound).toMatchObject({
      type: 'location', text: '[位置 Location] 广州国际媒体港(广州市海珠区) 广东省广州市海珠区滨江东路',
      location: { latitude: 23.106021881103501, longitude: 113.320503234863, label: '广州国际媒体港(广州市海珠区) 广东省广州市海珠区滨江东路' },
    });
  });

  it('link: rich, with title, description, URL and picture', () => {
    const inbound = map({ msgtype: 'link', link: { title: '企业微信', desc: '办公', url: 'https://work.weixin.qq.com/', pic_url: 'https://wework.qpic.cn/a.png' } });
    expect(inbound).toMatchObject({
      type: 'rich', text: '[链接 Link] 企业微信 https://work.weixin.qq.com/',
      link: { url: 'https://work.weixin.qq.com/', title: '企业微信', description: '办公', imageUrl: 'https://wework.qpic.cn/a.png' },
    });
  });

  it('a business card or mini program: rich, readable as its placeholder', () => {
    expect(map({ msgtype: 'business_card', business_card: { userid: 'zhangsan' } })).toMatchObject({ type: 'rich', text: '[名片 Business card]' });
    expect(map({ msgtype: 'miniprogram', miniprogram: { title: '商城' } })).toMatchObject({ type: 'rich', text: '[小程序 Mini program]' });
  });

  it('fields out of shape are left out, the message kept', () => {
    expect(map({ msgtype: 'image', image: { media_id: 42 as never } })).not.toHaveProperty('media');
    const noCoordinates = map({ msgtype: 'location', location: { name: '某地', latitude: 'north' as never } });
    expect(noCoordinates).toMatchObject({ text: '[位置 Location] 某地' });
    expect(noCoordinates).not.toHaveProperty('location');
  });

  it('events and our own servicer\'s messages are not customer messages', () => {
    expect(customerMessage({ ...base, origin: 4, msgtype: 'event' } as SyncedMessage, OPEN_KFID)).toBeUndefined();
    expect(customerMessage({ ...base, origin: 5, msgtype: 'text', text: { content: 'hi' } }, OPEN_KFID)).toBeUndefined();
  });
});

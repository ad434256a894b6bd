import { describe, expect, it } from 'vitest';
import { UnsupportedWechatMessage, dedupeKey, inboundText, parseWechatInbound, startsConversation, wechatInboundMessage } from './message';
import type { WechatInbound } from './message';
import { XmlRejected, parseWechatXml } from './xml';

// Payloads as the Official Account documentation shows them (layout included).
const HEAD = `<xml>
  <ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName>
  <FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName>
  <CreateTime>1348831860</CreateTime>`;
const COMMON = { toUser: 'gh_e136c6e50636', fromUser: 'oMgHVjngRipVsoxg6TuX3vz6glDg', createTime: 1348831860 };
const inbound = (body: string) => parseWechatInbound(parseWechatXml(`${HEAD}\n${body}\n</xml>`));

describe('parseWechatInbound: messages', () => {
  it('reads a text message, keeping a MsgId above 2^53 exact', () => {
    const m = inbound(`<MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[this is a test]]></Content>
  <MsgId>22614236788374836</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'text', content: 'this is a test', msgId: '22614236788374836' });
  });

  it('reads an image message', () => {
    const m = inbound(`<MsgType><![CDATA[image]]></MsgType>
  <PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl>
  <MediaId><![CDATA[media_id]]></MediaId>
  <MsgId>1234567890123456</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'image', picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', mediaId: 'media_id', msgId: '1234567890123456' });
  });

  it('reads a voice message with WeChat\'s Recognition transcript', () => {
    const m = inbound(`<MsgType><![CDATA[voice]]></MsgType>
  <MediaId><![CDATA[media_id]]></MediaId>
  <Format><![CDATA[amr]]></Format>
  <Recognition><![CDATA[腾讯微信团队]]></Recognition>
  <MsgId>1234567890123456</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'voice', mediaId: 'media_id', format: 'amr', recognition: '腾讯微信团队', msgId: '1234567890123456' });
  });

  it('reads a voice message without recognition, and treats an empty Recognition as none', () => {
    const plain = inbound('<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[speex]]></Format><MsgId>1</MsgId>');
    const empty = inbound('<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[]]></Recognition><MsgId>1</MsgId>');
    expect(plain).not.toHaveProperty('recognition');
    expect(empty).not.toHaveProperty('recognition');
  });

  it('reads a video message', () => {
    const m = inbound(`<MsgType><![CDATA[video]]></MsgType>
  <MediaId><![CDATA[media_id]]></MediaId>
  <ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId>
  <MsgId>1234567890123456</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'video', mediaId: 'media_id', thumbMediaId: 'thumb_media_id', msgId: '1234567890123456' });
  });

  it('reads a short video as a video', () => {
    const m = inbound('<MsgType><![CDATA[shortvideo]]></MsgType><MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId><MsgId>7</MsgId>');
    expect(m).toMatchObject({ kind: 'video', mediaId: 'm', thumbMediaId: 't' });
  });

  it('reads a location message with numeric coordinates', () => {
    const m = inbound(`<MsgType><![CDATA[location]]></MsgType>
  <Location_X>23.134521</Location_X>
  <Location_Y>113.358803</Location_Y>
  <Scale>20</Scale>
  <Label><![CDATA[位置信息]]></Label>
  <MsgId>1234567890123456</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'location', latitude: 23.134521, longitude: 113.358803, scale: 20, label: '位置信息', msgId: '1234567890123456' });
  });

  it('reads a link message', () => {
    const m = inbound(`<MsgType><![CDATA[link]]></MsgType>
  <Title><![CDATA[公众平台官网链接]]></Title>
  <Description><![CDATA[公众平台官网链接]]></Description>
  <Url><![CDATA[https://mp.weixin.qq.com]]></Url>
  <MsgId>1234567890123456</MsgId>`);
    expect(m).toEqual({ ...COMMON, kind: 'link', title: '公众平台官网链接', description: '公众平台官网链接', url: 'https://mp.weixin.qq.com', msgId: '1234567890123456' });
  });
});

describe('parseWechatInbound: a tapped menu item', () => {
  // What WeChat posts when the follower taps an item of a menu message
  // (msgmenu): a text message whose Content is the item's content, with the
  // item's id in bizmsgmenuid.
  const tap = () => inbound(`<MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[5 非常满意]]></Content>
  <MsgId>25373744922163388</MsgId>
  <bizmsgmenuid>5</bizmsgmenuid>`);

  it('reads it as the text the follower chose, the menu id ignored', () => {
    expect(tap()).toEqual({ ...COMMON, kind: 'text', content: '5 非常满意', msgId: '25373744922163388' });
  });

  it('gives the item content as the message text and dedupes it by MsgId like any text', () => {
    expect(inboundText(tap())).toBe('5 非常满意');
    expect(dedupeKey(tap())).toBe('25373744922163388');
  });
});

describe('parseWechatInbound: events', () => {
  const event = (body: string) => inbound(`<MsgType><![CDATA[event]]></MsgType>\n${body}`);

  it('reads a subscribe event without an EventKey', () => {
    expect(event('<Event><![CDATA[subscribe]]></Event>')).toEqual({ ...COMMON, kind: 'event', event: 'subscribe' });
  });

  it('reads a subscribe from a parametric QR code with its scene key', () => {
    const m = event('<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>');
    expect(m).toEqual({ ...COMMON, kind: 'event', event: 'subscribe', eventKey: 'qrscene_123123' });
  });

  it('reads an unsubscribe event, treating an empty EventKey as none', () => {
    expect(event('<Event><![CDATA[unsubscribe]]></Event><EventKey><![CDATA[]]></EventKey>')).toEqual({ ...COMMON, kind: 'event', event: 'unsubscribe' });
  });

  it('reads a menu CLICK event, lowercasing the event name', () => {
    expect(event('<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[V1001_TODAY_MUSIC]]></EventKey>'))
      .toEqual({ ...COMMON, kind: 'event', event: 'click', eventKey: 'V1001_TODAY_MUSIC' });
  });

  it('reads a VIEW event with the menu URL as its key', () => {
    expect(event('<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://www.qq.com/]]></EventKey>'))
      .toMatchObject({ event: 'view', eventKey: 'https://www.qq.com/' });
  });

  it('reads a scancode_push event whose details are nested', () => {
    const m = event(`<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey>
  <ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>`);
    expect(m).toEqual({ ...COMMON, kind: 'event', event: 'scancode_push', eventKey: '6' });
  });
});

describe('parseWechatInbound: refusals', () => {
  const base = parseWechatXml(`${HEAD}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>1</MsgId></xml>`);
  const without = (name: string) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== name));

  it.each(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content'])('names the missing %s', (name) => {
    expect(() => parseWechatInbound(without(name))).toThrow(new XmlRejected('malformed', `WeChat message without ${name}`));
  });

  it('names the missing field of each kind', () => {
    const fields = { ...without('Content'), MsgType: 'location', Location_X: '1', Location_Y: '2', Scale: '3' };
    expect(() => parseWechatInbound(fields)).toThrow(/without Label/);
  });

  it.each(['', 'abc', '-1', '1.5', '1e9', '9999999999999'])('refuses CreateTime %j', (createTime) => {
    expect(() => parseWechatInbound({ ...base, CreateTime: createTime })).toThrow(/CreateTime is not a timestamp/);
  });

  it('refuses coordinates that are not numbers', () => {
    const fields = { ...base, MsgType: 'location', Location_X: 'north', Location_Y: '2', Scale: '3', Label: 'x' };
    expect(() => parseWechatInbound(fields)).toThrow(/Location_X is not a number/);
  });

  it('reports an unmodelled MsgType as UnsupportedWechatMessage, still an XmlRejected', () => {
    let thrown: unknown;
    try { parseWechatInbound({ ...base, MsgType: 'file' }); } catch (err) { thrown = err; }
    expect(thrown).toBeInstanceOf(UnsupportedWechatMessage);
    expect(thrown).toBeInstanceOf(XmlRejected);
    expect(thrown).toMatchObject({ code: 'malformed', msgType: 'file' });
  });

  it('does not take field names from the object prototype', () => {
    expect(() => parseWechatInbound({ ...base, MsgType: 'constructor' })).toThrow(UnsupportedWechatMessage);
    expect(() => parseWechatInbound({ ...base, MsgType: 'toString' })).toThrow(UnsupportedWechatMessage);
  });
});

describe('dedupeKey', () => {
  const text: WechatInbound = { ...COMMON, kind: 'text', content: 'hi', msgId: '22614236788374836' };
  const click: WechatInbound = { ...COMMON, kind: 'event', event: 'click', eventKey: 'K' };

  it('is the MsgId for a message, so a retry maps to the same key', () => {
    expect(dedupeKey(text)).toBe('22614236788374836');
    expect(dedupeKey({ ...text, createTime: COMMON.createTime + 5 })).toBe('22614236788374836');
  });

  it('is FromUserName:CreateTime:event for an event', () => {
    expect(dedupeKey(click)).toBe('oMgHVjngRipVsoxg6TuX3vz6glDg:1348831860:click');
  });

  it('tells apart two events of one user in the same second', () => {
    expect(dedupeKey({ ...click, event: 'view' })).not.toBe(dedupeKey(click));
  });

  it('falls back to FromUserName:CreateTime for a message without MsgId', () => {
    const noId: WechatInbound = { ...COMMON, kind: 'text', content: 'hi' };
    expect(dedupeKey(noId)).toBe('oMgHVjngRipVsoxg6TuX3vz6glDg:1348831860');
  });
});

describe('inboundText', () => {
  it.each<[string, WechatInbound, string]>([
    ['text, face codes converted', { ...COMMON, kind: 'text', content: '谢谢/::)[玫瑰]' }, '谢谢🙂🌹'],
    ['voice with a transcript', { ...COMMON, kind: 'voice', mediaId: 'm', format: 'amr', recognition: '查一下订单' }, '查一下订单'],
    ['voice without a transcript', { ...COMMON, kind: 'voice', mediaId: 'm', format: 'amr' }, ''],
    ['image', { ...COMMON, kind: 'image', picUrl: 'u', mediaId: 'm' }, ''],
    ['video', { ...COMMON, kind: 'video', mediaId: 'm', thumbMediaId: 't' }, ''],
    ['location', { ...COMMON, kind: 'location', latitude: 1, longitude: 2, scale: 3, label: '广州市海珠区' }, '广州市海珠区'],
    ['link', { ...COMMON, kind: 'link', title: '标题', description: 'd', url: 'https://mp.weixin.qq.com' }, '标题\nhttps://mp.weixin.qq.com'],
    ['event', { ...COMMON, kind: 'event', event: 'subscribe' }, 'subscribe'],
  ])('gives %s', (_label, message, expected) => {
    expect(inboundText(message)).toBe(expected);
  });
});

describe('wechatInboundMessage: what each message becomes for its conversation', () => {
  const at = { receivedAt: 1_700_000_000_000 };
  const sent = { sentAt: COMMON.createTime * 1000, receivedAt: at.receivedAt };

  it('text: the content, face codes as emoji', () => {
    const m = inbound('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[谢谢/::)]]></Content><MsgId>22614236788374836</MsgId>');
    expect(wechatInboundMessage(m, at)).toEqual({ providerMessageId: '22614236788374836', type: 'text', text: '谢谢🙂', ...sent });
  });

  it('image: a bilingual placeholder, the picture by PicUrl and MediaId', () => {
    const m = inbound('<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1</MsgId>');
    expect(wechatInboundMessage(m, at)).toEqual({
      providerMessageId: '1', type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', providerMediaId: 'media_id' }], ...sent,
    });
  });

  it('voice: WeChat\'s Recognition as the text when present, else the placeholder; the recording by MediaId', () => {
    const heard = inbound('<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[vm]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>2</MsgId>');
    const silent = inbound('<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[vm]]></MediaId><Format><![CDATA[speex]]></Format><Recognition><![CDATA[]]></Recognition><MsgId>3</MsgId>');
    expect(wechatInboundMessage(heard, at)).toMatchObject({ type: 'voice', text: '腾讯微信团队', media: [{ kind: 'voice', providerMediaId: 'vm', mime: 'audio/amr' }] });
    expect(wechatInboundMessage(silent, at)).toMatchObject({ type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: 'vm', mime: 'audio/speex' }] });
  });

  it('video and short video: the clip by MediaId', () => {
    for (const type of ['video', 'shortvideo']) {
      const m = inbound(`<MsgType><![CDATA[${type}]]></MsgType><MediaId><![CDATA[v]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId><MsgId>4</MsgId>`);
      expect(wechatInboundMessage(m, at)).toMatchObject({ type: 'video', text: '[视频 Video]', media: [{ kind: 'video', providerMediaId: 'v' }] });
    }
  });

  it('location: Location_X is the latitude, Location_Y the longitude, Label the text', () => {
    const m = inbound('<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>5</MsgId>');
    expect(wechatInboundMessage(m, at)).toMatchObject({ type: 'location', text: '位置信息', location: { latitude: 23.134521, longitude: 113.358803, label: '位置信息' } });
  });

  it('link: rich, with its title, description and URL', () => {
    const m = inbound('<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[官网]]></Description><Url><![CDATA[https://mp.weixin.qq.com]]></Url><MsgId>6</MsgId>');
    expect(wechatInboundMessage(m, at)).toMatchObject({
      type: 'rich', text: '公众平台官网链接\nhttps://mp.weixin.qq.com', link: { url: 'https://mp.weixin.qq.com', title: '公众平台官网链接', description: '官网' },
    });
  });

  it('events: subscribe, unsubscribe and a menu click, with their key; only subscribe and click start a conversation', () => {
    const event = (body: string) => inbound(`<MsgType><![CDATA[event]]></MsgType>${body}`);
    const subscribe = event('<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123]]></EventKey>');
    const unsubscribe = event('<Event><![CDATA[unsubscribe]]></Event>');
    const click = event('<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[V1001_TODAY_MUSIC]]></EventKey>');
    const view = event('<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://www.qq.com/]]></EventKey>');
    expect(wechatInboundMessage(subscribe, at)).toMatchObject({
      providerMessageId: 'oMgHVjngRipVsoxg6TuX3vz6glDg:1348831860:subscribe', type: 'event', text: '[关注 Followed the account]', event: { name: 'subscribe', key: 'qrscene_123' },
    });
    expect(wechatInboundMessage(unsubscribe, at)).toMatchObject({ type: 'event', text: '[取消关注 Unfollowed the account]', event: { name: 'unsubscribe' } });
    expect(wechatInboundMessage(click, at)).toMatchObject({ type: 'event', text: '[菜单 Menu] V1001_TODAY_MUSIC', event: { name: 'click', key: 'V1001_TODAY_MUSIC' } });
    expect(wechatInboundMessage(view, at)).toMatchObject({ type: 'event', text: '[事件 Event] view', event: { name: 'view', key: 'https://www.qq.com/' } });
    expect([subscribe, unsubscribe, click, view].map(startsConversation)).toEqual([true, false, true, false]);
  });

  it('keeps the (decrypted) XML as the raw payload', () => {
    const xml = `${HEAD}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>7</MsgId></xml>`;
    expect(wechatInboundMessage(parseWechatInbound(parseWechatXml(xml)), { ...at, xml }).raw).toEqual({ format: 'xml', body: xml });
  });
});

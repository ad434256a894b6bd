// What a WeChat Official Account follower's chat shows of customer-service
// messages (/cgi-bin/message/custom/send).
import type { ChannelCapabilities } from '../capabilities';

export const wechatCapabilities = {
  // A text's content: 2048 bytes of UTF-8, longer is refused with 45002
  // "content size out of limit". The API reference names no number; WeChat's
  // developer community does (developers.weixin.qq.com/community/develop/doc/00084e2936c340b9015a753405b800).
  // Several messages are fine: the account may write within 48 hours of the follower's last message.
  maxText: { max: 2048, unit: 'bytes', overLimit: 'split' },
  markdown: false,
  // The menu message (msgmenu). The Official Account documentation gives no
  // limits for it; these are WeCom's documented ones for the same message.
  buttons: { max: 10, label: { max: 128, unit: 'bytes' }, id: { max: 64, unit: 'bytes' } },
  // The `news` message: one article (title, description, url, picurl) that
  // opens its url. Since October 2018 a message holds a single article (more:
  // errcode 45008).
  cards: 'link',
  // Pictures go out as image messages after the text: fetched, uploaded as
  // temporary media (PNG, JPEG or GIF, at most 2 MB by the current reference;
  // older pages say 10 MB) and sent by media_id (./send.ts).
  images: true,
  // Emoji are written as WeChat's own faces (./emoji.ts), which every WeChat client draws.
  emoji: 'wechat-faces',
} satisfies ChannelCapabilities;

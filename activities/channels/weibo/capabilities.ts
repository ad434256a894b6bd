// What a Weibo customer is shown of replies through the fan-service reply API
// (POST /2/messages/reply.json, https://open.weibo.com/wiki/Send_Customer_Service_Message).
import type { ChannelCapabilities } from '../capabilities';

export const weiboCapabilities = {
  // A text reply "should be less than 300 Chinese characters" (文本大小必须小于300个汉字).
  // A longer one is cut, ending with a link to the whole text: a private
  // message box is read one message at a time, and a burst of parts reads worse.
  maxText: { max: 299, unit: 'chars', overLimit: 'truncate' },
  markdown: false,
  // There is no menu message: choices are listed in the text.
  buttons: false,
  // The API's `articles` type (图文) is not used yet: cards go out as text.
  cards: false,
  images: false,
  emoji: 'unicode',
} satisfies ChannelCapabilities;

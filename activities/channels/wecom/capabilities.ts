// What a WeChat customer served through WeCom customer service (微信客服,
// /cgi-bin/kf/send_msg) is shown.
import type { ChannelCapabilities } from '../capabilities';

export const wecomCapabilities = {
  // send_msg's documented limits: a text's content at most 2048 bytes; a
  // menu (msgmenu) at most 10 items, a click item's id 1–64 and its content
  // 1–128 bytes. Several messages are fine within the 48-hour reply window.
  maxText: { max: 2048, unit: 'bytes', overLimit: 'split' },
  markdown: false,
  buttons: { max: 10, label: { max: 128, unit: 'bytes' }, id: { max: 64, unit: 'bytes' } },
  // The link message needs its picture uploaded first (thumb_media_id): cards
  // as text. Pictures go out as image messages after the text: fetched,
  // uploaded as temporary media (JPG or PNG, at most 10 MB) and sent by
  // media_id (./send.ts).
  cards: false,
  images: true,
  emoji: 'unicode',
} satisfies ChannelCapabilities;

// Sending to a WeChat customer through WeCom customer service
// (`/cgi-bin/kf/send_msg`) from the inbox's account (open_kfid). A message with
// choices goes out as a menu message (`msgmenu` with `click` items): the
// customer taps one and it comes back through sync_msg as a text message with
// the item's content. Each part carries a msgid derived from our message id,
// so WeCom can tell a retried send from a new one. Transient trouble throws
// (the activity retries with backoff); a permanent refusal is returned as a
// failed delivery. Each message is first adapted to what WeCom shows
// (./capabilities.ts): plain text of at most 2048 bytes a message, cards as
// text, and each picture as an image message after the text (../pictures.ts).
import { createHash } from 'node:crypto';
import { adaptOutbound, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { imageAsText, type MarkdownImage } from '../markdown';
import { sendInParts } from '../parts';
import { fetchPicture, type PictureFetchOptions, type PictureRules } from '../pictures';
import { messageParts, type MenuLimits, type MessagePart } from '../wechat/send';
import { WecomRefused, wecomApi, type WecomApi } from './api';
import { wecomCapabilities } from './capabilities';
import type { WecomInbox } from './inbox';

/** send_msg's documented limit for a menu's head_content (its other limits are the channel's capabilities). */
const LIMITS: MenuLimits = { maxHeadBytes: 1024 };
/** What a temporary image (media/upload type=image) may be. */
export const WECOM_PICTURES: PictureRules = { maxBytes: 10 * 1024 * 1024, types: { png: 'image/png', jpg: 'image/jpeg' } };

type WecomPart = MessagePart | { kind: 'image'; image: MarkdownImage };

export interface WecomSenderDeps extends AdaptOptions {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WecomInbox | undefined>;
  /** The customer-service account replies go out from. */
  openKfId(inboxId: string): Promise<string | undefined>;
  api?: WecomApi;
  /** How pictures are fetched (tests: from 127.0.0.1). */
  pictures?: PictureFetchOptions;
}

/** send_msg's msgid: at most 32 characters of [0-9a-zA-Z_-], the same for every attempt at one part. */
export function wecomMsgId(messageId: string, part: number): string {
  return createHash('sha256').update(`${messageId}#${part}`).digest('hex').slice(0, 32);
}

export function wecomSender(deps: WecomSenderDeps) {
  const api = deps.api ?? wecomApi();
  return async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const openKfId = await deps.openKfId(msg.inboxId);
    if (!openKfId) return { status: 'failed', error: 'no WeCom customer-service account (open_kfid) known for this inbox' };
    const adapted = adaptOutbound(msg, wecomCapabilities, deps);
    const parts: WecomPart[] = [...messageParts(adapted.parts, adapted.choices, LIMITS), ...adapted.images.map((image) => ({ kind: 'image' as const, image }))];
    return sendInParts(
      msg, parts,
      async (part, i) => {
        await api.post(inbox, '/cgi-bin/kf/send_msg', { touser: msg.visitorId, open_kfid: openKfId, msgid: wecomMsgId(msg.id, i), ...(await body(inbox, part)) });
      },
      (err) => err instanceof WecomRefused,
    );
  };

  /** A part's msgtype and content as send_msg takes them; a picture is uploaded first, or goes as its link when it cannot be had. */
  async function body(inbox: WecomInbox, part: WecomPart) {
    if (part.kind !== 'image') return messageBody(part);
    const picture = await fetchPicture(part.image, WECOM_PICTURES, deps.pictures);
    if ('refused' in picture) {
      console.warn(`[huiliu] a picture goes to WeCom as its link: ${picture.refused}`);
      return messageBody({ kind: 'text', content: imageAsText(part.image) });
    }
    return { msgtype: 'image', image: { media_id: await api.upload(inbox, { type: 'image', ...picture }) } };
  }
}

function messageBody(part: MessagePart) {
  if (part.kind === 'text') return { msgtype: 'text', text: { content: part.content } };
  return {
    msgtype: 'msgmenu',
    msgmenu: { head_content: part.head, list: part.choices.map((c) => ({ type: 'click', click: { id: c.id, content: c.label } })) },
  };
}

// Sending to a WeChat follower through the customer-service message API
// (`/cgi-bin/message/custom/send`), with the account's access_token shared by
// every process and refreshed (./api.ts). A message with choices goes out as a
// menu message (`msgmenu`): the follower taps an item and WeChat sends its
// content back as an ordinary text message. Transient trouble throws (the activity retries with backoff); a
// permanent refusal is returned as a failed delivery. Tokens are never logged
// and never put into an error message. Each message is first adapted to what
// WeChat shows (./capabilities.ts): plain text of at most 2048 bytes a message,
// WeChat faces for emoji, a card with a link as a `news` message of one article,
// and each picture as an image message after the text (../pictures.ts).
import type { MessageCard, MessageChoice } from '../../types';
import { withFreshToken, type AccessTokenCache } from '../access-token';
import { adaptOutbound, choicesText, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { imageAsText, type MarkdownImage } from '../markdown';
import { sendInParts } from '../parts';
import { fetchPicture, type PictureFetchOptions, type PictureRules } from '../pictures';
import { splitText } from '../text-limit';
import { STALE_TOKEN, WechatRefused as Refused, refusalOrRetry, wechatCall as call, wechatTokens, type WechatReply } from './api';
import { wechatCapabilities } from './capabilities';
import { FACE_TOKEN } from './emoji';
import type { WechatInbox } from './inbox';

/**
 * A menu message's head (the text above its items) holds less than a text
 * message. The Official Account documentation gives no limit for `msgmenu`;
 * this is WeCom's documented one for the same message.
 */
export const MENU_LIMITS: MenuLimits = { maxHeadBytes: 1024 };
/**
 * Refusals of a menu that a plain text would not get: an account that may not
 * send menus (40200 "invalid account type": test and unverified accounts) and a
 * list longer than the account allows (45098). The follower is asked in text
 * instead, the choices listed under the menu's head.
 */
const MENU_REFUSED = new Set([40200, 45098]);
/** What a temporary image (media/upload type=image) may be: 2 MB in the current API reference (older pages: 10 MB). */
export const WECHAT_PICTURES: PictureRules = { maxBytes: 2 * 1024 * 1024, types: { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif' } };

export interface WechatSenderDeps extends AdaptOptions {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WechatInbox | undefined>;
  /** The accounts' access tokens (./api.ts wechatTokens); by default this sender's own. */
  tokens?: AccessTokenCache<WechatInbox>;
  /** How pictures are fetched (tests: from 127.0.0.1). */
  pictures?: PictureFetchOptions;
}

export function wechatSender(deps: WechatSenderDeps) {
  const tokens = deps.tokens ?? wechatTokens();
  async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const adapted = adaptOutbound(msg, wechatCapabilities, deps);
    const parts: WechatPart[] = [
      ...messageParts(adapted.parts, adapted.choices, MENU_LIMITS),
      ...(adapted.card ? [{ kind: 'news' as const, card: adapted.card }] : []),
      ...adapted.images.map((image) => ({ kind: 'image' as const, image })),
    ];
    return sendInParts(msg, parts, (part) => sendPart(inbox, msg.visitorId, part), (err) => err instanceof Refused);
  }

  async function sendPart(inbox: WechatInbox, openid: string, part: WechatPart): Promise<void> {
    if (part.kind === 'text') return post(inbox, { touser: openid, msgtype: 'text', text: { content: part.content } });
    if (part.kind === 'news') return post(inbox, { touser: openid, msgtype: 'news', news: { articles: [newsArticle(part.card)] } });
    if (part.kind === 'image') return sendPicture(inbox, openid, part.image);
    try {
      // Labels go out unchanged (no face codes): WeChat sends the tapped item's
      // content back verbatim, and it must read as the choice's label.
      await post(inbox, {
        touser: openid, msgtype: 'msgmenu',
        msgmenu: { head_content: part.head, list: part.choices.map((c) => ({ id: c.id, content: c.label })) },
      });
    } catch (err) {
      if (!(err instanceof Refused && MENU_REFUSED.has(err.errcode))) throw err;
      // Rarely over one message (a long head and ten long labels); a retry of this fallback may repeat its first piece.
      const asked = [part.head, choicesText(part.choices)].filter(Boolean).join('\n\n');
      for (const content of splitText(asked, wechatCapabilities.maxText.max, 'bytes', FACE_TOKEN)) await post(inbox, { touser: openid, msgtype: 'text', text: { content } });
    }
  }

  /** The picture as an image message; as its link when it cannot be had. */
  async function sendPicture(inbox: WechatInbox, openid: string, image: MarkdownImage): Promise<void> {
    const picture = await fetchPicture(image, WECHAT_PICTURES, deps.pictures);
    if ('refused' in picture) {
      console.warn(`[huiliu] a picture goes to WeChat as its link: ${picture.refused}`);
      return post(inbox, { touser: openid, msgtype: 'text', text: { content: imageAsText(image) } });
    }
    const uploaded = await api(inbox, 'media/upload', '?type=image', () => {
      const form = new FormData();
      form.append('media', new Blob([picture.bytes], { type: picture.contentType }), picture.filename);
      return { method: 'POST', body: form };
    });
    if (!uploaded.media_id) throw new Error('WeChat media/upload answered without a media_id');
    await post(inbox, { touser: openid, msgtype: 'image', image: { media_id: uploaded.media_id } });
  }

  async function post(inbox: WechatInbox, message: object): Promise<void> {
    const body = JSON.stringify(message);
    await api(inbox, 'message/custom/send', '', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  }

  /** One call to `/cgi-bin/<path>` with the account's token (a new one once if WeChat calls it stale); errcode 0 or it throws. */
  async function api(inbox: WechatInbox, path: string, query: string, init: () => RequestInit): Promise<WechatReply> {
    const reply = await withFreshToken(tokens, inbox, (r: WechatReply) => STALE_TOKEN.has(r.errcode ?? 0), (token) =>
      call(`${inbox.settings.apiBaseUrl}/cgi-bin/${path}${query ? `${query}&` : '?'}access_token=${encodeURIComponent(token)}`, init()));
    const code = reply.errcode ?? 0;
    if (code !== 0) throw refusalOrRetry(code, reply.errmsg, path.replace(/^message\//, ''));
    return reply;
  }

  return send;
}

/** What one provider message carries: a piece of text, or the last piece with the choices as a menu under it. */
export type MessagePart = { kind: 'text'; content: string } | { kind: 'menu'; head: string; choices: MessageChoice[] };
type WechatPart = MessagePart | { kind: 'news'; card: MessageCard } | { kind: 'image'; image: MarkdownImage };

export interface MenuLimits {
  /** The menu message's text above its items, in UTF-8 bytes. */
  maxHeadBytes: number;
}

/**
 * The messages an adapted message's text goes out as: its pieces, the last one
 * carrying the choices (those the channel's capabilities let through) as a
 * menu. The same input always gives the same parts, so a retried send can go
 * on from the part it reached.
 */
export function messageParts(pieces: readonly string[], choices: readonly MessageChoice[] | undefined, limits: MenuLimits): MessagePart[] {
  const texts = (list: readonly string[]) => list.map((content): MessagePart => ({ kind: 'text', content }));
  if (!choices?.length) return texts(pieces);
  // The menu's head has a lower limit than a text message: split the last piece again.
  const heads = pieces.length ? splitText(pieces.at(-1)!, limits.maxHeadBytes, 'bytes', FACE_TOKEN) : [''];
  const head = heads.pop()!;
  return [...texts([...pieces.slice(0, -1), ...heads]), { kind: 'menu', head, choices: choices.map(({ id, label }) => ({ id, label })) }];
}

/** A card as the one article of a `news` message: the description is its text, the picture its image. */
function newsArticle(card: MessageCard) {
  return { title: card.title, ...(card.text ? { description: card.text } : {}), url: card.url, ...(card.imageUrl ? { picurl: card.imageUrl } : {}) };
}

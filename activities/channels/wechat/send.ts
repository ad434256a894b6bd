// Sending to a WeChat follower through the customer-service message API
// (`/cgi-bin/message/custom/send`), with the account's access_token shared by
// every process and refreshed (./api.ts). A message with choices goes out as a
// menu message (`msgmenu`): the follower taps an item and WeChat sends its
// content back as an ordinary text message. Transient trouble throws (the activity retries with backoff); a
// permanent refusal is returned as a failed delivery. Tokens are never logged
// and never put into an error message. Each message is first adapted to what
// WeChat shows (./capabilities.ts): plain text of at most 2048 bytes a message,
// WeChat faces for emoji, and a card with a link as a `news` message of one article.
import type { MessageCard, MessageChoice } from '../../types';
import type { AccessTokenCache } from '../access-token';
import { adaptOutbound, choicesText, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { sendInParts } from '../parts';
import { splitText } from '../text-limit';
import { STALE_TOKEN, WechatRefused as Refused, refusalOrRetry, wechatCall as call, wechatTokens } from './api';
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

export interface WechatSenderDeps extends AdaptOptions {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WechatInbox | undefined>;
  /** The accounts' access tokens (./api.ts wechatTokens); by default this sender's own. */
  tokens?: AccessTokenCache<WechatInbox>;
}

export function wechatSender(deps: WechatSenderDeps) {
  const tokens = deps.tokens ?? wechatTokens();
  const accessToken = (inbox: WechatInbox, stale?: string) => tokens.get(inbox, stale);
  async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const adapted = adaptOutbound(msg, wechatCapabilities, deps);
    const parts: WechatPart[] = [...messageParts(adapted.parts, adapted.choices, MENU_LIMITS), ...(adapted.card ? [{ kind: 'news' as const, card: adapted.card }] : [])];
    return sendInParts(msg, parts, (part) => sendPart(inbox, msg.visitorId, part), (err) => err instanceof Refused);
  }

  async function sendPart(inbox: WechatInbox, openid: string, part: WechatPart): Promise<void> {
    if (part.kind === 'text') return post(inbox, { touser: openid, msgtype: 'text', text: { content: part.content } });
    if (part.kind === 'news') return post(inbox, { touser: openid, msgtype: 'news', news: { articles: [newsArticle(part.card)] } });
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

  async function post(inbox: WechatInbox, message: object): Promise<void> {
    const body = JSON.stringify(message);
    let token = await accessToken(inbox);
    for (let refreshed = false; ; refreshed = true) {
      const url = `${inbox.settings.apiBaseUrl}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`;
      const reply = await call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const code = reply.errcode ?? 0;
      if (code === 0) return;
      if (STALE_TOKEN.has(code) && !refreshed) {
        token = await accessToken(inbox, token);
        continue;
      }
      throw refusalOrRetry(code, reply.errmsg, 'custom/send');
    }
  }

  return send;
}

/** What one provider message carries: a piece of text, or the last piece with the choices as a menu under it. */
export type MessagePart = { kind: 'text'; content: string } | { kind: 'menu'; head: string; choices: MessageChoice[] };
type WechatPart = MessagePart | { kind: 'news'; card: MessageCard };

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

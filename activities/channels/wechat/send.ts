// Sending to a WeChat follower through the customer-service message API
// (`/cgi-bin/message/custom/send`), with the inbox's access_token cached and
// refreshed. A message with choices goes out as a menu message (`msgmenu`):
// the follower taps an item and WeChat sends its content back as an ordinary
// text message. Transient trouble throws (the activity retries with backoff); a
// permanent refusal is returned as a failed delivery. Tokens are never logged
// and never put into an error message.
import type { MessageChoice } from '../../types';
import { accessTokenCache, type IssuedToken } from '../access-token';
import type { Delivery, OutboundToSend } from '../index';
import { sendInParts } from '../parts';
import { emojiToFaceCodes } from './emoji';
import type { WechatInbox } from './inbox';

/** WeChat's limit for one text message's content. */
const MAX_TEXT_BYTES = 2048;
/**
 * What a menu message carries at most. The Official Account documentation
 * gives no limits for `msgmenu`; these are WeCom's documented ones for the same
 * message (head 1024 bytes, 10 items, ids 64 and contents 128 bytes), which a
 * survey's menu stays well inside.
 */
export const MENU_LIMITS: MenuLimits = { maxTextBytes: MAX_TEXT_BYTES, maxHeadBytes: 1024, maxItems: 10, maxIdBytes: 64, maxLabelBytes: 128 };
/**
 * Refusals of a menu that a plain text would not get: an account that may not
 * send menus (40200 "invalid account type": test and unverified accounts) and a
 * list longer than the account allows (45098). The text lists the choices too,
 * so the follower is asked in text instead.
 */
const MENU_REFUSED = new Set([40200, 45098]);
const REQUEST_TIMEOUT_MS = 4_000;
/** access_token invalid (40001), expired (42001), or not this account's (40014): fetch a new one, once. */
const STALE_TOKEN = new Set([40001, 42001, 40014]);
/** "System busy, try again later." */
const BUSY = -1;

export interface WechatSenderDeps {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WechatInbox | undefined>;
}

interface WechatReply { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number }

/** A refusal that retrying cannot change (wrong secret, an openid outside the reply window...). */
class Refused extends Error {
  readonly errcode: number;
  constructor(errcode: number, message: string) {
    super(message);
    this.errcode = errcode;
  }
}

export function wechatSender(deps: WechatSenderDeps) {
  const tokens = accessTokenCache((inbox: WechatInbox) => `${inbox.settings.apiBaseUrl} ${inbox.credentials.appId}`, fetchToken);
  const accessToken = (inbox: WechatInbox, stale?: string) => tokens.get(inbox, stale);
  async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const parts = messageParts(emojiToFaceCodes(msg.text), msg.choices, MENU_LIMITS);
    return sendInParts(msg, parts, (part) => sendPart(inbox, msg.visitorId, part), (err) => err instanceof Refused);
  }

  async function sendPart(inbox: WechatInbox, openid: string, part: MessagePart): Promise<void> {
    if (part.kind === 'text') return post(inbox, { touser: openid, msgtype: 'text', text: { content: part.content } });
    try {
      // Labels go out unchanged (no face codes): WeChat sends the tapped item's
      // content back verbatim, and it must read as the choice's label.
      await post(inbox, {
        touser: openid, msgtype: 'msgmenu',
        msgmenu: { head_content: part.head, list: part.choices.map((c) => ({ id: c.id, content: c.label })) },
      });
    } catch (err) {
      if (!(err instanceof Refused && MENU_REFUSED.has(err.errcode))) throw err;
      await post(inbox, { touser: openid, msgtype: 'text', text: { content: part.head } });
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

async function fetchToken({ credentials, settings }: WechatInbox): Promise<IssuedToken> {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: credentials.appId, secret: credentials.appSecret });
  const reply = await call(`${settings.apiBaseUrl}/cgi-bin/token?${query}`, { method: 'GET' });
  if (!reply.access_token) throw refusalOrRetry(reply.errcode ?? 0, reply.errmsg, 'token');
  return { token: reply.access_token, expiresInSeconds: reply.expires_in ?? 7200 };
}

/** One API call; HTTP trouble and timeouts throw a retryable error that names no URL (it holds the token). */
async function call(url: string, init: RequestInit): Promise<WechatReply> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    // The cause names the host, not the URL with its token.
    throw new Error(`the WeChat API did not answer: ${(err as Error).name}`, { cause: err });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`the WeChat API answered HTTP ${res.status}`);
  try {
    return JSON.parse(text) as WechatReply;
  } catch {
    throw new Error(`the WeChat API answered something that is not JSON (HTTP ${res.status})`);
  }
}

function refusalOrRetry(code: number, errmsg: string | undefined, api: string): Error {
  const what = `WeChat ${api} errcode ${code}${errmsg ? ` (${errmsg.slice(0, 200)})` : ''}`;
  return code === BUSY ? new Error(`${what}: busy, will retry`) : new Refused(code, what);
}

/** What one provider message carries: a piece of text, or the last piece with the choices as a menu under it. */
export type MessagePart = { kind: 'text'; content: string } | { kind: 'menu'; head: string; choices: MessageChoice[] };

export interface MenuLimits {
  /** One text message's content. */
  maxTextBytes: number;
  /** The menu message's text above its items. */
  maxHeadBytes: number;
  maxItems: number;
  maxIdBytes: number;
  maxLabelBytes: number;
}

/**
 * The messages one outbound message goes out as: its text split at the
 * provider's limit, the last piece carrying the choices as a menu. Choices a
 * menu cannot carry (too many, an id or label too long) are left out: the text
 * lists them anyway, so the customer answers by typing. The same input always
 * gives the same parts, so a retried send can go on from the part it reached.
 */
export function messageParts(text: string, choices: readonly MessageChoice[] | undefined, limits: MenuLimits): MessagePart[] {
  const pieces = splitByBytes(text, limits.maxTextBytes);
  if (!choices?.length || !menuFits(choices, limits)) return pieces.map((content) => ({ kind: 'text', content }));
  // The menu's head has a lower limit than a text message: split the last piece again.
  const heads = splitByBytes(pieces.pop()!, limits.maxHeadBytes);
  const head = heads.pop()!;
  return [
    ...[...pieces, ...heads].map((content): MessagePart => ({ kind: 'text', content })),
    { kind: 'menu', head, choices: choices.map(({ id, label }) => ({ id, label })) },
  ];
}

function menuFits(choices: readonly MessageChoice[], limits: MenuLimits): boolean {
  const fits = (value: unknown, max: number) => typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= max;
  return choices.length <= limits.maxItems && choices.every((c) => fits(c.id, limits.maxIdBytes) && fits(c.label, limits.maxLabelBytes));
}

/** Splits text into pieces of at most maxBytes UTF-8 bytes, never inside a character. */
export function splitByBytes(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes && current) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

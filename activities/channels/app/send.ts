// Replies to a mobile app user. While the app is open it holds a stream
// (server/routes/app.ts) that gets each stored message at once, so nothing is
// sent. While it is closed, a signed JSON webhook goes to the app's backend
// (settings.pushUrl), which turns it into a push notification. Whether the app
// is open is what its stream last recorded in `appSessions` (./store.ts): seen
// within APP_SESSION_FRESH_MS and not closed since. Erring towards a push is
// deliberate: a notification on an open app is harmless, a missed one is not.
//
// Timeouts, 408, 429 and 5xx throw (the activity retries with backoff); any
// other answer is a refusal retrying cannot change, returned as a failed
// delivery. Neither the push secret nor the URL (it may carry a token) is
// logged or put into an error. The push carries the message adapted to the app
// (./capabilities.ts): plain text, with its choices and card.
import { createHmac } from 'node:crypto';
import type { MessageCard } from '../../types';
import { adaptOutbound, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { appCapabilities } from './capabilities';
import type { AppInbox } from './inbox';

/** A stream seen within this long counts as open (it writes every APP_SESSION_HEARTBEAT_MS). */
export const APP_SESSION_FRESH_MS = 30_000;
export const APP_SESSION_HEARTBEAT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** server/identity.ts USER_VISITOR_PREFIX (activities do not import the server; a test keeps them equal). */
export const USER_PREFIX = 'user:';
export const SIGNATURE_HEADER = 'x-huiliu-signature';

export interface AppSession {
  lastSeenAt: Date;
  closedAt?: Date | null;
}

export interface AppSenderDeps extends AdaptOptions {
  /** The inbox with its credentials opened; undefined when there is no app inbox of that id. */
  inbox(inboxId: string): Promise<AppInbox | undefined>;
  /** The visitor's stream record, if any. */
  session(inboxId: string, visitorId: string): Promise<AppSession | null | undefined>;
  /** What the push tells beyond the outbound message: its conversation, author and time. */
  message(id: string): Promise<{ conversationId: string; author: string; at: Date } | null | undefined>;
  now?: () => number;
}

/** The webhook's JSON body. */
export interface AppPush {
  inboxId: string;
  visitorId: string;
  /** Set for verified users (`user:<userId>` visitors). */
  userId?: string;
  conversationId?: string;
  messageId: string;
  author?: string;
  text: string;
  choices?: { id: string; label: string }[];
  card?: MessageCard;
  /** When the message was written (ISO 8601). */
  at: string;
}

/** `sha256=<hex HMAC-SHA256 of the raw body with the push secret>`. */
export function pushSignature(pushSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', pushSecret).update(body, 'utf8').digest('hex')}`;
}

export function isAppOpen(session: AppSession | null | undefined, now: number): boolean {
  if (!session) return false;
  const seen = new Date(session.lastSeenAt).getTime();
  const closed = session.closedAt ? new Date(session.closedAt).getTime() : 0;
  return now - seen < APP_SESSION_FRESH_MS && closed < seen;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export function appSender(deps: AppSenderDeps) {
  const now = deps.now ?? Date.now;

  return async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `app inbox "${msg.inboxId}" no longer exists` };
    // Without a push URL the app reads its messages when it opens: nothing to send, nothing failed.
    if (!inbox.settings.pushUrl) return { status: 'sent' };
    if (isAppOpen(await deps.session(msg.inboxId, msg.visitorId), now())) return { status: 'sent' };

    const stored = await deps.message(msg.id);
    const adapted = adaptOutbound(msg, appCapabilities, deps);
    const push: AppPush = {
      inboxId: msg.inboxId,
      visitorId: msg.visitorId,
      ...(msg.visitorId.startsWith(USER_PREFIX) ? { userId: msg.visitorId.slice(USER_PREFIX.length) } : {}),
      ...(stored ? { conversationId: stored.conversationId, author: stored.author } : {}),
      messageId: msg.id,
      text: adapted.parts.join(''),
      ...(adapted.choices ? { choices: adapted.choices } : {}),
      ...(adapted.card ? { card: adapted.card } : {}),
      at: (stored ? new Date(stored.at) : new Date(now())).toISOString(),
    };
    const body = JSON.stringify(push);
    let res: Response;
    try {
      res = await fetch(inbox.settings.pushUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: pushSignature(inbox.credentials.pushSecret, body), 'user-agent': 'Huiliu-Push/1' },
        body,
        // A redirect could lead anywhere; the configured URL is the one that gets the message.
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined); // free the connection
    } catch (err) {
      // The name and the socket's error code (ECONNREFUSED...), never the URL; the cause names the host at most.
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new Error(`the push webhook did not answer: ${(err as Error).name}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
    }
    if (res.status >= 200 && res.status < 300) return { status: 'sent' };
    if (RETRYABLE(res.status)) throw new Error(`the push webhook answered HTTP ${res.status}; will retry`);
    return { status: 'failed', error: `the push webhook refused the message: HTTP ${res.status}` };
  };
}

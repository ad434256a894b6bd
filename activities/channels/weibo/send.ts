// Sending to a Weibo customer through the fan-service reply API
// (客服消息 / Send Customer Service Message: POST {apiBaseUrl}/2/messages/reply.json,
// https://open.weibo.com/wiki/Send_Customer_Service_Message), form-encoded:
// access_token, type=text, data = the JSON {"text": ...} (URL-encoded once, as
// the form encodes every field), receiver_id, save_sender_box. The account may
// write for 48 hours after the customer's last message or follow, as often as
// it likes. Errors come back as {error, error_code, request}. Transient trouble
// (network, HTTP 5xx/429, "system busy", rate limits) throws so the activity
// retries with backoff; a refusal is returned as a failed delivery. The token
// travels in the body, never in a URL, and never in an error message or log.
// Each message is first adapted to what Weibo shows (./capabilities.ts): plain
// text, choices and cards listed in it, and a text over the limit cut short
// with a link to the whole of it.
import { adaptOutbound, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { sendInParts } from '../parts';
import { weiboCapabilities } from './capabilities';
import type { WeiboInbox } from './inbox';

const REQUEST_TIMEOUT_MS = 4_000;
/**
 * Weibo's system-level error codes that a later try can clear: system error
 * (10001), service unavailable (10002), remote service error (10003), too many
 * pending tasks (10009), job expired (10010), RPC error (10011), and the rate
 * limits per IP (10022), per user (10023) and per user and API (10024).
 * Everything else — a bad or expired token (21327, 21332), a user the account
 * may no longer write to — needs a person.
 */
const RETRYABLE = new Set([10001, 10002, 10003, 10009, 10010, 10011, 10022, 10023, 10024]);

export interface WeiboSenderDeps extends AdaptOptions {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WeiboInbox | undefined>;
}

interface WeiboReply { error_code?: number | string; error?: string; result?: unknown }

/** A refusal that retrying cannot change. */
class Refused extends Error {}

export function weiboSender(deps: WeiboSenderDeps) {
  return async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const { parts } = adaptOutbound(msg, weiboCapabilities, deps);
    return sendInParts(msg, parts, (part) => reply(inbox, msg.visitorId, part), (err) => err instanceof Refused);
  };
}

async function reply({ credentials, settings }: WeiboInbox, receiverId: string, text: string): Promise<void> {
  const body = new URLSearchParams({
    access_token: credentials.accessToken,
    type: 'text',
    data: JSON.stringify({ text }),
    receiver_id: receiverId,
    // The reply also lands in the account's own private-message box, so people
    // using Weibo's console see the whole conversation.
    save_sender_box: '1',
  });
  let res: Response;
  try {
    res = await fetch(`${settings.apiBaseUrl}/2/messages/reply.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new Error(`the Weibo API did not answer: ${(err as Error).name}`, { cause: err });
  }
  const raw = await res.text();
  let answer: WeiboReply | undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object') answer = parsed as WeiboReply;
  } catch {
    // A gateway's HTML error page: judged by the status alone.
  }
  const code = answer?.error_code === undefined ? undefined : Number(answer.error_code);
  if (res.ok && code === undefined && answer?.result !== false) return;
  if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Error(`the Weibo API answered HTTP ${res.status}${code ? ` (error_code ${code})` : ''}`);
  const what = `Weibo messages/reply error_code ${code ?? 'none'}${answer?.error ? ` (${String(answer.error).slice(0, 200)})` : ''}, HTTP ${res.status}`;
  if (code !== undefined && RETRYABLE.has(code)) throw new Error(`${what}: will retry`);
  throw new Refused(what);
}

// Sending to a WeChat customer through WeCom customer service
// (`/cgi-bin/kf/send_msg`) from the inbox's account (open_kfid). Each part
// carries a msgid derived from our message id, so WeCom can tell a retried
// send from a new one. Transient trouble throws (the activity retries with
// backoff); a permanent refusal is returned as a failed delivery.
import { createHash } from 'node:crypto';
import type { Delivery, OutboundToSend } from '../index';
import { splitByBytes } from '../wechat/send';
import { WecomRefused, wecomApi, type WecomApi } from './api';
import type { WecomInbox } from './inbox';

/** send_msg's limit for one text message's content. */
const MAX_TEXT_BYTES = 2048;

export interface WecomSenderDeps {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WecomInbox | undefined>;
  /** The customer-service account replies go out from. */
  openKfId(inboxId: string): Promise<string | undefined>;
  api?: WecomApi;
}

/** send_msg's msgid: at most 32 characters of [0-9a-zA-Z_-], the same for every attempt at one part. */
export function wecomMsgId(messageId: string, part: number): string {
  return createHash('sha256').update(`${messageId}#${part}`).digest('hex').slice(0, 32);
}

export function wecomSender(deps: WecomSenderDeps) {
  const api = deps.api ?? wecomApi();
  /** Parts of a split message already sent, so an activity retry goes on from there. */
  const progress = new Map<string, number>();

  return async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const openKfId = await deps.openKfId(msg.inboxId);
    if (!openKfId) return { status: 'failed', error: 'no WeCom customer-service account (open_kfid) known for this inbox' };
    const parts = splitByBytes(msg.text, MAX_TEXT_BYTES);
    try {
      for (let i = progress.get(msg.id) ?? 0; i < parts.length; i++) {
        await api.post(inbox, '/cgi-bin/kf/send_msg', {
          touser: msg.visitorId, open_kfid: openKfId, msgid: wecomMsgId(msg.id, i), msgtype: 'text', text: { content: parts[i] },
        });
        progress.set(msg.id, i + 1);
      }
      progress.delete(msg.id);
      return { status: 'sent' };
    } catch (err) {
      if (!(err instanceof WecomRefused)) throw err;
      progress.delete(msg.id);
      return { status: 'failed', error: err.message };
    }
  };
}

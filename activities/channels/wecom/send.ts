// Sending to a WeChat customer through WeCom customer service
// (`/cgi-bin/kf/send_msg`) from the inbox's account (open_kfid). A message with
// choices goes out as a menu message (`msgmenu` with `click` items): the
// customer taps one and it comes back through sync_msg as a text message with
// the item's content. Each part carries a msgid derived from our message id,
// so WeCom can tell a retried send from a new one. Transient trouble throws
// (the activity retries with backoff); a permanent refusal is returned as a
// failed delivery. Each message is first adapted to what WeCom shows
// (./capabilities.ts): plain text of at most 2048 bytes a message, cards as text.
import { createHash } from 'node:crypto';
import { adaptOutbound, type AdaptOptions } from '../capabilities';
import type { Delivery, OutboundToSend } from '../index';
import { sendInParts } from '../parts';
import { messageParts, type MenuLimits, type MessagePart } from '../wechat/send';
import { WecomRefused, wecomApi, type WecomApi } from './api';
import { wecomCapabilities } from './capabilities';
import type { WecomInbox } from './inbox';

/** send_msg's documented limit for a menu's head_content (its other limits are the channel's capabilities). */
const LIMITS: MenuLimits = { maxHeadBytes: 1024 };

export interface WecomSenderDeps extends AdaptOptions {
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
  return async function send(msg: OutboundToSend): Promise<Delivery> {
    const inbox = await deps.inbox(msg.inboxId);
    if (!inbox) return { status: 'failed', error: `inbox "${msg.inboxId}" no longer exists` };
    const openKfId = await deps.openKfId(msg.inboxId);
    if (!openKfId) return { status: 'failed', error: 'no WeCom customer-service account (open_kfid) known for this inbox' };
    const adapted = adaptOutbound(msg, wecomCapabilities, deps);
    const parts = messageParts(adapted.parts, adapted.choices, LIMITS);
    return sendInParts(
      msg, parts,
      (part, i) => api.post(inbox, '/cgi-bin/kf/send_msg', { touser: msg.visitorId, open_kfid: openKfId, msgid: wecomMsgId(msg.id, i), ...body(part) }).then(() => undefined),
      (err) => err instanceof WecomRefused,
    );
  };
}

/** A part's msgtype and content as send_msg takes them. */
function body(part: MessagePart) {
  if (part.kind === 'text') return { msgtype: 'text', text: { content: part.content } };
  return {
    msgtype: 'msgmenu',
    msgmenu: { head_content: part.head, list: part.choices.map((c) => ({ type: 'click', click: { id: c.id, content: c.label } })) },
  };
}

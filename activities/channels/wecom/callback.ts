// What a WeCom customer-service callback says, once verified and decrypted:
// only "there are messages or events for this account" (Event
// kf_msg_or_event) with a short-lived Token for sync_msg. The messages
// themselves are pulled (./sync.ts).

export interface WecomKfCallback {
  /** Passed to sync_msg as `token` (valid about 10 minutes). */
  token: string;
  /** The customer-service account with new messages. */
  openKfId: string;
}

const OPEN_KFID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN = /^[\x21-\x7e]{1,256}$/;

/**
 * The kf_msg_or_event callback's token and account; undefined for any other
 * (well-formed) callback, which is acknowledged and ignored. Throws on a
 * kf_msg_or_event without a usable Token or OpenKfId.
 */
export function parseWecomCallback(fields: Record<string, string>): WecomKfCallback | undefined {
  if (fields.MsgType !== 'event' || fields.Event !== 'kf_msg_or_event') return undefined;
  const token = fields.Token ?? '';
  const openKfId = fields.OpenKfId ?? '';
  if (!TOKEN.test(token)) throw new Error('kf_msg_or_event without a valid Token');
  if (!OPEN_KFID.test(openKfId)) throw new Error('kf_msg_or_event without a valid OpenKfId');
  return { token, openKfId };
}

// A Weibo fan-service account for tests: its credentials, and pushes signed
// and shaped the way Weibo sends them (JSON body, signature in the query).
import { randomBytes, randomInt } from 'node:crypto';
import { weiboSignature } from '../../activities/channels/weibo/signature';

export function weiboApp() {
  return {
    appKey: '2975341012',
    appSecret: randomBytes(16).toString('hex'),
    accessToken: `2.00${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`,
  };
}

/** The account's uid (the receiver of every push). */
export const ACCOUNT_UID = 1902538057;

/** A new customer's uid (ten digits, like today's Weibo uids). */
export const weiboUid = () => String(randomInt(5_000_000_000, 7_999_999_999));

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A time as Weibo writes created_at, in Beijing time: "Mon Jul 16 18:09:20 +0800 2012". */
export function weiboTime(at = new Date()): string {
  const t = new Date(at.getTime() + 8 * 3600_000);
  return `${DAYS[t.getUTCDay()]} ${MONTHS[t.getUTCMonth()]} ${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0800 ${t.getUTCFullYear()}`;
}

/** A text private message as Weibo pushes it. */
export function textPush(sender: string, text: string, at = new Date()) {
  return { type: 'text', receiver_id: ACCOUNT_UID, sender_id: Number(sender), created_at: weiboTime(at), text, data: {} };
}

/** The query string Weibo adds to a push: signature over the app secret, a millisecond timestamp and a nonce. */
export function signedQuery(appSecret: string, extra: Record<string, string> = {}) {
  const timestamp = String(Date.now());
  const nonce = String(randomInt(10_000_000, 99_999_999));
  return new URLSearchParams({ signature: weiboSignature(appSecret, timestamp, nonce), timestamp, nonce, ...extra });
}

// Weibo push signatures. The fan-service platform signs the URL verification
// and every push the way WeChat does, with the app's App Secret in the place of
// WeChat's Token: signature = sha1 of the dictionary-sorted, concatenated
// [appsecret, timestamp, nonce], lowercase hex
// (https://open.weibo.com/wiki/Messages_api_start). The helper is WeChat's,
// imported rather than copied, so both channels sort and compare the same way.
import { signaturesEqual, wechatSignature } from '../wechat/signature';

export function weiboSignature(appSecret: string, timestamp: string, nonce: string): string {
  return wechatSignature(appSecret, timestamp, nonce);
}

/**
 * How far a push's timestamp may be from our clock. The signature covers only
 * the secret, timestamp and nonce — not the body — so a signed query string
 * that leaked (a proxy's access log) could carry any body; a bounded age keeps
 * such a replay short. Weibo retries within seconds, so this is generous.
 */
export const MAX_TIMESTAMP_SKEW_MS = 15 * 60_000;

export type SignatureCheck = 'ok' | 'wrong' | 'stale';

/**
 * Checks a request's signature, then its age. Weibo's timestamps are
 * milliseconds (the documentation's example is 1397022061823); ten digits or
 * fewer are read as seconds, in case a push carries those.
 */
export function checkWeiboSignature(
  appSecret: string, q: { signature: string; timestamp: string; nonce: string }, now = Date.now(),
): SignatureCheck {
  if (!signaturesEqual(weiboSignature(appSecret, q.timestamp, q.nonce), q.signature.toLowerCase())) return 'wrong';
  if (!/^[0-9]{1,16}$/.test(q.timestamp)) return 'stale';
  const value = Number(q.timestamp);
  const at = q.timestamp.length > 10 ? value : value * 1000;
  return Math.abs(now - at) <= MAX_TIMESTAMP_SKEW_MS ? 'ok' : 'stale';
}

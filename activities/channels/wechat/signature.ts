// WeChat request signatures: sha1 over the sorted, concatenated parts.
// URL verification signs [token, timestamp, nonce]; safe mode's msg_signature
// adds the Encrypt value. Both are lowercase hex.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Byte order (UTF-8), which equals code-point order: what WeChat's reference
 * code (PHP's SORT_STRING, Python's str sort) uses. JavaScript's default sort
 * compares UTF-16 units and differs from it for characters above U+FFFF. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function wechatSignature(...parts: string[]): string {
  const joined = [...parts].sort(byCodePoint).join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Constant-time for equal lengths, so a forger cannot learn the expected
 * signature byte by byte from response times; the length itself is public
 * (always 40 hex digits). */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

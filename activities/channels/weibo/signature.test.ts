// Weibo push signatures, from the fan-service documentation's own example
// (https://open.weibo.com/wiki/Messages_api_start).
import { describe, expect, it } from 'vitest';
import { checkWeiboSignature, MAX_TIMESTAMP_SKEW_MS, weiboSignature } from './signature';

// appsecret=xyz123xyz, timestamp=1397022061823, nonce=57155157 → sorted and
// joined "139702206182357155157xyz123xyz" → sha1 90e4c22c….
const DOC = { appSecret: 'xyz123xyz', timestamp: '1397022061823', nonce: '57155157', signature: '90e4c22c90a58f26526c2dd5b6c56c8822edeaa1' };
const DOC_TIME = 1397022061823;

describe('weiboSignature', () => {
  it('matches the documented example', () => {
    expect(weiboSignature(DOC.appSecret, DOC.timestamp, DOC.nonce)).toBe(DOC.signature);
  });

  it('does not depend on the order of its parts (they are sorted)', () => {
    expect(weiboSignature(DOC.nonce, DOC.appSecret, DOC.timestamp)).toBe(DOC.signature);
  });
});

describe('checkWeiboSignature', () => {
  it('accepts the documented request at the time it was made', () => {
    expect(checkWeiboSignature(DOC.appSecret, DOC, DOC_TIME + 2_000)).toBe('ok');
  });

  it('accepts the signature in capitals too', () => {
    expect(checkWeiboSignature(DOC.appSecret, { ...DOC, signature: DOC.signature.toUpperCase() }, DOC_TIME)).toBe('ok');
  });

  it('calls a wrong secret, nonce, timestamp or signature wrong', () => {
    expect(checkWeiboSignature('xyz123xyZ', DOC, DOC_TIME)).toBe('wrong');
    expect(checkWeiboSignature(DOC.appSecret, { ...DOC, nonce: '57155158' }, DOC_TIME)).toBe('wrong');
    expect(checkWeiboSignature(DOC.appSecret, { ...DOC, timestamp: '1397022061824' }, DOC_TIME)).toBe('wrong');
    expect(checkWeiboSignature(DOC.appSecret, { ...DOC, signature: '0'.repeat(40) }, DOC_TIME)).toBe('wrong');
    expect(checkWeiboSignature(DOC.appSecret, { ...DOC, signature: DOC.signature.slice(0, 39) }, DOC_TIME)).toBe('wrong');
  });

  it('calls a correctly signed but old (or future) request stale', () => {
    expect(checkWeiboSignature(DOC.appSecret, DOC, DOC_TIME + MAX_TIMESTAMP_SKEW_MS + 1)).toBe('stale');
    expect(checkWeiboSignature(DOC.appSecret, DOC, DOC_TIME - MAX_TIMESTAMP_SKEW_MS - 1)).toBe('stale');
  });

  it('reads a ten-digit timestamp as seconds', () => {
    const timestamp = String(Math.floor(DOC_TIME / 1000));
    const signature = weiboSignature(DOC.appSecret, timestamp, DOC.nonce);
    expect(checkWeiboSignature(DOC.appSecret, { timestamp, nonce: DOC.nonce, signature }, DOC_TIME)).toBe('ok');
  });

  it('calls a signed timestamp that is not a number stale, never a crash', () => {
    const timestamp = 'yesterday';
    const signature = weiboSignature(DOC.appSecret, timestamp, DOC.nonce);
    expect(checkWeiboSignature(DOC.appSecret, { timestamp, nonce: DOC.nonce, signature }, DOC_TIME)).toBe('stale');
  });
});

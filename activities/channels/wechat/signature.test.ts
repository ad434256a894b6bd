import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signaturesEqual, wechatSignature } from './signature';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

describe('wechatSignature', () => {
  it('URL verification: sha1 of token, timestamp and nonce sorted and concatenated', () => {
    // Sorted by hand: "1409304348" < "pamtest" < "xxxxxx".
    expect(wechatSignature('pamtest', '1409304348', 'xxxxxx')).toBe(sha1('1409304348pamtestxxxxxx'));
  });

  it('msg_signature matches the WeCom documentation example (token, timestamp, nonce, Encrypt)', () => {
    const encrypt = 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
    expect(wechatSignature('QDG6eK', '1409659813', '1372623149', encrypt)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
  });

  it('does not depend on argument order and leaves the caller\'s array alone', () => {
    const parts = ['nonce', 'token', '123'];
    const signature = wechatSignature(...parts);
    expect(wechatSignature('123', 'token', 'nonce')).toBe(signature);
    expect(parts).toEqual(['nonce', 'token', '123']);
  });

  it('sorts by code point (like WeChat\'s reference code), not by UTF-16 unit', () => {
    // U+FF61 < U+1F600 by code point, although the emoji's surrogate 0xD83D is smaller.
    expect(wechatSignature('\u{1F600}', '\uFF61')).toBe(sha1('\uFF61\u{1F600}'));
  });

  it('is 40 lowercase hex digits', () => {
    expect(wechatSignature('a')).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('signaturesEqual', () => {
  const good = wechatSignature('token', '1', '2');

  it('accepts the same signature', () => {
    expect(signaturesEqual(good, String(good))).toBe(true);
  });

  it('rejects a signature differing in one digit', () => {
    const last = good.at(-1) === '0' ? '1' : '0';
    expect(signaturesEqual(good, good.slice(0, -1) + last)).toBe(false);
  });

  it('rejects different lengths without throwing', () => {
    expect(signaturesEqual(good, good.slice(0, 39))).toBe(false);
    expect(signaturesEqual('', good)).toBe(false);
  });

  it('is case-sensitive: WeChat sends lowercase hex', () => {
    const withLetters = wechatSignature('a'); // 86f7e437...
    expect(signaturesEqual(withLetters, withLetters.toUpperCase())).toBe(false);
  });
});

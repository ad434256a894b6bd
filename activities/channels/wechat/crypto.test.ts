import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WechatCryptoError, wechatCipher } from './crypto';
import { parseWechatXml } from './xml';
import { wechatSignature } from './signature';

// The WeCom callback documentation's example.
const DOC = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt: 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  // URL verification example: the encrypted echostr and its plaintext.
  echoSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  echoTimestamp: '1409659589',
  echoNonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wxb11529c136998cb6';
const RANDOM = Buffer.from('0123456789abcdef');

/** AES-256-CBC written out block by block over ECB, independent of the code
 * under test, so the expected bytes come from the layout alone. */
function cbcEncrypt(key: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out: Buffer[] = [];
  let previous = iv;
  for (let i = 0; i < plain.length; i += 16) {
    const block = Buffer.from(plain.subarray(i, i + 16).map((byte, j) => byte ^ previous[j]));
    previous = ecb.update(block);
    out.push(previous);
  }
  return Buffer.concat(out);
}

function cbcDecrypt(key: Buffer, iv: Buffer, cipher: Buffer): Buffer {
  const ecb = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out: Buffer[] = [];
  let previous = iv;
  for (let i = 0; i < cipher.length; i += 16) {
    const block = cipher.subarray(i, i + 16);
    out.push(Buffer.from(ecb.update(block).map((byte, j) => byte ^ previous[j])));
    previous = block;
  }
  return Buffer.concat(out);
}

const rawKey = (encodingAesKey: string) => Buffer.from(`${encodingAesKey}=`, 'base64');

function expectCode(run: () => unknown, code: WechatCryptoError['code']): void {
  let thrown: unknown;
  try { run(); } catch (err) { thrown = err; }
  expect(thrown).toBeInstanceOf(WechatCryptoError);
  expect((thrown as WechatCryptoError).code).toBe(code);
}

/** Flips bits of plaintext byte `position` by flipping the ciphertext byte
 * one AES block (16 bytes) earlier: CBC's malleability, which is why the
 * caller must check msg_signature first. */
function flipPlaintextByte(encrypted: string, position: number, mask: number): string {
  const bytes = Buffer.from(encrypted, 'base64');
  bytes[position - 16] ^= mask;
  return bytes.toString('base64');
}

describe('wechatCipher: the documented WeCom example', () => {
  it('verifies the documented msg_signature and decrypts the message for the CorpID', () => {
    expect(wechatSignature(DOC.token, DOC.timestamp, DOC.nonce, DOC.encrypt)).toBe(DOC.msgSignature);
    const fields = parseWechatXml(wechatCipher(DOC.encodingAesKey, DOC.corpId).decrypt(DOC.encrypt));
    expect(fields).toMatchObject({ ToUserName: DOC.corpId, FromUserName: 'mycreate', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('decrypts the documented URL-verification echostr to its plaintext', () => {
    expect(wechatSignature(DOC.token, DOC.echoTimestamp, DOC.echoNonce, DOC.echostr)).toBe(DOC.echoSignature);
    expect(wechatCipher(DOC.encodingAesKey, DOC.corpId).decrypt(DOC.echostr)).toBe('1616140317555161061');
  });

  it('refuses the documented message for another receiver', () => {
    expectCode(() => wechatCipher(DOC.encodingAesKey, 'wx0000000000000000').decrypt(DOC.encrypt), 'wrong-receiver');
  });
});

describe('wechatCipher: layout', () => {
  it('encrypts random16 | big-endian length | XML | AppId | 32-byte PKCS#7 exactly', () => {
    const xml = '<xml><Content><![CDATA[你好]]></Content></xml>';
    const body = Buffer.from(xml, 'utf8');
    const length = Buffer.from([0, 0, 0, body.length]);
    const unpadded = Buffer.concat([RANDOM, length, body, Buffer.from(APP_ID)]);
    const padLength = 32 - (unpadded.length % 32);
    const plain = Buffer.concat([unpadded, Buffer.alloc(padLength, padLength)]);
    const key = rawKey(KEY);
    const expected = cbcEncrypt(key, key.subarray(0, 16), plain).toString('base64');

    expect(wechatCipher(KEY, APP_ID).encrypt(xml, RANDOM)).toBe(expected);
  });

  it('counts the XML length in UTF-8 bytes, not characters', () => {
    const xml = '<xml>中文😀</xml>';
    const key = rawKey(KEY);
    const plain = cbcDecrypt(key, key.subarray(0, 16), Buffer.from(wechatCipher(KEY, APP_ID).encrypt(xml, RANDOM), 'base64'));
    expect(plain.readUInt32BE(16)).toBe(Buffer.byteLength(xml));
    expect(plain.subarray(0, 16)).toEqual(RANDOM);
  });

  it('adds a full 32-byte block of 32s when the message is already a multiple of 32 bytes', () => {
    // 20 header bytes + XML + 18-byte AppId = 96 bytes.
    const xml = `<xml>${'a'.repeat(58 - 11)}</xml>`;
    expect(20 + Buffer.byteLength(xml) + APP_ID.length).toBe(96);
    const cipher = wechatCipher(KEY, APP_ID);
    const encrypted = Buffer.from(cipher.encrypt(xml, RANDOM), 'base64');
    expect(encrypted.length).toBe(128);

    const key = rawKey(KEY);
    const plain = cbcDecrypt(key, key.subarray(0, 16), encrypted);
    expect([...plain.subarray(96)]).toEqual(Array(32).fill(32));
    expect(cipher.decrypt(encrypted.toString('base64'))).toBe(xml);
  });

  it('decrypts what an independent implementation encrypted, including a full pad block', () => {
    const key = rawKey(KEY);
    const xml = Buffer.from('x'.repeat(26)); // 20 + 26 + 18 = 64
    const plain = Buffer.concat([RANDOM, Buffer.from([0, 0, 0, 26]), xml, Buffer.from(APP_ID), Buffer.alloc(32, 32)]);
    const encrypted = cbcEncrypt(key, key.subarray(0, 16), plain).toString('base64');
    expect(wechatCipher(KEY, APP_ID).decrypt(encrypted)).toBe('x'.repeat(26));
  });

  it('round-trips every XML length from 0 to 100 bytes, ciphertext always whole 32-byte blocks', () => {
    const cipher = wechatCipher(KEY, APP_ID);
    for (let n = 0; n <= 100; n++) {
      const xml = 'y'.repeat(n);
      const bytes = Buffer.from(cipher.encrypt(xml), 'base64');
      expect(bytes.length).toBe((Math.floor((20 + n + APP_ID.length) / 32) + 1) * 32);
      expect(cipher.decrypt(bytes.toString('base64'))).toBe(xml);
    }
  });

  it('uses fresh random bytes per message by default', () => {
    const cipher = wechatCipher(KEY, APP_ID);
    expect(cipher.encrypt('<xml/>')).not.toBe(cipher.encrypt('<xml/>'));
  });

  it('accepts an empty receiveId (WeCom personal third-party apps have none)', () => {
    const cipher = wechatCipher(KEY, '');
    expect(cipher.decrypt(cipher.encrypt('<xml/>'))).toBe('<xml/>');
  });

  it('refuses random bytes of the wrong size', () => {
    expect(() => wechatCipher(KEY, APP_ID).encrypt('<xml/>', Buffer.alloc(15))).toThrow(RangeError);
  });
});

describe('wechatCipher: refusals', () => {
  const cipher = wechatCipher(KEY, APP_ID);
  const xml = '<xml><Content><![CDATA[hello]]></Content></xml>';
  const encrypted = cipher.encrypt(xml, RANDOM);
  const receiverStart = 20 + Buffer.byteLength(xml);

  it('refuses a message encrypted for another AppId', () => {
    expectCode(() => wechatCipher(KEY, 'wx0000000000000000').decrypt(encrypted), 'wrong-receiver');
    expectCode(() => wechatCipher(KEY, APP_ID.slice(0, -1)).decrypt(encrypted), 'wrong-receiver');
  });

  it('refuses a ciphertext tampered in the AppId', () => {
    expectCode(() => cipher.decrypt(flipPlaintextByte(encrypted, receiverStart + 2, 0x01)), 'wrong-receiver');
  });

  it('refuses a ciphertext tampered in the padding', () => {
    const bytes = Buffer.from(encrypted, 'base64');
    expectCode(() => cipher.decrypt(flipPlaintextByte(encrypted, bytes.length - 1, 0x80)), 'bad-padding');
    expectCode(() => cipher.decrypt(flipPlaintextByte(encrypted, bytes.length - 2, 0x01)), 'bad-padding');
  });

  it('refuses a length that runs past the end', () => {
    expectCode(() => cipher.decrypt(flipPlaintextByte(encrypted, 16, 0x7f)), 'bad-length');
  });

  it('refuses a ciphertext that is not whole 32-byte blocks', () => {
    expectCode(() => cipher.decrypt(Buffer.from(encrypted, 'base64').subarray(0, 48).toString('base64')), 'bad-length');
    expectCode(() => cipher.decrypt(''), 'bad-length');
  });

  it('refuses text that is not strict base64', () => {
    expectCode(() => cipher.decrypt('not base64!'), 'bad-base64');
    expectCode(() => cipher.decrypt(encrypted.slice(0, -1)), 'bad-base64');
    expectCode(() => cipher.decrypt(`${encrypted}\n`), 'bad-base64');
  });

  it.each([
    ['42 characters', KEY.slice(0, 42)],
    ['44 characters', `${KEY}A`],
    ['a non-alphanumeric character', `${KEY.slice(0, 42)}+`],
    ['empty', ''],
  ])('refuses an EncodingAESKey of %s', (_label, key) => {
    expectCode(() => wechatCipher(key, APP_ID), 'bad-key');
  });
});

// WeChat / WeCom message encryption ("safe mode"): AES-256-CBC with
// PKCS#7 padding to 32-byte blocks over
//   16 random bytes | 4-byte big-endian XML length | XML | receiveId
// receiveId is the AppId for an Official Account and the CorpID for WeCom.
//
// The ciphertext is not authenticated: CBC lets anyone who flips ciphertext
// bits flip the matching plaintext bits. Callers must check msg_signature
// (which covers the Encrypt value) before decrypting; the distinct error
// codes below then cannot serve as a padding oracle.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type WechatCryptoErrorCode = 'bad-key' | 'bad-base64' | 'bad-padding' | 'bad-length' | 'wrong-receiver';

export class WechatCryptoError extends Error {
  readonly code: WechatCryptoErrorCode;
  constructor(code: WechatCryptoErrorCode, message: string) {
    super(message);
    this.name = 'WechatCryptoError';
    this.code = code;
  }
}

export interface WechatCipher {
  encrypt(xml: string, random16?: Buffer): string;
  decrypt(encrypted: string): string;
}

const BLOCK = 32; // WeChat pads to 32 bytes, not AES's 16
const RANDOM_BYTES = 16;
const HEADER = RANDOM_BYTES + 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
// Strict standard base64 (padded): Buffer.from(..., 'base64') would silently
// skip anything else and decrypt garbage instead of reporting it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function aesKey(encodingAesKey: string): Buffer {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new WechatCryptoError('bad-key', 'EncodingAESKey must be 43 characters of [A-Za-z0-9]');
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

function pad(data: Buffer): Buffer {
  const amount = BLOCK - (data.length % BLOCK); // 1..32: an aligned message gets a full block
  return Buffer.concat([data, Buffer.alloc(amount, amount)]);
}

function unpad(data: Buffer): Buffer {
  const amount = data[data.length - 1];
  if (amount < 1 || amount > BLOCK || data.subarray(data.length - amount).some((byte) => byte !== amount)) {
    throw new WechatCryptoError('bad-padding', 'invalid PKCS#7 padding');
  }
  return data.subarray(0, data.length - amount);
}

function decodeCiphertext(encrypted: string): Buffer {
  if (!BASE64.test(encrypted)) throw new WechatCryptoError('bad-base64', 'Encrypt is not valid base64');
  const bytes = Buffer.from(encrypted, 'base64');
  if (bytes.length === 0 || bytes.length % BLOCK !== 0) {
    throw new WechatCryptoError('bad-length', `ciphertext of ${bytes.length} bytes is not a whole number of 32-byte blocks`);
  }
  return bytes;
}

function splitPlaintext(plain: Buffer): { xml: Buffer; receiveId: Buffer } {
  if (plain.length < HEADER) throw new WechatCryptoError('bad-length', 'plaintext shorter than its header');
  const end = HEADER + plain.readUInt32BE(RANDOM_BYTES);
  if (end > plain.length) throw new WechatCryptoError('bad-length', 'XML length runs past the end of the message');
  return { xml: plain.subarray(HEADER, end), receiveId: plain.subarray(end) };
}

export function wechatCipher(encodingAesKey: string, receiveId: string): WechatCipher {
  const key = aesKey(encodingAesKey);
  const iv = key.subarray(0, 16);
  const expectedReceiver = Buffer.from(receiveId, 'utf8');

  const run = (cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>, data: Buffer) => {
    cipher.setAutoPadding(false); // Node would pad to 16; WeChat pads to 32 (done by hand)
    return Buffer.concat([cipher.update(data), cipher.final()]);
  };

  return {
    encrypt(xml, random16 = randomBytes(RANDOM_BYTES)) {
      if (random16.length !== RANDOM_BYTES) throw new RangeError('random16 must be exactly 16 bytes');
      const body = Buffer.from(xml, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      const plain = pad(Buffer.concat([random16, length, body, expectedReceiver]));
      return run(createCipheriv('aes-256-cbc', key, iv), plain).toString('base64');
    },
    decrypt(encrypted) {
      const plain = unpad(run(createDecipheriv('aes-256-cbc', key, iv), decodeCiphertext(encrypted)));
      const { xml, receiveId: actual } = splitPlaintext(plain);
      if (!actual.equals(expectedReceiver)) {
        throw new WechatCryptoError('wrong-receiver', 'message was encrypted for another AppId / CorpID');
      }
      return xml.toString('utf8');
    },
  };
}

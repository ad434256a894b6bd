// Property tests: whatever arrives, the parsers answer with a value or one of
// their declared errors (which the webhook maps to 400), never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WechatCryptoError, wechatCipher } from './crypto';
import { parseWechatInbound } from './message';
import { XmlRejected, buildWechatXml, parseWechatXml } from './xml';

// A fixed seed keeps CI deterministic; FC_SEED=<n> explores other inputs.
const RUNS = { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261127) };
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wxb11529c136998cb6';
const cipher = wechatCipher(KEY, APP_ID);

const VALID = [
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1348831860</CreateTime>'
    + '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 /::)]]></Content><MsgId>1234567890123456</MsgId></xml>',
  '<?xml version="1.0"?>\n<xml>\n<ToUserName><![CDATA[gh_1]]></ToUserName>\n<FromUserName><![CDATA[oUser]]></FromUserName>\n'
    + '<CreateTime>1348831860</CreateTime>\n<MsgType><![CDATA[voice]]></MsgType>\n<MediaId><![CDATA[m]]></MediaId>\n'
    + '<Format><![CDATA[amr]]></Format>\n<Recognition><![CDATA[腾讯]]></Recognition>\n<MsgId>1</MsgId>\n</xml>',
  '<xml><ToUserName>gh_1</ToUserName><FromUserName>o&amp;User</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType>'
    + '<Event>scancode_push</Event><ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>&#x4F60;</ScanResult></ScanCodeInfo></xml>',
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName><CreateTime>1</CreateTime>'
    + '<MsgType><![CDATA[location]]></MsgType><Location_X>23.1</Location_X><Location_Y>113.3</Location_Y><Scale>20</Scale><Label/></xml>',
];

const SNIPPETS = ['<', '>', '/', '</', '<xml>', '</xml>', '<A>', '</A>', '<A/>', '&', '&amp;', '&lt', '&#0;', '&#x1F600;', '&xxe;',
  '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '<!ENTITY', '<!--', '<?pi?>', '<?xml version="1.0"?>', '"', "'", '=', ' ',
  '\n', '\u0000', '\uFEFF', '\uD800', '😀', '<MsgType>text</MsgType>', '<CreateTime>x</CreateTime>', '<a><b><c><d><e>'];

type Edit = { at: number; cut: number; insert: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 8 }),
  insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 4 })),
});
const applyEdits = (text: string, edits: Edit[]) => edits.reduce((acc, { at, cut, insert }) => {
  const position = acc.length ? at % (acc.length + 1) : 0;
  return acc.slice(0, position) + insert + acc.slice(position + cut);
}, text);
const mutatedPayload = fc.tuple(fc.constantFrom(...VALID), fc.array(edit, { minLength: 1, maxLength: 6 }))
  .map(([text, edits]) => applyEdits(text, edits));
const xmlish = fc.array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));

/** Runs `run`; an error of one of `allowed` counts as a proper answer. */
function onlyDeclared(run: () => unknown, ...allowed: (new (...args: never[]) => Error)[]): void {
  try {
    run();
  } catch (err) {
    if (!allowed.some((type) => err instanceof type)) throw err;
  }
}

const parseAll = (xml: string) => parseWechatInbound(parseWechatXml(xml));

describe('parsers under random and mutated input', () => {
  it('parseWechatXml and parseWechatInbound throw only XmlRejected on random strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), xmlish), (text) => {
      onlyDeclared(() => parseAll(text), XmlRejected);
    }), RUNS);
  });

  it('parseWechatXml and parseWechatInbound throw only XmlRejected on mutated WeChat payloads', () => {
    fc.assert(fc.property(mutatedPayload, (text) => {
      onlyDeclared(() => parseAll(text), XmlRejected);
    }), RUNS);
  });

  it('parseWechatInbound throws only XmlRejected on arbitrary field maps', () => {
    const names = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'MsgId', 'Content', 'Event', 'EventKey',
      'Location_X', 'Location_Y', 'Scale', 'Label', 'MediaId', 'Format', 'PicUrl', 'ThumbMediaId', 'Title', 'Description', 'Url', '__proto__');
    const values = fc.oneof(fc.string(), fc.constantFrom('text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'event', '1', 'NaN', '1e400'));
    fc.assert(fc.property(fc.dictionary(names, values), (fields) => {
      onlyDeclared(() => parseWechatInbound(fields), XmlRejected);
    }), RUNS);
  });

  it('decrypt throws only WechatCryptoError on random text, random ciphertexts and tampered ones', () => {
    const valid = cipher.encrypt(VALID[0]);
    const tampered = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
      const bytes = Buffer.from(valid, 'base64');
      for (const [at, mask] of flips) bytes[at % bytes.length] ^= mask;
      return bytes.toString('base64');
    });
    const blocks = fc.integer({ min: 1, max: 8 }).chain((n) => fc.uint8Array({ minLength: 32 * n, maxLength: 32 * n }))
      .map((bytes) => Buffer.from(bytes).toString('base64'));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.base64String({ maxLength: 200 }), blocks, tampered), (text) => {
      onlyDeclared(() => cipher.decrypt(text), WechatCryptoError);
    }), RUNS);
  });
});

describe('round trips', () => {
  it('encrypt then decrypt returns any Unicode XML unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (xml, random) => {
      expect(cipher.decrypt(cipher.encrypt(xml, Buffer.from(random)))).toBe(xml);
    }), RUNS);
  });

  it('fields survive build, encrypt, decrypt and parse', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/);
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.integer());
    fc.assert(fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (fields) => {
      const parsed = parseWechatXml(cipher.decrypt(cipher.encrypt(buildWechatXml(fields))));
      expect(parsed).toEqual(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
    }), RUNS);
  });
});

// Property tests: whatever arrives, the Weibo push parser answers with a
// message or WeiboRejected (which the webhook maps to 400, or acknowledges for
// an unknown type) — never another error; the signature check never throws.
// (Replies are fitted to Weibo's limit by ../capabilities.ts, tested there.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWeiboPush, weiboInboundMessage, weiboInboundText, WeiboRejected } from './message';
import { checkWeiboSignature } from './signature';

// A fixed seed keeps CI deterministic; FC_SEED=<n> explores other inputs.
const RUNS = { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261203) };

const VALID = [
  '{"type":"text","receiver_id":1902538057,"sender_id":2489518277,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"运费多少？😀","data":{}}',
  '{"type":"position","receiver_id":1902538057,"sender_id":2489518277,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"发送了一个位置","data":{"longitude":"116.308586","latitude":"39.982525"}}',
  '{"type":"voice","receiver_id":1902538057,"sender_id":2489518277,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"发了一个语音消息","data":{"vfid":821804459,"tovfid":821804469}}',
  '{"type":"event","receiver_id":1902538057,"sender_id":"2489518277","created_at":"Tue Dec 01 09:00:00 +0800 2026","text":"事件消息","data":{"subtype":"click","key":"MENU_1"}}',
  '{"type":"mention","receiver_id":1902538057,"sender_id":2489518277,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"@账号 你好","data":{"mid":"3793209234545422"}}',
];

const SNIPPETS = ['{', '}', '[', ']', '"', ':', ',', '\\', '\\u0000', '\\ud800', 'null', 'true', '1e400', '-0', '9007199254740993',
  '"type"', '"text"', '"event"', '"sender_id"', '"created_at"', '"data"', '"__proto__"', '"constructor"', '😀', '\u0000', '\uFEFF', ' ', '\n',
  '<xml>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '"Mon Jul 16 18:09:20 +0800 2012"', '{"subtype":"follow"}'];

type Edit = { at: number; cut: number; insert: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(), cut: fc.nat({ max: 8 }), insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 4 })),
});
const applyEdits = (text: string, edits: Edit[]) => edits.reduce((acc, { at, cut, insert }) => {
  const position = acc.length ? at % (acc.length + 1) : 0;
  return acc.slice(0, position) + insert + acc.slice(position + cut);
}, text);
const mutated = fc.tuple(fc.constantFrom(...VALID), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => applyEdits(text, edits));
const jsonish = fc.array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));

/** Parses; a WeiboRejected counts as a proper answer, and a message must be usable. */
function parsesOrRejects(body: string): void {
  try {
    const push = parseWeiboPush(body);
    expect(push.messageId).toMatch(/^[1-9][0-9]*:-?[0-9]+:[a-z]+:[0-9a-f]{20}$/);
    const text = weiboInboundText(push);
    expect(text === undefined || typeof text === 'string').toBe(true);
    expect(weiboInboundMessage(push, { receivedAt: 1 })?.text).toBe(text === undefined ? undefined : text.slice(0, 4000));
  } catch (err) {
    if (!(err instanceof WeiboRejected)) throw err;
  }
}

describe('parseWeiboPush under random and mutated input', () => {
  it('throws only WeiboRejected on random strings and JSON-ish text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), jsonish), parsesOrRejects), RUNS);
  });

  it('throws only WeiboRejected on mutated Weibo pushes', () => {
    fc.assert(fc.property(mutated, parsesOrRejects), RUNS);
  });

  it('throws only WeiboRejected on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => parsesOrRejects(JSON.stringify(value))), RUNS);
  });

  it('throws only WeiboRejected on objects with Weibo\'s keys and random values', () => {
    const keys = fc.constantFrom('type', 'sender_id', 'receiver_id', 'created_at', 'text', 'data', '__proto__');
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('text', 'position', 'voice', 'image', 'event', 'mention', 'Mon Jul 16 18:09:20 +0800 2012', 2489518277, '2489518277', 2 ** 63),
      fc.dictionary(fc.constantFrom('subtype', 'key', 'longitude', 'latitude', 'vfid', '__proto__'), fc.oneof(fc.string(), fc.double(), fc.constantFrom('follow', 'click', '116.3'))),
    );
    fc.assert(fc.property(fc.dictionary(keys, values), (fields) => parsesOrRejects(JSON.stringify(fields))), RUNS);
  });

  it('a parsed push keeps its id when parsed again (retries dedupe)', () => {
    fc.assert(fc.property(fc.constantFrom(...VALID.slice(0, 4)), fc.string({ maxLength: 50 }), (body, text) => {
      const withText = JSON.stringify({ ...JSON.parse(body), text });
      expect(parseWeiboPush(withText).messageId).toBe(parseWeiboPush(withText).messageId);
    }), RUNS);
  });
});

describe('checkWeiboSignature under random input', () => {
  it('answers ok, wrong or stale and never throws', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (secret, signature, timestamp, nonce) => {
      expect(['ok', 'wrong', 'stale']).toContain(checkWeiboSignature(secret, { signature, timestamp, nonce }));
    }), RUNS);
  });
});

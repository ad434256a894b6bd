// Splitting and cutting text to a provider's limit, in characters or UTF-8
// bytes: pieces within the limit that join back to the text, never cut inside
// a character, an emoji or a kept token.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutText, sizeOf, splitText, type TextUnit } from './text-limit';
import { FACE_TOKEN } from './wechat/emoji';

// A fixed seed keeps CI deterministic; FC_SEED=<n> explores other inputs.
const RUNS = { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261203) };
const wellFormed = (s: string) => !/\p{Surrogate}/u.test(s);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 2000 }),
  fc.array(fc.constantFrom('好', '😀', '👨‍👩‍👧', '🇨🇳', '。', '\n', ' ', 'a', '，', '[微笑]'), { maxLength: 2000 }).map((a) => a.join('')),
);
const unit = fc.constantFrom<TextUnit>('chars', 'bytes');

describe('splitText', () => {
  it('gives pieces within the limit that join back to the text, never splitting a character', () => {
    fc.assert(fc.property(text, fc.integer({ min: 4, max: 400 }), unit, (t, max, u) => {
      const parts = splitText(t, max, u);
      expect(parts.join('')).toBe(t);
      for (const part of parts) {
        expect(sizeOf(part, u)).toBeLessThanOrEqual(max);
        // A surrogate pair cut in two would leave a lone surrogate in a piece.
        if (wellFormed(t)) expect(wellFormed(part)).toBe(true);
      }
      if (sizeOf(t, u) > max) expect(parts.every((p) => p.length > 0)).toBe(true);
      expect(splitText(t, max, u)).toEqual(parts);
    }), RUNS);
  });

  it('breaks a long Chinese reply after a sentence mark', () => {
    const sentence = '订单满 99 元包邮，一般 48 小时内发货。';
    const parts = splitText(sentence.repeat(20), 299);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('。')).toBe(true);
  });

  it('keeps an emoji sequence whole, and splits one longer than the limit only between code points', () => {
    expect(splitText('ab👨‍👩‍👧', 5, 'chars')).toEqual(['ab', '👨‍👩‍👧']); // five code points
    expect(splitText('👨‍👩‍👧', 2, 'chars')).toEqual(['👨‍', '👩‍', '👧']);
  });

  it('never cuts inside a kept token (a WeChat face)', () => {
    expect(splitText(`${'a'.repeat(8)}[微笑]`, 10, 'bytes', FACE_TOKEN)).toEqual(['a'.repeat(8), '[微笑]']);
    expect(splitText(`${'a'.repeat(8)}[微笑]`, 10, 'bytes')).toEqual([`${'a'.repeat(8)}[`, '微笑]']);
  });
});

describe('cutText', () => {
  it('gives the longest beginning within the limit', () => {
    fc.assert(fc.property(text, fc.integer({ min: 4, max: 400 }), unit, (t, max, u) => {
      const cut = cutText(t, max, u);
      expect(t.startsWith(cut)).toBe(true);
      expect(sizeOf(cut, u)).toBeLessThanOrEqual(max);
      if (wellFormed(t)) expect(wellFormed(cut)).toBe(true);
      // Longest: the next character would not have fitted.
      const next = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t.slice(cut.length))][0]?.segment;
      if (next && sizeOf(next, u) <= max) expect(sizeOf(cut + next, u)).toBeGreaterThan(max);
    }), RUNS);
    expect(cutText('好好好', 7, 'bytes')).toBe('好好');
    expect(cutText('a😀b', 4, 'bytes')).toBe('a');
  });
});

// Measuring, splitting and cutting text to a provider's length limit. Some
// providers count UTF-8 bytes (WeChat, WeCom), others characters (Weibo). Text
// is only ever cut between user-perceived characters (grapheme clusters), so an
// emoji, a flag or a character with its accents stays whole (and so does a
// WeChat face code, when asked: `keep`); a cluster longer
// than the whole limit, which no piece could hold, is cut between code points,
// never inside a UTF-8 sequence or a surrogate pair. Pure, and free of Node
// APIs: the web chat widget runs it too.

export type TextUnit = 'bytes' | 'chars';

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text's size: UTF-8 bytes, or characters (code points). */
export function sizeOf(text: string, unit: TextUnit): number {
  return unit === 'bytes' ? encoder.encode(text).length : [...text].length;
}

interface Atom { text: string; size: number }

/**
 * The pieces text may be cut between, with their sizes: grapheme clusters, and
 * whole matches of `keep` (a global pattern: WeChat's face codes) that fit.
 */
function atoms(text: string, max: number, unit: TextUnit, keep?: RegExp): Atom[] {
  const out: Atom[] = [];
  const add = (piece: string) => {
    for (const { segment } of graphemes.segment(piece)) {
      const size = sizeOf(segment, unit);
      if (size <= max) out.push({ text: segment, size });
      else for (const point of segment) out.push({ text: point, size: sizeOf(point, unit) });
    }
  };
  let last = 0;
  for (const match of keep ? text.matchAll(keep) : []) {
    add(text.slice(last, match.index));
    const size = sizeOf(match[0], unit);
    if (size <= max) out.push({ text: match[0], size });
    else add(match[0]);
    last = match.index + match[0].length;
  }
  add(text.slice(last));
  return out;
}

const join = (list: readonly Atom[], from: number, to: number) => list.slice(from, to).map((a) => a.text).join('');

/** Where a piece may end nicely: after a line end, a sentence or clause mark, or a space. */
const BREAK_AFTER = /^[\n。！？；!?;.，,、 ]$/u;

/**
 * Splits text into pieces of at most `max` (in `unit`), breaking after a line
 * end, a sentence or clause mark or a space in the last third of a piece when
 * there is one. The pieces joined give the text back exactly, and the same text
 * always gives the same pieces, so a retried send can go on from the piece it
 * reached.
 */
export function splitText(text: string, max: number, unit: TextUnit = 'chars', keep?: RegExp): string[] {
  if (sizeOf(text, unit) <= max) return [text];
  const list = atoms(text, max, unit, keep);
  const parts: string[] = [];
  let start = 0;
  while (start < list.length) {
    let end = start;
    let size = 0;
    while (end < list.length && size + list[end]!.size <= max) size += list[end++]!.size;
    if (end === start) end++; // a code point larger than the limit: it goes alone
    if (end < list.length) {
      // Look back through the last third of the piece for a nicer place to break.
      for (let i = end - 1, piece = size; i > start && piece >= (max * 2) / 3; piece -= list[i--]!.size) {
        if (BREAK_AFTER.test(list[i]!.text)) {
          end = i + 1;
          break;
        }
      }
    }
    parts.push(join(list, start, end));
    start = end;
  }
  return parts;
}

/** The longest beginning of text within `max` (in `unit`), never ending inside a match of `keep`. */
export function cutText(text: string, max: number, unit: TextUnit, keep?: RegExp): string {
  if (sizeOf(text, unit) <= max) return text;
  const list = atoms(text, max, unit, keep);
  let end = 0;
  for (let size = 0; end < list.length && size + list[end]!.size <= max; end++) size += list[end]!.size;
  return join(list, 0, end);
}

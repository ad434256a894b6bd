// Markdown as plain text, for channels that show text as it is (WeChat, WeCom,
// Weibo...): what an agent or a flow wrote as **bold**, `code` or
// [a link](https://…) arrives as bold, code and "a link (https://…)" instead of
// its syntax. A small, conservative converter for what people write in chat
// replies, not a CommonMark implementation: anything it does not recognise as
// markdown comes through unchanged, so "5 * 3", "snake_case", "C#" or a Weibo
// "#topic#" are left alone. Pure, and free of Node APIs: the web chat widget
// runs it too.

export interface MarkdownImage {
  url: string;
  alt: string;
}

export interface PlainText {
  text: string;
  /** Images taken out of the text (`keepImages`), in order. */
  images: MarkdownImage[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^([ \t]*)[-*+][ \t]+(?=\S)/;
/** `---`, `* * *`: kept as they are (they read as a separator in plain text too), and never taken for a bullet. */
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * The plain text of markdown: emphasis, strikethrough and code spans lose their
 * marks, headings their `#`, links become "text (url)", bullets "•", fenced
 * code blocks keep their lines without the fences, numbered lists stay as they
 * are. Images are taken out and returned when the channel shows images
 * (`keepImages`), else written as "alt (url)".
 */
export function markdownToPlain(markdown: string, opts: { keepImages: boolean }): PlainText {
  const images: MarkdownImage[] = [];
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      else out.push(line);
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open) {
      fence = open[1]!;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push(inline(heading[1] ?? '', images, opts.keepImages));
      continue;
    }
    const bullet = THEMATIC_BREAK.test(line) ? null : BULLET.exec(line);
    if (bullet) out.push(`${bullet[1]}• ${inline(line.slice(bullet[0].length), images, opts.keepImages)}`);
    else out.push(inline(line, images, opts.keepImages));
  }
  const text = out.join('\n');
  // An image taken out can leave an empty line where it stood.
  return { text: images.length ? text.replace(/^\s*\n|\n\s*$/g, '') : text, images };
}

function closesFence(line: string, fence: string): boolean {
  const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!close && close[1]![0] === fence[0] && close[1]!.length >= fence.length;
}

/** A link destination, optionally in <>, with an optional title. */
const DESTINATION = String.raw`\(\s*<?([^\s()<>]+)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)`;
const IMAGE = new RegExp(String.raw`!\[([^\]\n]*)\]` + DESTINATION, 'g');
const LINK = new RegExp(String.raw`\[([^\]\n]+)\]` + DESTINATION, 'g');
const AUTOLINK = /<(https?:\/\/[^\s<>]+)>/g;
const CODE_SPAN = /(?<![\\`])(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;
const ESCAPE = /\\([!-/:-@[-`{-~])/g;
/**
 * Emphasis, strongest first so `***both***` unwraps fully. `*` may not touch an
 * ASCII letter or digit on its outer side (so "2**10" and "a*b*c" stay), `_`
 * no letter or digit at all (snake_case stays); CJK text around `**` is fine.
 */
const EMPHASIS = [
  /(?<![A-Za-z0-9])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![A-Za-z0-9])/g,
  /(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu,
  /(?<![A-Za-z0-9*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![A-Za-z0-9*])/g,
  /(?<![\p{L}\p{N}_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\p{L}\p{N}_])/gu,
  /~~(?=\S)(.+?)(?<=\S)~~/g,
];

/**
 * Inline markdown of one line as plain text. What must come out literally
 * (code, escaped characters, finished links) is set aside behind a private-use
 * marker while the rest is unwrapped, then put back.
 */
function inline(line: string, images: MarkdownImage[], keepImages: boolean): string {
  const literals: string[] = [];
  const hold = (literal: string) => `\uE000${literals.push(literal) - 1}\uE001`;
  let s = line.replace(/\uE000/g, hold); // a marker already in the text is text
  s = s.replace(CODE_SPAN, (_m, _ticks, code: string) => hold(/^ .*[^ ].* $/s.test(code) ? code.slice(1, -1) : code));
  s = s.replace(ESCAPE, (_m, char: string) => hold(char));
  s = s.replace(AUTOLINK, (_m, url: string) => hold(url));
  s = s.replace(IMAGE, (_m, alt: string, url: string) => {
    const text = unwrap(alt);
    if (!keepImages) return hold(imageAsText({ alt: text, url }));
    images.push({ url, alt: restore(text, literals) });
    return '';
  });
  s = s.replace(LINK, (_m, label: string, url: string) => {
    const text = unwrap(label);
    return hold(restore(text, literals) === url ? url : `${text} (${url})`);
  });
  s = unwrap(s);
  return restore(s, literals);
}

/** A picture written as text, where it is not shown as a picture: "alt (url)". */
export function imageAsText({ alt, url }: MarkdownImage): string {
  return alt ? `${alt} (${url})` : url;
}

function unwrap(text: string): string {
  return EMPHASIS.reduce((s, mark) => s.replace(mark, '$1'), text);
}

function restore(text: string, literals: readonly string[]): string {
  return text.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => restore(literals[Number(i)]!, literals));
}

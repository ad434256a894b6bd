// A small strict parser for WeChat's flat XML bodies, and the matching builder.
// WeChat never sends DTDs, attributes, comments or processing instructions, so
// anything of that kind is refused outright rather than interpreted: nothing is
// ever expanded (no billion laughs, no XXE), and work is linear in the input.

export type XmlRejectedCode = 'doctype' | 'entity' | 'malformed' | 'too-large' | 'too-deep';

export class XmlRejected extends Error {
  readonly code: XmlRejectedCode;
  constructor(code: XmlRejectedCode, message: string) {
    super(message);
    this.name = 'XmlRejected';
    this.code = code;
  }
}

const MAX_BYTES = 64 * 1024;
// Levels below the root <xml>. WeChat's deepest body (pic_sysphoto's
// SendPicsInfo.PicList.item.PicMd5Sum) uses four.
const MAX_DEPTH = 4;
// No '.' or '[': they build the flattened keys, which must stay unambiguous.
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const OPEN_TAG = /<([A-Za-z_][A-Za-z0-9_-]*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z_][A-Za-z0-9_-]*)\s*>/y;
const PREDEFINED = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);
const ONLY_WHITESPACE = /^[ \t\r\n]*$/;

interface Frame {
  name: string;
  path: string; // flattened key, '' for the root
  text: string;
  hasChildren: boolean;
  childCounts: Map<string, number>;
}

/** XML's Char production: a character reference to anything else is an error. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function resolveReference(body: string): string {
  const predefined = PREDEFINED.get(body);
  if (predefined !== undefined) return predefined;
  const numeric = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/.exec(body);
  if (numeric) {
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 10) : Number.parseInt(numeric[2], 16);
    if (!isXmlChar(code)) throw new XmlRejected('malformed', `character reference &${body}; is not an XML character`);
    return String.fromCodePoint(code);
  }
  if (/^[A-Za-z_:][A-Za-z0-9_.:-]*$/.test(body)) {
    throw new XmlRejected('entity', `entity reference &${body}; refused: only the five predefined entities are decoded`);
  }
  throw new XmlRejected('malformed', 'bare "&" in text');
}

function decodeText(raw: string): string {
  if (raw.includes(']]>')) throw new XmlRejected('malformed', '"]]>" outside a CDATA section');
  return raw.replace(/&([^&;]*)(;?)/g, (_match, body: string, semicolon: string) => {
    if (!semicolon) throw new XmlRejected('malformed', 'bare "&" in text');
    return resolveReference(body);
  });
}

/** Skips a byte-order mark and the optional leading <?xml ...?> declaration. */
function prologEnd(src: string): number {
  const start = src.startsWith('\uFEFF') ? 1 : 0;
  if (!/^<\?xml[\s?]/.test(src.slice(start, start + 6))) return start;
  const end = src.indexOf('?>', start);
  if (end === -1) throw new XmlRejected('malformed', 'unterminated XML declaration');
  return end + 2;
}

class FlatParser {
  private pos: number;
  private readonly stack: Frame[] = [];
  private readonly fields = new Map<string, string>();
  private rootClosed = false;

  constructor(private readonly src: string) {
    this.pos = prologEnd(src);
  }

  parse(): Record<string, string> {
    while (this.pos < this.src.length) {
      const lt = this.src.indexOf('<', this.pos);
      const textEnd = lt === -1 ? this.src.length : lt;
      this.text(this.src.slice(this.pos, textEnd), true);
      this.pos = textEnd;
      if (lt !== -1) this.markup();
    }
    if (!this.rootClosed) throw new XmlRejected('malformed', this.stack.length ? `unclosed <${this.stack.at(-1)?.name}>` : 'no <xml> root element');
    // fromEntries defines own properties, so a field named __proto__ stays data.
    return Object.fromEntries(this.fields);
  }

  private text(raw: string, encoded: boolean): void {
    const top = this.stack.at(-1);
    if (!top) {
      if (!ONLY_WHITESPACE.test(raw)) throw new XmlRejected('malformed', 'text outside the <xml> root');
      return;
    }
    top.text += encoded ? decodeText(raw) : raw;
  }

  private markup(): void {
    const { src, pos } = this;
    if (src.startsWith('<![CDATA[', pos)) return this.cdata();
    if (src.startsWith('<!', pos)) return this.refuseDeclaration();
    if (src.startsWith('<?', pos)) throw new XmlRejected('malformed', 'processing instructions are not allowed');
    if (src.startsWith('</', pos)) return this.closeTag();
    this.openTag();
  }

  private cdata(): void {
    const end = this.src.indexOf(']]>', this.pos + 9);
    if (end === -1) throw new XmlRejected('malformed', 'unterminated CDATA section');
    if (!this.stack.length) throw new XmlRejected('malformed', 'CDATA outside the <xml> root');
    this.text(this.src.slice(this.pos + 9, end), false);
    this.pos = end + 3;
  }

  private refuseDeclaration(): never {
    const head = this.src.slice(this.pos, this.pos + 9).toUpperCase();
    if (head.startsWith('<!DOCTYPE')) throw new XmlRejected('doctype', 'DOCTYPE declarations are not allowed');
    if (head.startsWith('<!ENTITY')) throw new XmlRejected('entity', 'ENTITY declarations are not allowed');
    throw new XmlRejected('malformed', 'comments and declarations are not allowed');
  }

  private openTag(): void {
    OPEN_TAG.lastIndex = this.pos;
    const match = OPEN_TAG.exec(this.src);
    if (!match) throw new XmlRejected('malformed', `invalid tag at offset ${this.pos} (attributes are not allowed)`);
    this.pos = OPEN_TAG.lastIndex;
    this.push(match[1]);
    if (match[2]) this.pop(match[1]);
  }

  private closeTag(): void {
    CLOSE_TAG.lastIndex = this.pos;
    const match = CLOSE_TAG.exec(this.src);
    if (!match) throw new XmlRejected('malformed', `invalid closing tag at offset ${this.pos}`);
    this.pos = CLOSE_TAG.lastIndex;
    this.pop(match[1]);
  }

  private push(name: string): void {
    const parent = this.stack.at(-1);
    if (!parent) {
      if (this.rootClosed || name !== 'xml') throw new XmlRejected('malformed', 'the body must be a single <xml> element');
      this.stack.push({ name, path: '', text: '', hasChildren: false, childCounts: new Map() });
      return;
    }
    if (this.stack.length > MAX_DEPTH) throw new XmlRejected('too-deep', `elements nested more than ${MAX_DEPTH} levels`);
    this.stack.push({ name, path: childPath(parent, name), text: '', hasChildren: false, childCounts: new Map() });
    parent.hasChildren = true;
  }

  private pop(name: string): void {
    const frame = this.stack.pop();
    if (!frame || frame.name !== name) throw new XmlRejected('malformed', `unbalanced </${name}>`);
    const isRoot = this.stack.length === 0;
    if (frame.hasChildren || isRoot) {
      if (!ONLY_WHITESPACE.test(frame.text)) throw new XmlRejected('malformed', `text mixed with elements in <${name}>`);
    } else {
      this.fields.set(frame.path, frame.text);
    }
    if (isRoot) this.rootClosed = true;
  }
}

/** `Parent.Child`; a repeated sibling gets an index from its second
 * occurrence on (`item`, `item[1]`, ...), so list events lose nothing. */
function childPath(parent: Frame, name: string): string {
  const seen = parent.childCounts.get(name) ?? 0;
  parent.childCounts.set(name, seen + 1);
  const segment = seen === 0 ? name : `${name}[${seen}]`;
  return parent.path ? `${parent.path}.${segment}` : segment;
}

export function parseWechatXml(xml: string): Record<string, string> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_BYTES) throw new XmlRejected('too-large', `body over ${MAX_BYTES} bytes`);
  return new FlatParser(xml).parse();
}

function cdata(text: string): string {
  // "]]>" cannot appear inside CDATA: end the section after "]]" and start a new one for ">".
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function element(name: string, value: string | number): string {
  if (!NAME.test(name)) throw new TypeError(`invalid WeChat XML element name: ${JSON.stringify(name)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${name} is not a finite number`);
  return `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`;
}

export function buildWechatXml(fields: Record<string, string | number>): string {
  return `<xml>${Object.entries(fields).map(([name, value]) => element(name, value)).join('')}</xml>`;
}

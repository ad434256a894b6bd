import { describe, expect, it } from 'vitest';
import { XmlRejected, buildWechatXml, parseWechatXml } from './xml';

function rejection(xml: string): XmlRejected['code'] | 'accepted' {
  try {
    parseWechatXml(xml);
    return 'accepted';
  } catch (err) {
    if (err instanceof XmlRejected) return err.code;
    throw err;
  }
}

describe('parseWechatXml: what WeChat sends', () => {
  it('reads CDATA and bare numbers of a text message', () => {
    const xml = '<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>'
      + '<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 <b>&amp;</b>]]></Content>'
      + '<MsgId>1234567890123456</MsgId></xml>';
    expect(parseWechatXml(xml)).toEqual({
      ToUserName: 'gh_123', FromUserName: 'oUser', CreateTime: '1348831860', MsgType: 'text', Content: '你好 <b>&amp;</b>', MsgId: '1234567890123456',
    });
  });

  it('accepts an XML declaration, a byte-order mark and layout whitespace', () => {
    const xml = '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <A><![CDATA[1]]></A>\n  <B>2</B>\n</xml>\n';
    expect(parseWechatXml(xml)).toEqual({ A: '1', B: '2' });
  });

  it('decodes the five predefined entities and numeric references in plain text', () => {
    const xml = '<xml><T>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20320;&#x597D; &#x1F600;</T></xml>';
    expect(parseWechatXml(xml).T).toBe('a & b <c> "d" \'e\' 你好 😀');
  });

  it('leaves CDATA content exactly as written', () => {
    expect(parseWechatXml('<xml><T><![CDATA[&amp; &lt; <![CDATA[ &#65;]]></T></xml>').T).toBe('&amp; &lt; <![CDATA[ &#65;');
  });

  it('joins text and several CDATA sections (how "]]>" is carried)', () => {
    expect(parseWechatXml('<xml><T>a<![CDATA[]]]]><![CDATA[>]]>b</T></xml>').T).toBe('a]]>b');
  });

  it('treats an empty or self-closing element as an empty value', () => {
    expect(parseWechatXml('<xml><A></A><B/><C /></xml>')).toEqual({ A: '', B: '', C: '' });
  });

  it('flattens nested elements as Parent.Child (scancode_push event)', () => {
    const xml = '<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[scancode_push]]></Event>'
      + '<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>';
    expect(parseWechatXml(xml)).toEqual({ MsgType: 'event', Event: 'scancode_push', 'ScanCodeInfo.ScanType': 'qrcode', 'ScanCodeInfo.ScanResult': '1' });
  });

  it('numbers repeated siblings from the second on (pic_sysphoto, four levels deep)', () => {
    const xml = '<xml><SendPicsInfo><Count>2</Count><PicList>'
      + '<item><PicMd5Sum><![CDATA[aaa]]></PicMd5Sum></item><item><PicMd5Sum><![CDATA[bbb]]></PicMd5Sum></item>'
      + '</PicList></SendPicsInfo></xml>';
    expect(parseWechatXml(xml)).toEqual({
      'SendPicsInfo.Count': '2', 'SendPicsInfo.PicList.item.PicMd5Sum': 'aaa', 'SendPicsInfo.PicList.item[1].PicMd5Sum': 'bbb',
    });
  });

  it('keeps a field named __proto__ as plain data', () => {
    const fields = parseWechatXml('<xml><__proto__><![CDATA[x]]></__proto__></xml>');
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });
});

describe('parseWechatXml: DTDs and entities are refused, never expanded', () => {
  it('refuses billion laughs', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
      + '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><xml><A>&lol2;</A></xml>';
    expect(rejection(lol)).toBe('doctype');
  });

  it('refuses an external entity (XXE)', () => {
    expect(rejection('<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>')).toBe('doctype');
    expect(rejection('<?xml version="1.0"?>\n<!DOCTYPE xml SYSTEM "http://attacker.example/x.dtd"><xml/>')).toBe('doctype');
  });

  it('refuses a DOCTYPE in any case and in any position', () => {
    expect(rejection('<!doctype xml><xml/>')).toBe('doctype');
    expect(rejection('<xml><!DOCTYPE x></xml>')).toBe('doctype');
  });

  it('refuses an ENTITY declaration without a DOCTYPE', () => {
    expect(rejection('<xml><!ENTITY a "b"><A>&a;</A></xml>')).toBe('entity');
  });

  it('refuses a reference to any entity other than the five predefined ones', () => {
    expect(rejection('<xml><A>&xxe;</A></xml>')).toBe('entity');
    expect(rejection('<xml><A>&nbsp;</A></xml>')).toBe('entity');
  });

  it('does not mistake DOCTYPE text inside CDATA for a declaration', () => {
    expect(parseWechatXml('<xml><Content><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]>]]></Content></xml>').Content).toBe('<!DOCTYPE x [<!ENTITY a "b">]>');
  });
});

describe('parseWechatXml: size and depth', () => {
  it('accepts a body of exactly 64 KB and refuses one byte more', () => {
    const frame = '<xml><A></A></xml>';
    const exact = frame.replace('<A>', `<A>${'a'.repeat(64 * 1024 - frame.length)}`);
    expect(parseWechatXml(exact).A).toHaveLength(64 * 1024 - frame.length);
    expect(rejection(exact.replace('<A>', '<A>a'))).toBe('too-large');
  });

  it('measures size in UTF-8 bytes, so 30,000 Chinese characters are too large', () => {
    expect(rejection(`<xml><A>${'汉'.repeat(30_000)}</A></xml>`)).toBe('too-large');
  });

  it('accepts four levels below <xml> and refuses a fifth', () => {
    expect(parseWechatXml('<xml><a><b><c><d>x</d></c></b></a></xml>')).toEqual({ 'a.b.c.d': 'x' });
    expect(rejection('<xml><a><b><c><d><e>x</e></d></c></b></a></xml>')).toBe('too-deep');
  });

  it('refuses deep nesting attacks quickly', () => {
    expect(rejection(`<xml>${'<a>'.repeat(10_000)}</xml>`)).toBe('too-deep');
  });
});

describe('parseWechatXml: malformed input', () => {
  it.each([
    ['an empty body', ''],
    ['plain text', 'hello'],
    ['JSON', '{"ToUserName":"x"}'],
    ['a root other than <xml>', '<root><A>1</A></root>'],
    ['two roots', '<xml></xml><xml></xml>'],
    ['text after the root', '<xml></xml>tail'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['an unclosed child', '<xml><A>1</xml>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['a stray closing tag', '</xml>'],
    ['attributes', '<xml><A type="x">1</A></xml>'],
    ['a processing instruction', '<xml><?php echo 1; ?></xml>'],
    ['a stylesheet instruction', '<?xml-stylesheet href="x"?><xml/>'],
    ['a declaration not at the start', ' <?xml version="1.0"?><xml/>'],
    ['an unterminated declaration', '<?xml version="1.0"'],
    ['a comment', '<xml><!-- hi --></xml>'],
    ['an unterminated CDATA section', '<xml><A><![CDATA[abc</A></xml>'],
    ['CDATA outside the root', '<![CDATA[x]]><xml/>'],
    ['a bare ampersand', '<xml><A>fish & chips</A></xml>'],
    ['an unterminated reference', '<xml><A>&amp</A></xml>'],
    ['a reference to NUL', '<xml><A>&#0;</A></xml>'],
    ['a reference to a surrogate', '<xml><A>&#xD800;</A></xml>'],
    ['a reference beyond Unicode', '<xml><A>&#x110000;</A></xml>'],
    ['"]]>" in text', '<xml><A>a]]>b</A></xml>'],
    ['text mixed with elements', '<xml><A>text<B>1</B></A></xml>'],
    ['text directly in <xml>', '<xml>text<A>1</A></xml>'],
    ['a bare "<"', '<xml><A>1 < 2</A></xml>'],
    ['a tag with a dotted name', '<xml><A.B>1</A.B></xml>'],
  ])('refuses %s', (_label, xml) => {
    expect(rejection(xml)).toBe('malformed');
  });
});

describe('buildWechatXml', () => {
  it('writes strings as CDATA and numbers bare', () => {
    expect(buildWechatXml({ ToUserName: 'gh_1', CreateTime: 1409659813 }))
      .toBe('<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1409659813</CreateTime></xml>');
  });

  it('splits "]]>" so the value survives a parse unchanged', () => {
    const tricky = 'a]]>b]]]]>c<![CDATA[d]]>';
    const xml = buildWechatXml({ Content: tricky });
    expect(xml).not.toContain('a]]>b');
    expect(parseWechatXml(xml).Content).toBe(tricky);
  });

  it('round-trips markup-like and non-ASCII values', () => {
    const fields = { Encrypt: 'a+b/c==', Content: '<xml>&amp;</xml> 你好 😀', Empty: '', N: -3.5 };
    expect(parseWechatXml(buildWechatXml(fields))).toEqual({ ...fields, N: '-3.5' });
  });

  it('refuses element names that are not plain XML names', () => {
    expect(() => buildWechatXml({ 'a b': 'x' })).toThrow(TypeError);
    expect(() => buildWechatXml({ '<x>': 'x' })).toThrow(TypeError);
  });

  it('refuses non-finite numbers', () => {
    expect(() => buildWechatXml({ N: Number.NaN })).toThrow(TypeError);
  });
});

// Outbound adaptation: the markdown converter, and adaptOutbound for every
// channel that declares its capabilities — length (split, or cut with a link),
// WeChat's byte limit at multi-byte characters and emoji, cards and choices as
// numbered text where the channel has none, pictures, emoji.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageCard } from '../types';
import { adaptOutbound, capabilitiesOf, choicesText, fullText, type ChannelCapabilities, type OutboundContent } from './capabilities';
import { markdownToPlain } from './markdown';
import { sizeOf } from './text-limit';
import { emojiToFaceCodes } from './wechat/emoji';

// A fixed seed keeps CI deterministic; FC_SEED=<n> explores other inputs.
const RUNS = { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20260517) };
const CHANNELS = ['wechat', 'wecom', 'weibo', 'app', 'webchat'] as const;
const FULL = (id: string) => `https://huiliu.example/m/${encodeURIComponent(id)}?s=AAAAAAAAAAAAAAAAAAAAAA`;
const plain = (markdown: string) => markdownToPlain(markdown, { keepImages: false }).text;
const msg = (fields: Partial<OutboundContent> = {}): OutboundContent => ({ id: 'conv-1:out:7', text: '您好', ...fields });

describe('markdownToPlain', () => {
  it.each([
    ['**bold** and __bold__', 'bold and bold'],
    ['*italic* and _italic_', 'italic and italic'],
    ['***both*** and ~~gone~~', 'both and gone'],
    ['run `npm test` now', 'run npm test now'],
    ['`` a `tick` ``', 'a `tick`'],
    ['# Title', 'Title'],
    ['### Shipping ###', 'Shipping'],
    ['see [our FAQ](https://shop.example/faq)', 'see our FAQ (https://shop.example/faq)'],
    ['[https://a.example](https://a.example)', 'https://a.example'],
    ['[**bold link**](https://a.example "title")', 'bold link (https://a.example)'],
    ['<https://a.example/x>', 'https://a.example/x'],
    ['![size chart](https://img.example/s.png)', 'size chart (https://img.example/s.png)'],
    ['![](https://img.example/s.png)', 'https://img.example/s.png'],
    ['- one\n* two\n+ three\n  - nested', '• one\n• two\n• three\n  • nested'],
    ['1. one\n2. two', '1. one\n2. two'],
    ['```js\nconst a = **b**;\n```\nafter', 'const a = **b**;\nafter'],
    ['这是**重点**内容', '这是重点内容'],
    ['\\*not italic\\*', '*not italic*'],
  ])('%j → %j', (markdown, expected) => {
    expect(plain(markdown)).toBe(expected);
  });

  it.each([
    '5 * 3 = 15, and 2**10 = 1024', 'file_name_here and snake_case', 'C# and F#', '#话题# 今天', 'a < b > c', '(note) [1] see above',
    '---', 'price: $5 - $10', 'Please rate this conversation: reply 1–5 (5 = very satisfied).', '请为本次服务打分：回复 1–5（5 为非常满意）。',
  ])('leaves text that only looks like markdown alone: %j', (text) => {
    expect(plain(text)).toBe(text);
  });

  it('takes pictures out of the text for a channel that shows them', () => {
    expect(markdownToPlain('Our sizes:\n![chart](https://img.example/s.png)', { keepImages: true }))
      .toEqual({ text: 'Our sizes:', images: [{ url: 'https://img.example/s.png', alt: 'chart' }] });
  });

  it('keeps plain text without markdown characters exactly as it is', () => {
    const char = fc.oneof(
      fc.constantFrom(...'abcXYZ019 ,.?:;\'"/@%&=\n\t，。？！：好的订单😀🙂👨‍👩‍👧'),
      fc.string({ unit: 'grapheme', maxLength: 1 }).filter((c) => !/[*_`#[\]()!<>~\\|+\-\uE000]/.test(c)),
    );
    fc.assert(fc.property(fc.array(char, { maxLength: 300 }).map((a) => a.join('')), (text) => {
      expect(plain(text)).toBe(text);
    }), RUNS);
  });

  it('leaves none of the syntax it removed', () => {
    const word = fc.array(fc.constantFrom(...'abcxyz019好的订单'), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
    const url = word.map((w) => `https://shop.example/${encodeURIComponent(w)}`);
    const span = fc.oneof(
      word,
      word.map((w) => `**${w}**`), word.map((w) => `__${w}__`), word.map((w) => `*${w}*`), word.map((w) => `_${w}_`),
      word.map((w) => `~~${w}~~`), word.map((w) => `\`${w}\``),
      fc.tuple(word, url).map(([w, u]) => `[${w}](${u})`), fc.tuple(word, url).map(([w, u]) => `![${w}](${u})`),
    );
    const line = fc.tuple(fc.constantFrom('', '# ', '## ', '- ', '* ', '1. '), fc.array(span, { minLength: 1, maxLength: 6 }))
      .map(([lead, spans]) => lead + spans.join(' '));
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 6 }).map((l) => l.join('\n')), (markdown) => {
      const text = plain(markdown);
      expect(text).not.toMatch(/[*_`#~]|\]\(|!\[/);
      for (const l of text.split('\n')) expect(l).not.toMatch(/^[-+] /);
    }), RUNS);
  });
});

describe('capabilitiesOf', () => {
  it('declares every channel with a sender and web chat; an unknown channel gets plain text without limits', () => {
    for (const channel of CHANNELS) expect(capabilitiesOf(channel)).toBeDefined();
    expect(capabilitiesOf('wechat').maxText).toEqual({ max: 2048, unit: 'bytes', overLimit: 'split' });
    expect(capabilitiesOf('weibo').maxText).toEqual({ max: 299, unit: 'chars', overLimit: 'truncate' });
    expect(capabilitiesOf('sms')).toEqual({ markdown: false, buttons: false, cards: false, images: false, emoji: 'unicode' });
    expect(capabilitiesOf('constructor')).toEqual(capabilitiesOf('sms'));
  });
});

describe('adaptOutbound: every declared channel', () => {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 3000 }),
    fc.array(fc.constantFrom('好', '😀', '🙂', '👨‍👩‍👧', '。', '\n', ' ', 'a', '**粗体**', '[链接](https://a.example)'), { maxLength: 1500 }).map((a) => a.join('')),
  );

  it.each(CHANNELS)('%s: every part within the limit, split parts saying the whole text, a cut one ending with the link', (channel) => {
    const caps = capabilitiesOf(channel);
    fc.assert(fc.property(text, (t) => {
      const message = msg({ text: t });
      const { parts } = adaptOutbound(message, caps, { fullMessageUrl: FULL });
      const whole = caps.emoji === 'wechat-faces' ? emojiToFaceCodes(fullText(message, caps)) : fullText(message, caps);
      expect(parts).toEqual(whole ? expect.any(Array) : []);
      if (!caps.maxText || caps.maxText.overLimit === 'split') {
        expect(parts.join('')).toBe(whole);
      } else if (parts.length) {
        expect(parts).toHaveLength(1);
        if (parts[0] !== whole) {
          expect(parts[0]!.endsWith(`…\n全文 Full message: ${FULL(message.id)}`)).toBe(true);
          expect(whole.startsWith(parts[0]!.slice(0, parts[0]!.lastIndexOf('…')).trimEnd())).toBe(true);
        }
      }
      for (const part of parts) {
        if (caps.maxText) expect(sizeOf(part, caps.maxText.unit)).toBeLessThanOrEqual(caps.maxText.max);
        expect(part.length).toBeGreaterThan(0);
        // Never half a surrogate pair.
        if (!/\p{Surrogate}/u.test(t)) expect(/\p{Surrogate}/u.test(part)).toBe(false);
      }
      expect(adaptOutbound(message, caps, { fullMessageUrl: FULL })).toEqual(adaptOutbound(message, caps, { fullMessageUrl: FULL }));
    }), RUNS);
  });

  it.each(CHANNELS)('%s: markdown goes out as plain text', (channel) => {
    const { parts } = adaptOutbound(msg({ text: '**订单**已发货，详见 [物流](https://t.example/1)。' }), capabilitiesOf(channel));
    expect(parts).toEqual(['订单已发货，详见 物流 (https://t.example/1)。']);
  });
});

describe('adaptOutbound: WeChat counts UTF-8 bytes', () => {
  const wechat = capabilitiesOf('wechat');

  it('fills a message to exactly 2048 bytes of Chinese (3 bytes each) and goes on in the next', () => {
    const text = '好'.repeat(700); // 2100 bytes
    const { parts } = adaptOutbound(msg({ text }), wechat);
    expect(parts.map((p) => sizeOf(p, 'bytes'))).toEqual([2046, 54]);
    expect(parts.join('')).toBe(text);
  });

  it('never cuts an emoji or a family of emoji at the boundary', () => {
    for (const emoji of ['🦄', '👨‍👩‍👧']) {
      const text = `${'a'.repeat(2046)}${emoji}tail`;
      const { parts } = adaptOutbound(msg({ text }), wechat);
      expect(parts).toEqual(['a'.repeat(2046), `${emoji}tail`]);
    }
  });

  it('counts emoji as the WeChat faces they become', () => {
    const { parts } = adaptOutbound(msg({ text: `${'a'.repeat(2042)}🙂` }), wechat);
    expect(parts).toEqual(['a'.repeat(2042), '[微笑]']);
  });
});

describe('adaptOutbound: Weibo cuts a long text and links to the whole of it', () => {
  const weibo = capabilitiesOf('weibo');

  it('cuts by character, never inside an emoji, and ends with the link', () => {
    const text = '😀'.repeat(400);
    const [part, ...more] = adaptOutbound(msg({ text }), weibo, { fullMessageUrl: FULL }).parts;
    expect(more).toEqual([]);
    const mark = `…\n全文 Full message: ${FULL('conv-1:out:7')}`;
    expect(part!.endsWith(mark)).toBe(true);
    expect([...part!]).toHaveLength(299);
    expect(part!.slice(0, -mark.length)).toBe('😀'.repeat(299 - [...mark].length));
  });

  it('leaves a text of exactly 299 characters whole, and ends a cut one with "…" when there is no link', () => {
    expect(adaptOutbound(msg({ text: '好'.repeat(299) }), weibo).parts).toEqual(['好'.repeat(299)]);
    expect(adaptOutbound(msg({ text: '好'.repeat(300) }), weibo).parts).toEqual([`${'好'.repeat(298)}…`]);
  });
});

const CARD: MessageCard = {
  title: '**新品**上市', text: '点击查看详情', imageUrl: 'https://img.example/new.png', url: 'https://shop.example/new',
  buttons: [{ label: '立即购买', url: 'https://shop.example/buy' }, { label: '联系客服' }],
};

describe('adaptOutbound: cards', () => {
  it('numbered text where the channel has no cards (Weibo, WeCom)', () => {
    for (const channel of ['weibo', 'wecom']) {
      const adapted = adaptOutbound(msg({ text: '新品推荐：', card: CARD }), capabilitiesOf(channel));
      expect(adapted.card).toBeUndefined();
      expect(adapted.parts.join('')).toBe([
        '新品推荐：', '',
        '新品上市', '点击查看详情', 'https://img.example/new.png', 'https://shop.example/new',
        '1. 立即购买 — https://shop.example/buy', '2. 联系客服',
      ].join('\n'));
    }
  });

  it('one linked article on WeChat, its buttons numbered in the text; text when it has no link', () => {
    const linked = adaptOutbound(msg({ text: '新品推荐：', card: CARD }), capabilitiesOf('wechat'));
    expect(linked.card).toEqual({ title: '新品上市', text: '点击查看详情', imageUrl: CARD.imageUrl, url: CARD.url });
    expect(linked.parts).toEqual(['新品推荐：\n\n1. 立即购买 — https://shop.example/buy\n2. 联系客服']);

    const unlinked = adaptOutbound(msg({ text: '看看', card: { title: '营业时间', text: '9:00–18:00' } }), capabilitiesOf('wechat'));
    expect(unlinked.card).toBeUndefined();
    expect(unlinked.parts).toEqual(['看看\n\n营业时间\n9:00–18:00']);
  });

  it('kept whole, in plain text, where the channel shows cards (web chat, app)', () => {
    for (const channel of ['webchat', 'app']) {
      const adapted = adaptOutbound(msg({ card: CARD }), capabilitiesOf(channel));
      expect(adapted.card).toEqual({ ...CARD, title: '新品上市' });
      expect(adapted.parts).toEqual(['您好']);
    }
  });
});

const RATINGS = ['非常不满意', '不满意', '一般', '满意', '非常满意'].map((label, i) => ({ id: String(i + 1), label: `${i + 1} ${label}` }));

describe('adaptOutbound: choices', () => {
  it('listed under the text where there are no buttons; self-numbered labels as they are, others numbered', () => {
    const weibo = capabilitiesOf('weibo');
    expect(adaptOutbound(msg({ text: '请打分：', choices: RATINGS }), weibo)).toEqual({
      parts: [`请打分：\n\n${RATINGS.map((c) => c.label).join('\n')}`], images: [],
    });
    expect(choicesText([{ id: 'yes', label: '是的' }, { id: 'no', label: '不用了' }])).toBe('1. 是的\n2. 不用了');
    expect(choicesText([{ id: '1', label: '1' }, { id: '2', label: '2、其他' }])).toBe('1\n2、其他');
  });

  it('kept as buttons where they fit; listed in the text when there are too many or a label is too long', () => {
    const wechat = capabilitiesOf('wechat');
    expect(adaptOutbound(msg({ choices: RATINGS }), wechat)).toEqual({ parts: ['您好'], choices: RATINGS, images: [] });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ id: String(i), label: `选项${i}` }));
    expect(adaptOutbound(msg({ choices: eleven }), wechat).choices).toBeUndefined();
    const long = [{ id: 'a', label: '很'.repeat(43) }]; // 129 bytes
    expect(adaptOutbound(msg({ choices: long }), wechat)).toEqual({ parts: [`您好\n\n1. ${'很'.repeat(43)}`], images: [] });
    expect(adaptOutbound(msg({ choices: long }), capabilitiesOf('webchat')).choices).toEqual(long);
  });
});

describe('adaptOutbound: pictures and emoji', () => {
  const text = '尺码表：![尺码](https://img.example/s.png) 🙂';

  it('a picture stays a picture in web chat, WeChat and WeCom (sent after the text), and is a link elsewhere', () => {
    const picture = [{ url: 'https://img.example/s.png', alt: '尺码' }];
    expect(adaptOutbound(msg({ text }), capabilitiesOf('webchat'))).toEqual({ parts: ['尺码表： 🙂'], images: picture });
    expect(adaptOutbound(msg({ text }), capabilitiesOf('wecom'))).toEqual({ parts: ['尺码表： 🙂'], images: picture });
    expect(adaptOutbound(msg({ text }), capabilitiesOf('wechat'))).toEqual({ parts: ['尺码表： [微笑]'], images: picture });
    expect(adaptOutbound(msg({ text }), capabilitiesOf('weibo')).parts).toEqual(['尺码表：尺码 (https://img.example/s.png) 🙂']);
  });

  it('emoji become WeChat faces on WeChat only', () => {
    expect(adaptOutbound(msg({ text: '好的🙂' }), capabilitiesOf('wechat')).parts).toEqual(['好的[微笑]']);
    expect(adaptOutbound(msg({ text: '好的🙂' }), capabilitiesOf('wecom')).parts).toEqual(['好的🙂']);
  });

  it('a channel that renders markdown gets it as written', () => {
    const rich: ChannelCapabilities = { markdown: true, buttons: false, cards: false, images: true, emoji: 'unicode' };
    expect(adaptOutbound(msg({ text }), rich)).toEqual({ parts: [text], images: [] });
  });
});

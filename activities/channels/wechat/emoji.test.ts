import { describe, expect, it } from 'vitest';
import { emojiToFaceCodes, faceCodesToEmoji } from './emoji';

// WeChat's classic faces in its own order (code, Chinese name, English name).
const CLASSIC: [code: string, zh: string, en: string][] = [
  ['/::)', '微笑', 'Smile'], ['/::~', '撇嘴', 'Grimace'], ['/::B', '色', 'Drool'], ['/::|', '发呆', 'Scowl'],
  ['/:8-)', '得意', 'CoolGuy'], ['/::<', '流泪', 'Sob'], ['/::$', '害羞', 'Shy'], ['/::X', '闭嘴', 'Silent'],
  ['/::Z', '睡', 'Sleep'], ["/::'(", '大哭', 'Cry'], ['/::-|', '尴尬', 'Awkward'], ['/::@', '发怒', 'Angry'],
  ['/::P', '调皮', 'Tongue'], ['/::D', '呲牙', 'Grin'], ['/::O', '惊讶', 'Surprise'], ['/::(', '难过', 'Frown'],
  ['/:--b', '冷汗', 'Blush'], ['/::Q', '抓狂', 'Scream'], ['/::T', '吐', 'Puke'], ['/:,@P', '偷笑', 'Chuckle'],
  ['/:,@-D', '愉快', 'Joyful'], ['/::d', '白眼', 'Slight'], ['/:,@o', '傲慢', 'Smug'], ['/::g', '饥饿', 'Hungry'],
  ['/:|-)', '困', 'Drowsy'], ['/::!', '惊恐', 'Panic'], ['/::L', '流汗', 'Sweat'], ['/::>', '憨笑', 'Laugh'],
  ['/:,@f', '奋斗', 'Determined'], ['/::-S', '咒骂', 'Scold'], ['/:,@x', '嘘', 'Shhh'], ['/:,@@', '晕', 'Dizzy'],
  ['/:!!!', '骷髅', 'Skull'], ['/:bye', '再见', 'Wave'], ['/:handclap', '鼓掌', 'Clap'], ['/:B-)', '坏笑', 'Trick'],
  ['/::*', '亲亲', 'Kiss'], ['/:rose', '玫瑰', 'Rose'], ['/:heart', '爱心', 'Heart'], ['/:break', '心碎', 'BrokenHeart'],
  ['/:strong', '强', 'ThumbsUp'], ['/:weak', '弱', 'ThumbsDown'], ['/:share', '握手', 'Shake'], ['/:v', '胜利', 'Peace'],
  ['/:hug', '拥抱', 'Hug'], ['/:shit', '便便', 'Poop'], ['/:cake', '蛋糕', 'Cake'], ['/:gift', '礼物', 'Gift'],
];

// Every code WeChat defines, including those without a close Unicode emoji.
const ALL_CODES = ['/::)', '/::~', '/::B', '/::|', '/:8-)', '/::<', '/::$', '/::X', '/::Z', "/::'(", '/::-|', '/::@', '/::P', '/::D',
  '/::O', '/::(', '/::+', '/:--b', '/::Q', '/::T', '/:,@P', '/:,@-D', '/::d', '/:,@o', '/::g', '/:|-)', '/::!', '/::L', '/::>',
  '/::,@', '/:,@f', '/::-S', '/:?', '/:,@x', '/:,@@', '/::8', '/:,@!', '/:!!!', '/:xx', '/:bye', '/:wipe', '/:dig', '/:handclap',
  '/:&-(', '/:B-)', '/:<@', '/:@>', '/::-O', '/:>-|', '/:P-(', "/::'|", '/:X-)', '/::*', '/:@x', '/:8*', '/:pd', '/:<W>', '/:beer',
  '/:basketb', '/:oo', '/:coffee', '/:eat', '/:pig', '/:rose', '/:fade', '/:showlove', '/:heart', '/:break', '/:cake', '/:li',
  '/:bome', '/:kn', '/:footb', '/:ladybug', '/:shit', '/:moon', '/:sun', '/:gift', '/:hug', '/:strong', '/:weak', '/:share', '/:v',
  '/:@)', '/:jj', '/:@@', '/:bad', '/:lvu', '/:no', '/:ok', '/:love', '/:<L>', '/:jump', '/:shake', '/:<O>', '/:circle', '/:kotow',
  '/:turn', '/:skip', '/:oY', '/:#-0', '/:hiphot', '/:kiss', '/:<&', '/:&>'];

describe('faceCodesToEmoji', () => {
  it.each([
    ['/::)', '🙂'], ['/::D', '😁'], ['/::P', '😜'], ['/:rose', '🌹'],
    ['[微笑]', '🙂'], ['[呲牙]', '😁'], ['[玫瑰]', '🌹'], ['[Smile]', '🙂'], ['[Grin]', '😁'],
  ])('turns %s into %s', (face, emoji) => {
    expect(faceCodesToEmoji(face)).toBe(emoji);
  });

  it('maps at least 40 faces, each the same emoji in code, Chinese and English form', () => {
    expect(CLASSIC.length).toBeGreaterThanOrEqual(40);
    for (const [code, zh, en] of CLASSIC) {
      const emoji = faceCodesToEmoji(code);
      expect(emoji, code).not.toContain('/:');
      expect(faceCodesToEmoji(`[${zh}]`), zh).toBe(emoji);
      expect(faceCodesToEmoji(`[${en}]`), en).toBe(emoji);
    }
  });

  it('converts every code whole or leaves it whole: no code shadows a longer one', () => {
    for (const code of ALL_CODES) {
      const converted = faceCodesToEmoji(code);
      expect(converted === code || !converted.includes(':'), code).toBe(true);
    }
  });

  it('converts codes written back to back, as WeChat sends them', () => {
    expect(faceCodesToEmoji("/::)/::D/:,@-D/::-O/::'(/::'|")).toBe('🙂😁😄🥱😭🥹');
  });

  it('converts faces inside Chinese text', () => {
    expect(faceCodesToEmoji('周日读报/:,@-D新数字经济协定/:strong鼓励/:rose[呲牙]')).toBe('周日读报😄新数字经济协定👍鼓励🌹😁');
  });

  it('leaves word codes alone inside URLs and longer words', () => {
    expect(faceCodesToEmoji('https://example.com/:version/:okay /:no1')).toBe('https://example.com/:version/:okay /:no1');
    expect(faceCodesToEmoji('/:ok. /:v!')).toBe('👌. ✌️!');
  });

  it('leaves unknown or unclosed bracket names alone', () => {
    expect(faceCodesToEmoji('[Rich] [微笑 微笑] [smile]')).toBe('[Rich] [微笑 微笑] [smile]');
  });

  it('knows some newer bracket-only faces', () => {
    expect(faceCodesToEmoji('[捂脸][破涕为笑][合十]')).toBe('🤦😂🙏');
  });
});

describe('emojiToFaceCodes', () => {
  it('writes emoji that have a classic face as its Chinese bracket name', () => {
    expect(emojiToFaceCodes('谢谢🙂🌹👍')).toBe('谢谢[微笑][玫瑰][强]');
  });

  it('accepts an emoji with or without its variation selector and with a skin tone', () => {
    expect(emojiToFaceCodes('❤️ ❤ ✌️ 👍🏽')).toBe('[爱心] [爱心] [胜利] [强]');
  });

  it('leaves an emoji that is part of a ZWJ sequence alone', () => {
    expect(emojiToFaceCodes('❤️‍🔥 👨‍❤️‍👨')).toBe('❤️‍🔥 👨‍❤️‍👨');
  });

  it('leaves emoji without a classic face alone (old clients show newer names as text)', () => {
    expect(emojiToFaceCodes('😂🙏🚀')).toBe('😂🙏🚀');
  });

  it('round-trips every classic face through emoji and back', () => {
    for (const [code, zh] of CLASSIC) {
      expect(emojiToFaceCodes(faceCodesToEmoji(code)), code).toBe(`[${zh}]`);
    }
  });
});

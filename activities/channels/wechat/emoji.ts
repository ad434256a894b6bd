// WeChat faces ↔ Unicode emoji. WeChat sends its classic faces as short codes
// (`/::)`) or bracket names (`[微笑]`, `[Smile]` in the English client); other
// channels and agents want Unicode emoji. The emoji chosen are the nearest in
// meaning, not pixel matches.

interface Face {
  /** Classic code; absent for newer faces that only exist as bracket names. */
  code?: string;
  zh: string;
  /** The English client's name, where it has a stable one. */
  en?: string;
  emoji: string;
}

const FACES: readonly Face[] = [
  { code: '/::)', zh: '微笑', en: 'Smile', emoji: '🙂' },
  { code: '/::~', zh: '撇嘴', en: 'Grimace', emoji: '😖' },
  { code: '/::B', zh: '色', en: 'Drool', emoji: '😍' },
  { code: '/::|', zh: '发呆', en: 'Scowl', emoji: '😳' },
  { code: '/:8-)', zh: '得意', en: 'CoolGuy', emoji: '😎' },
  { code: '/::<', zh: '流泪', en: 'Sob', emoji: '😢' },
  { code: '/::$', zh: '害羞', en: 'Shy', emoji: '😊' },
  { code: '/::X', zh: '闭嘴', en: 'Silent', emoji: '🤐' },
  { code: '/::Z', zh: '睡', en: 'Sleep', emoji: '😴' },
  { code: "/::'(", zh: '大哭', en: 'Cry', emoji: '😭' },
  { code: '/::-|', zh: '尴尬', en: 'Awkward', emoji: '😬' },
  { code: '/::@', zh: '发怒', en: 'Angry', emoji: '😡' },
  { code: '/::P', zh: '调皮', en: 'Tongue', emoji: '😜' },
  { code: '/::D', zh: '呲牙', en: 'Grin', emoji: '😁' },
  { code: '/::O', zh: '惊讶', en: 'Surprise', emoji: '😲' },
  { code: '/::(', zh: '难过', en: 'Frown', emoji: '🙁' },
  { code: '/:--b', zh: '冷汗', en: 'Blush', emoji: '😰' },
  { code: '/::Q', zh: '抓狂', en: 'Scream', emoji: '😫' },
  { code: '/::T', zh: '吐', en: 'Puke', emoji: '🤮' },
  { code: '/:,@P', zh: '偷笑', en: 'Chuckle', emoji: '🤭' },
  { code: '/:,@-D', zh: '愉快', en: 'Joyful', emoji: '😄' },
  { code: '/::d', zh: '白眼', en: 'Slight', emoji: '🙄' },
  { code: '/:,@o', zh: '傲慢', en: 'Smug', emoji: '😤' },
  { code: '/::g', zh: '饥饿', en: 'Hungry', emoji: '🤤' },
  { code: '/:|-)', zh: '困', en: 'Drowsy', emoji: '😪' },
  { code: '/::!', zh: '惊恐', en: 'Panic', emoji: '😱' },
  { code: '/::L', zh: '流汗', en: 'Sweat', emoji: '😓' },
  { code: '/::>', zh: '憨笑', en: 'Laugh', emoji: '😆' },
  { code: '/:,@f', zh: '奋斗', en: 'Determined', emoji: '💪' },
  { code: '/::-S', zh: '咒骂', en: 'Scold', emoji: '🤬' },
  { code: '/:?', zh: '疑问', en: 'Shocked', emoji: '😕' },
  { code: '/:,@x', zh: '嘘', en: 'Shhh', emoji: '🤫' },
  { code: '/:,@@', zh: '晕', en: 'Dizzy', emoji: '😵' },
  { code: '/::8', zh: '疯了', en: 'Tormented', emoji: '🤪' },
  { code: '/:!!!', zh: '骷髅', en: 'Skull', emoji: '💀' },
  { code: '/:xx', zh: '敲打', en: 'Hammer', emoji: '🔨' },
  { code: '/:bye', zh: '再见', en: 'Wave', emoji: '👋' },
  { code: '/:wipe', zh: '擦汗', en: 'Speechless', emoji: '😥' },
  { code: '/:handclap', zh: '鼓掌', en: 'Clap', emoji: '👏' },
  { code: '/:B-)', zh: '坏笑', en: 'Trick', emoji: '😏' },
  { code: '/::-O', zh: '哈欠', en: 'Yawn', emoji: '🥱' },
  { code: '/:>-|', zh: '鄙视', en: 'Pooh-pooh', emoji: '😒' },
  { code: '/:P-(', zh: '委屈', en: 'Shrunken', emoji: '🥺' },
  { code: "/::'|", zh: '快哭了', en: 'TearingUp', emoji: '🥹' },
  { code: '/:X-)', zh: '阴险', en: 'Sly', emoji: '😈' },
  { code: '/::*', zh: '亲亲', en: 'Kiss', emoji: '😚' },
  { code: '/:@x', zh: '吓', en: 'Wrath', emoji: '😨' },
  { code: '/:8*', zh: '可怜', en: 'Whimper', emoji: '😟' },
  { code: '/:pd', zh: '菜刀', en: 'Cleaver', emoji: '🔪' },
  { code: '/:<W>', zh: '西瓜', en: 'Watermelon', emoji: '🍉' },
  { code: '/:beer', zh: '啤酒', en: 'Beer', emoji: '🍺' },
  { code: '/:coffee', zh: '咖啡', en: 'Coffee', emoji: '☕' },
  { code: '/:eat', zh: '饭', en: 'Rice', emoji: '🍚' },
  { code: '/:pig', zh: '猪头', en: 'Pig', emoji: '🐷' },
  { code: '/:rose', zh: '玫瑰', en: 'Rose', emoji: '🌹' },
  { code: '/:fade', zh: '凋谢', en: 'Wilt', emoji: '🥀' },
  { code: '/:showlove', zh: '示爱', en: 'Lips', emoji: '💋' },
  { code: '/:heart', zh: '爱心', en: 'Heart', emoji: '❤️' },
  { code: '/:break', zh: '心碎', en: 'BrokenHeart', emoji: '💔' },
  { code: '/:cake', zh: '蛋糕', en: 'Cake', emoji: '🎂' },
  { code: '/:li', zh: '闪电', en: 'Lightning', emoji: '⚡' },
  { code: '/:bome', zh: '炸弹', en: 'Bomb', emoji: '💣' },
  { code: '/:kn', zh: '刀', en: 'Dagger', emoji: '🗡️' },
  { code: '/:footb', zh: '足球', en: 'Soccer', emoji: '⚽' },
  { code: '/:ladybug', zh: '瓢虫', en: 'Ladybug', emoji: '🐞' },
  { code: '/:shit', zh: '便便', en: 'Poop', emoji: '💩' },
  { code: '/:moon', zh: '月亮', en: 'Moon', emoji: '🌙' },
  { code: '/:sun', zh: '太阳', en: 'Sun', emoji: '☀️' },
  { code: '/:gift', zh: '礼物', en: 'Gift', emoji: '🎁' },
  { code: '/:hug', zh: '拥抱', en: 'Hug', emoji: '🤗' },
  { code: '/:strong', zh: '强', en: 'ThumbsUp', emoji: '👍' },
  { code: '/:weak', zh: '弱', en: 'ThumbsDown', emoji: '👎' },
  { code: '/:share', zh: '握手', en: 'Shake', emoji: '🤝' },
  { code: '/:v', zh: '胜利', en: 'Peace', emoji: '✌️' },
  { code: '/:@@', zh: '拳头', en: 'Fist', emoji: '👊' },
  { code: '/:lvu', zh: '爱你', en: 'RockOn', emoji: '🤟' },
  { code: '/:no', zh: 'NO', en: 'Nuh-uh', emoji: '🙅' },
  { code: '/:ok', zh: 'OK', emoji: '👌' },
  { code: '/:love', zh: '爱情', en: 'InLove', emoji: '💑' },
  { code: '/:<L>', zh: '飞吻', en: 'Blowkiss', emoji: '😘' },
  { zh: '破涕为笑', emoji: '😂' },
  { zh: '捂脸', en: 'Facepalm', emoji: '🤦' },
  { zh: '合十', emoji: '🙏' },
  { zh: '庆祝', emoji: '🎉' },
  { zh: '红包', en: 'Packet', emoji: '🧧' },
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Word codes (`/:ok`, `/:v`) also occur inside URLs and words (`/:version`);
 * they only count when no letter or digit follows. */
function codePattern(code: string): string {
  return /^\/:[A-Za-z]+$/.test(code) ? `${escape(code)}(?![A-Za-z0-9])` : escape(code);
}

/** One alternation, longest first, so `/::)` never shadows a longer code
 * that begins the same way. */
function alternation(entries: [token: string, pattern: string][]): string {
  return entries.sort(([a], [b]) => b.length - a.length).map(([, pattern]) => pattern).join('|');
}

const toEmoji = new Map<string, string>();
for (const face of FACES) {
  if (face.code) toEmoji.set(face.code, face.emoji);
  toEmoji.set(`[${face.zh}]`, face.emoji);
  if (face.en) toEmoji.set(`[${face.en}]`, face.emoji);
}
/** Any face as WeChat writes it, code or bracket name: what a text split to WeChat's limit is never cut inside. */
export const FACE_TOKEN = new RegExp(
  alternation([...toEmoji.keys()].map((token) => [token, token.startsWith('/:') ? codePattern(token) : escape(token)])),
  'g',
);

export function faceCodesToEmoji(text: string): string {
  return text.replace(FACE_TOKEN, (token) => toEmoji.get(token) ?? token);
}

// Only faces with a classic code go back: every WeChat client, old or new,
// draws those, while a newer bracket name shows as literal text on old ones.
const VARIATION = '\uFE0F';
const bare = (emoji: string) => emoji.replaceAll(VARIATION, '');
const toFace = new Map(FACES.filter((face) => face.code).map((face) => [bare(face.emoji), `[${face.zh}]`]));
// An emoji inside a ZWJ sequence (❤️‍🔥) is part of another picture: leave it.
// A trailing variation selector or skin tone belongs to the emoji replaced.
const TAIL = `${VARIATION}?[\\u{1F3FB}-\\u{1F3FF}]?`;
const EMOJI_TOKEN = new RegExp(
  `(?<!\\u200D)(${alternation([...toFace.keys()].map((emoji) => [emoji, escape(emoji)]))})(?!${TAIL}\\u200D)${TAIL}`,
  'gu',
);

export function emojiToFaceCodes(text: string): string {
  return text.replace(EMOJI_TOKEN, (match, emoji: string) => toFace.get(emoji) ?? match);
}

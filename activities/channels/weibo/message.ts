// Weibo pushes (微博 粉丝服务平台 消息推送): the JSON body Weibo POSTs for a
// private message or an event, checked field by field. Documented at
// https://open.weibo.com/wiki/消息推送服务 (receiving messages) and
// https://open.weibo.com/wiki/接收事件推送 (events):
//   {"type": "text", "receiver_id": 1902538057, "sender_id": 2489518277,
//    "created_at": "Mon Jul 16 18:09:20 +0800 2012", "text": "...", "data": {}}
// Types: text, position (data.longitude/latitude), voice and image
// (data.vfid/tovfid), event (data.subtype: follow, unfollow, subscribe,
// unsubscribe, scan, scan_follow, click with data.key, view...) and mention
// (someone @-ed the account in a public post). The documentation asks to
// ignore types it may add later, so an unknown type is acknowledged, not refused.
import { createHash } from 'node:crypto';
import type { InboundMessage } from '../../types';
import { PLACEHOLDERS, rawPayload, unifiedMessageSchema } from '../../unified-message';

/** The push is not what Weibo sends (the webhook answers 400 and expands nothing). */
export class WeiboRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeiboRejected';
  }
}

/** A well-formed push of a type this channel does not turn into a message; acknowledged so Weibo does not retry it. */
export class UnsupportedWeiboMessage extends WeiboRejected {
  readonly type: string;
  constructor(type: string) {
    super(`unsupported type "${type}"`);
    this.name = 'UnsupportedWeiboMessage';
    this.type = type;
  }
}

interface WeiboCommon {
  /** What repeats of this push are recognised by (see weiboMessageId). */
  messageId: string;
  /** The customer's uid, as decimal digits. */
  senderId: string;
  /** The account's uid. */
  receiverId: string;
  /** created_at in epoch seconds (Weibo's resolution). */
  createdAt: number;
  /** Weibo's own text: the message, or a default caption for media and events ("发了一个语音消息"). */
  text: string;
  /** `data` as sent ({} when absent); kept to identify the push, not read beyond the fields below. */
  data: Record<string, unknown>;
}

type WeiboBody =
  | { kind: 'text' }
  | { kind: 'position'; longitude: number; latitude: number }
  | { kind: 'voice'; fileId?: string }
  | { kind: 'image'; fileId?: string }
  | { kind: 'event'; subtype: string; key?: string };

export type WeiboPush = WeiboCommon & WeiboBody;

/** Uids are 64-bit numbers; today's fit in a double, but a number that does not is refused rather than rounded. */
function uid(value: unknown, name: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9][0-9]{0,19}$/.test(value)) return value;
  throw new WeiboRejected(`${name} is not a Weibo uid`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CREATED_AT = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2}) ([0-9]{4})$/;

/** "Mon Jul 16 18:09:20 +0800 2012" (the format of every Weibo API) → epoch seconds. */
export function parseCreatedAt(value: unknown): number {
  const m = typeof value === 'string' ? CREATED_AT.exec(value) : null;
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) throw new WeiboRejected(`created_at is not a Weibo time: ${JSON.stringify(value)?.slice(0, 60)}`);
  const [day, hour, minute, second, offsetHours, offsetMinutes, year] = [m[2], m[3], m[4], m[5], m[7], m[8], m[9]].map(Number) as number[];
  if (day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 60 || offsetHours! > 14 || offsetMinutes! > 59) {
    throw new WeiboRejected(`created_at is out of range: ${JSON.stringify(value)}`);
  }
  const offset = (m[6] === '-' ? -1 : 1) * (offsetHours! * 60 + offsetMinutes!) * 60;
  return Date.UTC(year!, month, day!, hour!, minute!, second!) / 1000 - offset;
}

function data(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new WeiboRejected('data is not an object');
  return value as Record<string, unknown>;
}

function optionalString(record: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new WeiboRejected(`${name} is not a string`);
  return value;
}

/** Weibo sends coordinates as strings ("116.308586"); numbers are taken too. */
function coordinate(record: Record<string, unknown>, name: string, limit: number): number {
  const raw = Object.hasOwn(record, name) ? record[name] : undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?[0-9]{1,3}(\.[0-9]{1,15})?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || Math.abs(value) > limit) throw new WeiboRejected(`data.${name} is not a coordinate`);
  return value;
}

/**
 * The recording's or picture's file id: `tovfid` is the receiver's copy (ours),
 * `vfid` the sender's. Ids are numbers (or digit strings); anything else is
 * left out rather than refused, since the message is readable without it.
 */
function fileIdOf(d: Record<string, unknown>): { fileId?: string } {
  for (const name of ['tovfid', 'vfid']) {
    const value = Object.hasOwn(d, name) ? d[name] : undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return { fileId: String(value) };
    if (typeof value === 'string' && /^[0-9A-Za-z_-]{1,128}$/.test(value)) return { fileId: value };
  }
  return {};
}

const BODIES: Record<string, (d: Record<string, unknown>, text: string | undefined) => WeiboBody> = {
  text: (_d, text) => {
    if (text === undefined) throw new WeiboRejected('a text message without text');
    return { kind: 'text' };
  },
  position: (d) => ({ kind: 'position', longitude: coordinate(d, 'longitude', 180), latitude: coordinate(d, 'latitude', 90) }),
  voice: (d) => ({ kind: 'voice', ...fileIdOf(d) }),
  image: (d) => ({ kind: 'image', ...fileIdOf(d) }),
  event: (d) => {
    const subtype = optionalString(d, 'subtype');
    if (!subtype) throw new WeiboRejected('an event without data.subtype');
    // A menu key is a string; a scene id on a code scan may come as a number.
    const key = typeof d.key === 'number' && Object.hasOwn(d, 'key') ? String(d.key) : optionalString(d, 'key');
    return { kind: 'event', subtype: subtype.toLowerCase(), ...(key ? { key } : {}) };
  },
};

/** Parses a push body; throws WeiboRejected (malformed) or UnsupportedWeiboMessage (well-formed, ignored). */
export function parseWeiboPush(body: string): WeiboPush {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Also a body nested too deeply for the parser (RangeError): refused the same way.
    throw new WeiboRejected('the body is not JSON (the console must send JSON, its default, not XML)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new WeiboRejected('the body is not a JSON object');
  const push = parsed as Record<string, unknown>;
  const type = optionalString(push, 'type');
  if (!type) throw new WeiboRejected('a push without type');
  if (!Object.hasOwn(BODIES, type)) throw new UnsupportedWeiboMessage(type.slice(0, 40));
  const text = optionalString(push, 'text');
  const fields = data(push.data);
  const common = {
    senderId: uid(push.sender_id, 'sender_id'),
    receiverId: uid(push.receiver_id, 'receiver_id'),
    createdAt: parseCreatedAt(push.created_at),
    text: text ?? '',
    data: fields,
  };
  const kind = BODIES[type]!(fields, text);
  return { messageId: weiboMessageId({ ...common, type }), ...common, ...kind };
}

/** How deep `data` may nest before it is refused: documented pushes are flat. */
const MAX_DATA_DEPTH = 8;

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonical(value: unknown, depth = 0): string {
  if (depth > MAX_DATA_DEPTH) throw new WeiboRejected('data is nested too deeply');
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The id a push is deduplicated by. Weibo pushes carry no message id (the
 * documentation recommends sender + creation time), and created_at has
 * one-second resolution, so two different messages from one customer in the
 * same second would collide: the id adds the type and a hash of the content
 * (text and data). A retry repeats all of these and maps to the same id; what
 * remains merged is the same customer sending the very same content twice
 * within one second, which reads as one message anyway.
 */
export function weiboMessageId(push: Pick<WeiboCommon, 'senderId' | 'createdAt' | 'text' | 'data'> & { type: string }): string {
  const { type } = push;
  const content = createHash('sha256').update(`${canonical(push.text)}\n${canonical(push.data)}`, 'utf8').digest('hex').slice(0, 20);
  return `${push.senderId}:${push.createdAt}:${type}:${content}`;
}

/**
 * The text a push becomes for the conversation, in both languages where
 * Weibo's own is only a caption; undefined for pushes that start nothing
 * (unfollowing, a menu link, scanning a code while already a follower).
 */
export function weiboInboundText(push: WeiboPush): string | undefined {
  switch (push.kind) {
    case 'text': return push.text.trim() || PLACEHOLDERS.text;
    case 'position': return `${PLACEHOLDERS.location} ${push.latitude},${push.longitude}`;
    case 'voice': return PLACEHOLDERS.voice;
    case 'image': return PLACEHOLDERS.image;
    case 'event':
      if (push.subtype === 'follow' || push.subtype === 'scan_follow') return '[关注 Followed the account]';
      if (push.subtype === 'subscribe') return '[订阅 Subscribed]';
      if (push.subtype === 'click') return `[菜单 Menu] ${push.key ?? ''}`.trim();
      return undefined;
  }
}

/**
 * The push as its conversation takes it (the unified message's content), or
 * undefined for what starts nothing (as weiboInboundText): the text in both
 * languages, the picture or recording by its Weibo file id, the position, the
 * event; the push's JSON as the raw payload.
 */
export function weiboInboundMessage(push: WeiboPush, opts: { receivedAt: number; body?: string }): InboundMessage | undefined {
  const text = weiboInboundText(push);
  if (text === undefined) return undefined;
  const content = ((): Omit<InboundMessage, 'providerMessageId' | 'receivedAt' | 'text'> => {
    switch (push.kind) {
      case 'text': return { type: 'text' };
      case 'position': return { type: 'location', location: { latitude: push.latitude, longitude: push.longitude } };
      case 'voice':
      case 'image': return { type: push.kind, ...(push.fileId ? { media: [{ kind: push.kind, providerMediaId: push.fileId }] } : {}) };
      case 'event': return { type: 'event', event: { name: push.subtype, ...(push.key ? { key: push.key } : {}) } };
    }
  })();
  return {
    providerMessageId: push.messageId,
    ...content,
    text: (text.trim() || PLACEHOLDERS[content.type ?? 'text']).slice(0, unifiedMessageSchema.properties.text.maxLength),
    receivedAt: opts.receivedAt,
    sentAt: push.createdAt * 1000,
    ...(opts.body ? { raw: rawPayload('json', opts.body) } : {}),
  };
}

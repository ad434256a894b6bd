// Typed view of an inbound WeChat Official Account / WeCom message, from the
// flattened fields of parseWechatXml.
import type { InboundMessage, MediaRef } from '../../types';
import { PLACEHOLDERS, rawPayload, unifiedMessageSchema } from '../../unified-message';
import { faceCodesToEmoji } from './emoji';
import { XmlRejected } from './xml';

interface WechatCommon {
  toUser: string;
  fromUser: string;
  /** Seconds since the epoch, as WeChat sends it. */
  createTime: number;
  /** A 64-bit number: kept as a string so no digit is lost. */
  msgId?: string;
}

/** Lowercased: WeChat sends `CLICK`, `VIEW`, `SCAN`, `LOCATION` in capitals
 * but `subscribe` in lower case. */
export type WechatEventName = 'subscribe' | 'unsubscribe' | 'click' | (string & {});

type WechatBody =
  | { kind: 'text'; content: string }
  | { kind: 'image'; picUrl: string; mediaId: string }
  | { kind: 'voice'; mediaId: string; format: string; recognition?: string }
  | { kind: 'video'; mediaId: string; thumbMediaId: string }
  | { kind: 'location'; latitude: number; longitude: number; scale: number; label: string }
  | { kind: 'link'; title: string; description: string; url: string }
  | { kind: 'event'; event: WechatEventName; eventKey?: string };

export type WechatInbound = WechatCommon & WechatBody;

/** A well-formed message of a type this library does not model (file,
 * miniprogrampage, ...). A subclass so callers can acknowledge it instead of
 * refusing it and making WeChat retry. */
export class UnsupportedWechatMessage extends XmlRejected {
  readonly msgType: string;
  constructor(msgType: string) {
    super('malformed', `unsupported MsgType "${msgType}"`);
    this.name = 'UnsupportedWechatMessage';
    this.msgType = msgType;
  }
}

type Fields = Record<string, string>;

function optional(fields: Fields, name: string): string | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function required(fields: Fields, name: string): string {
  const value = optional(fields, name);
  if (value === undefined) throw new XmlRejected('malformed', `WeChat message without ${name}`);
  return value;
}

function nonEmpty(fields: Fields, name: string): string | undefined {
  return optional(fields, name) || undefined;
}

function number(fields: Fields, name: string): number {
  const raw = required(fields, name).trim();
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new XmlRejected('malformed', `${name} is not a number: ${JSON.stringify(raw)}`);
  return value;
}

function createTime(fields: Fields): number {
  const raw = required(fields, 'CreateTime').trim();
  if (!/^[0-9]{1,12}$/.test(raw)) throw new XmlRejected('malformed', `CreateTime is not a timestamp: ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Drops undefined optionals, so objects compare and serialise cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const BODIES: Record<string, (f: Fields) => WechatBody> = {
  text: (f) => ({ kind: 'text', content: required(f, 'Content') }),
  image: (f) => ({ kind: 'image', picUrl: required(f, 'PicUrl'), mediaId: required(f, 'MediaId') }),
  // An empty Recognition means WeChat tried and heard nothing: no transcript.
  voice: (f) => ({ kind: 'voice', mediaId: required(f, 'MediaId'), format: required(f, 'Format'), recognition: nonEmpty(f, 'Recognition') }),
  video: (f) => ({ kind: 'video', mediaId: required(f, 'MediaId'), thumbMediaId: required(f, 'ThumbMediaId') }),
  shortvideo: (f) => BODIES.video(f),
  location: (f) => ({
    kind: 'location', latitude: number(f, 'Location_X'), longitude: number(f, 'Location_Y'), scale: number(f, 'Scale'), label: required(f, 'Label'),
  }),
  link: (f) => ({ kind: 'link', title: required(f, 'Title'), description: required(f, 'Description'), url: required(f, 'Url') }),
  event: (f) => ({ kind: 'event', event: required(f, 'Event').toLowerCase(), eventKey: nonEmpty(f, 'EventKey') }),
};

export function parseWechatInbound(fields: Record<string, string>): WechatInbound {
  const msgType = required(fields, 'MsgType');
  if (!Object.hasOwn(BODIES, msgType)) throw new UnsupportedWechatMessage(msgType);
  return withoutUndefined<WechatInbound>({
    toUser: required(fields, 'ToUserName'),
    fromUser: required(fields, 'FromUserName'),
    createTime: createTime(fields),
    msgId: nonEmpty(fields, 'MsgId'),
    ...BODIES[msgType](fields),
  });
}

/** WeChat retries a message it did not get an answer to in 5 s with the same
 * MsgId; events have none, so FromUserName + CreateTime (+ the event, since
 * one click can fire two events in the same second) identify them. */
export function dedupeKey(m: WechatInbound): string {
  if (m.kind === 'event') return `${m.fromUser}:${m.createTime}:${m.event}`;
  return m.msgId ?? `${m.fromUser}:${m.createTime}`;
}

/** The unified message's text. Media without text give '': whether to show a
 * placeholder such as "[图片]" is the caller's choice, in the customer's language. */
export function inboundText(m: WechatInbound): string {
  switch (m.kind) {
    case 'text': return faceCodesToEmoji(m.content);
    case 'voice': return m.recognition ?? '';
    case 'image':
    case 'video': return '';
    case 'location': return m.label;
    case 'link': return `${m.title}\n${m.url}`;
    case 'event': return m.event;
  }
}

/** The unified message's text limit. */
const MAX_TEXT = unifiedMessageSchema.properties.text.maxLength;

/** WeChat's voice Format, as a MIME type. */
const VOICE_MIME: Record<string, string> = { amr: 'audio/amr', speex: 'audio/speex' };

/** What an event becomes as text, in both languages (the conversation's language is not known here). */
function eventText(m: Extract<WechatInbound, { kind: 'event' }>): string {
  if (m.event === 'subscribe') return '[关注 Followed the account]';
  if (m.event === 'unsubscribe') return '[取消关注 Unfollowed the account]';
  if (m.event === 'click') return `[菜单 Menu] ${m.eventKey ?? ''}`.trim();
  return `${PLACEHOLDERS.event} ${m.event}`;
}

/**
 * Events a conversation is started (or told) for: following the account and
 * tapping a menu item. The rest (unfollowing, opening a menu link, location
 * reports) are acknowledged and dropped: delivering starts a conversation
 * when none is open, and there is nobody to answer after an unfollow.
 */
export function startsConversation(m: WechatInbound): boolean {
  return m.kind !== 'event' || m.event === 'subscribe' || m.event === 'click';
}

/**
 * The message as its conversation takes it (the unified message's content):
 * the text always readable on its own (a transcript, a place name, a
 * bilingual placeholder such as "[图片 Image]"), media by reference (PicUrl,
 * MediaId: fetch them through the WeChat API), and the decrypted XML as the
 * raw payload.
 */
export function wechatInboundMessage(m: WechatInbound, opts: { receivedAt: number; xml?: string }): InboundMessage {
  const media = (ref: MediaRef): { media: MediaRef[] } => ({ media: [ref] });
  const content = ((): Omit<InboundMessage, 'providerMessageId' | 'receivedAt'> => {
    switch (m.kind) {
      case 'text': return { type: 'text', text: faceCodesToEmoji(m.content) };
      case 'image': return { type: 'image', text: '', ...media({ kind: 'image', url: m.picUrl, providerMediaId: m.mediaId }) };
      case 'voice': {
        const mime = VOICE_MIME[m.format.toLowerCase()];
        return { type: 'voice', text: m.recognition ?? '', ...media({ kind: 'voice', providerMediaId: m.mediaId, ...(mime ? { mime } : {}) }) };
      }
      case 'video': return { type: 'video', text: '', ...media({ kind: 'video', providerMediaId: m.mediaId }) };
      case 'location': return { type: 'location', text: m.label, location: { latitude: m.latitude, longitude: m.longitude, ...(m.label ? { label: m.label } : {}) } };
      case 'link': return { type: 'rich', text: inboundText(m), link: { url: m.url, ...(m.title ? { title: m.title } : {}), ...(m.description ? { description: m.description } : {}) } };
      case 'event': return { type: 'event', text: eventText(m), event: { name: m.event, ...(m.eventKey ? { key: m.eventKey } : {}) } };
    }
  })();
  const text = (content.text.trim() || PLACEHOLDERS[content.type ?? 'text']).slice(0, MAX_TEXT);
  return {
    providerMessageId: dedupeKey(m),
    ...content,
    text,
    receivedAt: opts.receivedAt,
    sentAt: m.createTime * 1000,
    ...(opts.xml ? { raw: rawPayload('xml', opts.xml) } : {}),
  };
}

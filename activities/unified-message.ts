// The unified message: every channel's inbound message becomes this shape
// before anything else (bot, rules, inbox) looks at it. Published as
// GET /api/v1/schemas/unified-message.json and in the OpenAPI components.
import type { FromSchema } from 'json-schema-to-ts';
import { ajv } from '../rules/ajv';
import type { ContentType, RawPayload } from './types';

export const CONTENT_TYPES = ['text', 'image', 'voice', 'video', 'file', 'location', 'sticker', 'event', 'rich'] as const satisfies readonly ContentType[];
export const MEDIA_KINDS = ['image', 'voice', 'video', 'file', 'sticker'] as const;

const nonEmpty = (maxLength: number, description?: string) => ({ type: 'string', minLength: 1, maxLength, ...(description ? { description } : {}) } as const);

export const unifiedMessageSchema = {
  $id: 'https://huiliu.dev/schemas/unified-message.json',
  title: 'Unified message',
  description: 'One message of a conversation, whatever its channel and content. `text` is always readable on its own: the text, a caption, a voice transcript or a placeholder such as "[图片 Image]".',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'conversationId', 'inboxId', 'channel', 'visitorId', 'direction', 'sender', 'type', 'text', 'language', 'providerMessageId', 'at'],
  properties: {
    id: { type: 'string', minLength: 1, description: 'channel:inbox:providerMessageId, unique per channel and provider id' },
    conversationId: { type: 'string', minLength: 1 },
    inboxId: { type: 'string', minLength: 1 },
    channel: { type: 'string', enum: ['webchat', 'wechat', 'wecom', 'app', 'weibo'] },
    /** The customer of the conversation (on inbound messages, the sender). */
    visitorId: { type: 'string', minLength: 1 },
    direction: { type: 'string', enum: ['in', 'out'], description: 'in: from the customer; out: to the customer' },
    sender: {
      type: 'object', additionalProperties: false, required: ['author', 'id'],
      description: 'Who wrote it: the visitor (id = their id on the channel, e.g. a WeChat openid), an agent (their id), the bot or the system',
      properties: {
        author: { type: 'string', enum: ['visitor', 'bot', 'agent', 'system'] },
        id: { type: 'string', minLength: 1 },
      },
    },
    type: { type: 'string', enum: CONTENT_TYPES, description: 'What it carries' },
    text: { type: 'string', maxLength: 4000 },
    media: {
      type: 'array', minItems: 1, maxItems: 20,
      description: 'Pictures, recordings, clips or files it refers to (never their bytes)',
      items: {
        type: 'object', additionalProperties: false, required: ['kind'],
        properties: {
          kind: { type: 'string', enum: MEDIA_KINDS },
          id: nonEmpty(200, 'Our media store\'s id, when we keep a copy (web chat uploads)'),
          url: { type: 'string', format: 'uri-reference', maxLength: 2048, description: 'Where it can be fetched (ours, or the provider\'s)' },
          providerMediaId: nonEmpty(512, 'The provider\'s id for it (WeChat/WeCom media_id, Weibo tovfid), to fetch it through the provider\'s API'),
          mime: nonEmpty(200),
          name: nonEmpty(500),
          size: { type: 'integer', minimum: 0 },
        },
      },
    },
    location: {
      type: 'object', additionalProperties: false, required: ['latitude', 'longitude'],
      properties: {
        latitude: { type: 'number', minimum: -90, maximum: 90 },
        longitude: { type: 'number', minimum: -180, maximum: 180 },
        label: { type: 'string', maxLength: 1000, description: 'The place\'s name or address, as the channel gives it' },
      },
    },
    event: {
      type: 'object', additionalProperties: false, required: ['name'],
      description: 'A channel event (type event): subscribe, unsubscribe, click (a menu item, key = its key), follow...',
      properties: { name: nonEmpty(100), key: { type: 'string', maxLength: 1000 } },
    },
    link: {
      type: 'object', additionalProperties: false, required: ['url'],
      description: 'A shared link or card (type rich)',
      properties: {
        url: { type: 'string', maxLength: 2048 },
        title: { type: 'string', maxLength: 1000 },
        description: { type: 'string', maxLength: 2000 },
        imageUrl: { type: 'string', maxLength: 2048 },
      },
    },
    transcript: { type: 'string', enum: ['provider', 'recognizer'], description: 'On a voice message whose text is a transcript: the channel made it (WeChat Recognition) or our speech recognizer' },
    language: { type: 'string', enum: ['zh', 'en'] },
    providerMessageId: { type: 'string', minLength: 1 },
    clientMessageId: { type: 'string' },
    rawRef: { type: 'string', pattern: '^rawPayloads/.+$', description: 'Where the provider\'s original payload is kept: `rawPayloads/<id>`, a document in the rawPayloads collection with the message\'s id (absent when the request itself was the message, as on web chat)' },
    at: { type: 'string', format: 'date-time', description: 'When the server received it (outbound: when it was sent); the conversation\'s order' },
    sentAt: { type: 'string', format: 'date-time', description: 'When the customer sent it, as the provider says (to the second on WeChat and Weibo)' },
  },
  allOf: [
    // Inbound messages are the visitor's; outbound ones never are.
    {
      if: { properties: { direction: { const: 'in' } }, required: ['direction'] },
      then: { properties: { sender: { type: 'object', properties: { author: { const: 'visitor' } } } } },
      else: { properties: { sender: { type: 'object', properties: { author: { not: { const: 'visitor' } } } } } },
    },
    { if: { properties: { type: { const: 'location' } }, required: ['type'] }, then: { required: ['location'], properties: { location: { type: 'object' } } } },
    { if: { properties: { type: { const: 'event' } }, required: ['type'] }, then: { required: ['event'], properties: { event: { type: 'object' } } } },
    { if: { properties: { type: { enum: ['image', 'video', 'file', 'sticker'] } }, required: ['type'] }, then: { required: ['media'], properties: { media: { type: 'array' } } } },
  ],
} as const;

export type UnifiedMessage = FromSchema<typeof unifiedMessageSchema>;

export const validateUnifiedMessage = ajv.compile(unifiedMessageSchema);

/** A message's text when it has none of its own, in both languages (the conversation's language is not known where channels parse). */
export const PLACEHOLDERS: Record<ContentType, string> = {
  text: '[消息 Message]',
  image: '[图片 Image]',
  voice: '[语音 Voice]',
  video: '[视频 Video]',
  file: '[文件 File]',
  location: '[位置 Location]',
  sticker: '[表情 Sticker]',
  event: '[事件 Event]',
  rich: '[链接 Link]',
};

const PLACEHOLDER_TEXTS = new Set(Object.values(PLACEHOLDERS));

/** The text without any placeholder in it ("[文件 File] 发票.pdf" → "发票.pdf"): what the customer's own words are, if any. */
export function withoutPlaceholders(text: string): string {
  let rest = text;
  for (const placeholder of PLACEHOLDER_TEXTS) rest = rest.split(placeholder).join(' ');
  return rest.trim();
}

/** Whether a text says nothing beyond the message's type (empty, or a bare placeholder). */
export function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return t === '' || PLACEHOLDER_TEXTS.has(t);
}

/**
 * Chinese when the text has any CJK ideograph, English when it has Latin
 * letters, else (a digit, an emoji) the conversation's language so far.
 */
export function detectLanguage(text: string, fallback: 'zh' | 'en'): 'zh' | 'en' {
  if (/[\u3400-\u9fff\uf900-\ufaff]/u.test(text)) return 'zh';
  return /[a-z]/i.test(text) ? 'en' : fallback;
}

/** The most of a raw payload a message carries through its conversation (Temporal history): plenty for any documented push. */
export const RAW_PAYLOAD_LIMIT = 16_000;

/** A provider's payload as an InboundMessage carries it, cut at RAW_PAYLOAD_LIMIT characters. */
export function rawPayload(format: RawPayload['format'], body: string): RawPayload {
  return body.length > RAW_PAYLOAD_LIMIT ? { format, body: body.slice(0, RAW_PAYLOAD_LIMIT), truncated: true } : { format, body };
}

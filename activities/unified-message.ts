// The unified message: every channel's inbound message becomes this shape
// before anything else (bot, rules, inbox) looks at it.
import type { FromSchema } from 'json-schema-to-ts';
import { ajv } from '../rules/ajv';

export const unifiedMessageSchema = {
  $id: 'https://huiliu.dev/schemas/unified-message.json',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'conversationId', 'inboxId', 'channel', 'visitorId', 'direction', 'author', 'type', 'text', 'language', 'providerMessageId', 'at'],
  properties: {
    id: { type: 'string', minLength: 1, description: 'channel:inbox:providerMessageId, unique per channel and provider id' },
    conversationId: { type: 'string', minLength: 1 },
    inboxId: { type: 'string', minLength: 1 },
    channel: { type: 'string', enum: ['webchat', 'wechat', 'wecom'] },
    visitorId: { type: 'string', minLength: 1 },
    direction: { const: 'in' },
    author: { const: 'visitor' },
    type: { type: 'string', enum: ['text'] },
    text: { type: 'string', maxLength: 4000 },
    language: { type: 'string', enum: ['zh', 'en'] },
    providerMessageId: { type: 'string', minLength: 1 },
    clientMessageId: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

export type UnifiedMessage = FromSchema<typeof unifiedMessageSchema>;

export const validateUnifiedMessage = ajv.compile(unifiedMessageSchema);

/**
 * Chinese when the text has any CJK ideograph, English when it has Latin
 * letters, else (a digit, an emoji) the conversation's language so far.
 */
export function detectLanguage(text: string, fallback: 'zh' | 'en'): 'zh' | 'en' {
  if (/[\u3400-\u9fff\uf900-\ufaff]/u.test(text)) return 'zh';
  return /[a-z]/i.test(text) ? 'en' : fallback;
}

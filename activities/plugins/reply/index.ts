// reply: send a message built from a template with the conversation's facts,
// in the customer's language, cut to what their channel can carry.
import { storeOutbound } from '../../messages';
import { renderTemplate } from '../template';
import type { Plugin } from '../types';

// The longest text each channel takes in one message. Channel plugins will own
// their capabilities; until then, the ones this platform knows are listed here.
const TEXT_LIMITS: Record<string, number> = { webchat: 4000, wechat: 600, wecom: 2048, sms: 335, telegram: 4096, whatsapp: 4096, weibo: 1000 };
const DEFAULT_LIMIT = 4000;

export function fitToChannel(text: string, channel: string): string {
  const limit = TEXT_LIMITS[channel] ?? DEFAULT_LIMIT;
  const chars = [...text]; // by code point, so an emoji is never cut in half
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

const template = { type: 'string', minLength: 1, maxLength: 4000, 'x-widget': 'template' };

export const replyPlugin: Plugin = {
  definition: {
    type: 'reply', typeVersion: 1, category: 'messaging',
    title: { zh: '发送消息', en: 'Reply' },
    description: {
      zh: '按客户的语言发送一条消息，可用 {{contact.name}} 这样的变量引用事实；超出渠道长度限制时截断。',
      en: "Sends a message in the customer's language; variables like {{contact.name}} insert facts. Cut to the channel's length limit.",
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['text'],
      properties: {
        text: {
          type: 'object', additionalProperties: false, required: ['zh', 'en'], 'x-title': { zh: '消息内容', en: 'Message' },
          properties: { zh: { ...template, 'x-title': { zh: '中文', en: 'Chinese' } }, en: { ...template, 'x-title': { zh: '英文', en: 'English' } } },
        },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    sideEffects: true,
  },
  createHandler: ({ storeMessage }) => async (input) => {
    const texts = input.parameters.text as { zh: string; en: string };
    const rendered = renderTemplate(texts[input.language] ?? texts.zh, input.facts);
    const text = fitToChannel(rendered.text, input.channel);
    const note = rendered.missing.length
      ? { zh: `变量无值，已留空：${rendered.missing.join('、')}`, en: `Variables without a value, left empty: ${rendered.missing.join(', ')}` }
      : undefined;
    if (!input.dryRun) {
      await storeOutbound(storeMessage, {
        conversationId: input.conversationId, inboxId: input.inboxId, channel: input.channel, visitorId: input.visitorId,
        messageId: input.messageId, author: 'bot', text, kind: 'text', at: input.now,
      });
    }
    return { handle: 'next', sent: text, note };
  },
};

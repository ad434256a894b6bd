// bot: answers from an FAQ set; records whether it answered, for the rules after it.
import type { Plugin } from '../types';

export const botPlugin: Plugin = {
  definition: {
    type: 'bot', typeVersion: 1, category: 'bot',
    title: { zh: '机器人应答', en: 'Bot answer' },
    description: { zh: '在常见问题库中查找答案并回复；结果（是否回答、置信度）作为事实供后续规则使用。', en: 'Looks for an answer in an FAQ set and replies; whether it answered (and how confidently) is a fact for later rules.' },
    parameters: {
      type: 'object', additionalProperties: false, required: ['faqSet'],
      properties: {
        faqSet: { type: 'string', default: 'default', 'x-title': { zh: '问题库', en: 'FAQ set' }, 'x-widget': 'faqSet' },
        minConfidence: { type: 'number', minimum: 0, maximum: 1, default: 0.5, 'x-title': { zh: '最低置信度', en: 'Minimum confidence' } },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    references: [{ pointer: '/faqSet', kind: 'faqSet' }],
    provides: {
      fact: 'bot',
      description: { zh: '机器人对最近一条消息的应答结果', en: "The bot's result for the latest message" },
      schema: {
        type: 'object',
        properties: {
          answered: { type: 'boolean', description: 'Whether the bot answered / 机器人是否已回答' },
          confidence: { type: 'number', description: 'Match confidence 0–1 / 匹配置信度 0–1' },
        },
      },
    },
    sideEffects: true,
  },
};

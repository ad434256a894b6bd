// survey: ask for a 1–5 rating of the agent, with a timeout.
import type { Plugin } from '../types';

export const surveyPlugin: Plugin = {
  definition: {
    type: 'survey', typeVersion: 1, category: 'messaging',
    title: { zh: '满意度调查', en: 'Satisfaction survey' },
    description: {
      zh: '请客户为本次服务打分（1–5；支持按钮/菜单的渠道以按钮呈现），评分记在服务的客服名下；可提醒一次、对低分追问原因；超时未答则跳过。',
      en: 'Asks the customer to rate the service 1–5 (as buttons or a menu where the channel has them); the rating is stored with the agent who served them. Can remind once and ask low raters why. Skipped on timeout.',
    },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        timeoutSeconds: { type: 'integer', minimum: 10, maximum: 604800, default: 300, 'x-title': { zh: '等待时长（秒）', en: 'Wait (seconds)' } },
        reminderSeconds: { type: 'integer', minimum: 0, maximum: 604800, default: 0, 'x-title': { zh: '未答时提醒一次（秒后，0 为不提醒）', en: 'Remind once after (seconds, 0: never)' } },
        followUp: { type: 'boolean', default: false, 'x-title': { zh: '追问原因', en: 'Ask a follow-up question' } },
        followUpBelow: { type: 'integer', minimum: 1, maximum: 5, default: 3, 'x-title': { zh: '评分不高于此分时追问', en: 'Ask when the rating is at most' } },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    waits: true,
  },
};

// survey: ask for a 1–5 rating of the agent, with a timeout.
import type { Plugin } from '../types';

export const surveyPlugin: Plugin = {
  definition: {
    type: 'survey', typeVersion: 1, category: 'messaging',
    title: { zh: '满意度调查', en: 'Satisfaction survey' },
    description: { zh: '请客户为本次服务打分（1–5），评分记在服务的客服名下；超时未答则跳过。', en: 'Asks the customer to rate the service 1–5; the rating is stored with the agent who served them. Skipped on timeout.' },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: { timeoutSeconds: { type: 'integer', minimum: 10, maximum: 604800, default: 300, 'x-title': { zh: '等待时长（秒）', en: 'Wait (seconds)' } } },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    waits: true,
  },
};

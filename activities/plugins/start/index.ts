// start: where a conversation enters the flow, with the inbox's business hours.
import type { Plugin } from '../types';

export const startPlugin: Plugin = {
  definition: {
    type: 'start', typeVersion: 1, category: 'flow',
    title: { zh: '开始', en: 'Start' },
    description: { zh: '会话从这里进入流程。可限定入口和渠道，并设置营业时间供规则使用。', en: 'Conversations enter the flow here. Optionally limit inboxes and channels, and set the business hours rules can use.' },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        inboxes: { type: 'array', items: { type: 'string' }, default: [], 'x-title': { zh: '入口（空为全部）', en: 'Inboxes (empty: all)' }, 'x-widget': 'inboxes' },
        channels: { type: 'array', items: { type: 'string' }, default: [], 'x-title': { zh: '渠道（空为全部）', en: 'Channels (empty: all)' } },
        timeZone: { type: 'string', default: 'Asia/Shanghai', 'x-title': { zh: '时区', en: 'Time zone' } },
        businessHours: {
          type: 'object', additionalProperties: false, 'x-title': { zh: '营业时间', en: 'Business hours' },
          properties: {
            days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, default: [1, 2, 3, 4, 5, 6, 7], 'x-title': { zh: '营业日（星期一=1）', en: 'Open days (Monday = 1)' } },
            from: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', default: '09:00', 'x-title': { zh: '开始', en: 'From' } },
            to: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', default: '21:00', 'x-title': { zh: '结束', en: 'To' } },
          },
        },
        holidays: { type: 'array', items: { type: 'string', format: 'date' }, default: [], 'x-title': { zh: '节假日', en: 'Holidays' } },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    references: [{ pointer: '/inboxes/*', kind: 'inbox' }],
    waits: true,
  },
};

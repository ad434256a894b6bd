// transfer: send the conversation to another team's queue (or a named agent first).
import type { Plugin } from '../types';
import { slaHandle, slaSeconds } from '../queue';

export const transferPlugin: Plugin = {
  definition: {
    type: 'transfer', typeVersion: 1, category: 'routing',
    title: { zh: '转接', en: 'Transfer' },
    description: {
      zh: '把会话转到另一队列；可指定优先接待的客服（不在线或满席时由队列中其他客服接待）。',
      en: 'Moves the conversation to another queue; optionally offers it to a named agent first (others in the queue take it when they are away or full).',
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['queue'],
      properties: {
        queue: { type: 'string', default: 'general', 'x-title': { zh: '转到队列', en: 'To queue' }, 'x-widget': 'queue' },
        agentId: { type: 'string', 'x-title': { zh: '指定客服', en: 'Named agent' }, 'x-widget': 'agent' },
        slaSeconds,
      },
    },
    handles: [{ id: 'closed', title: { zh: '客服结束会话', en: 'Agent closed' }, required: true }, slaHandle],
    references: [{ pointer: '/queue', kind: 'queue' }],
    waits: true,
  },
};

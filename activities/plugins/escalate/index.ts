// escalate: one step of an escalation chain, on a queue node's `sla` handle.
import type { Plugin } from '../types';
import { slaHandle, slaSeconds } from '../queue';

export const escalatePlugin: Plugin = {
  definition: {
    type: 'escalate', typeVersion: 1, category: 'routing',
    title: { zh: '升级', en: 'Escalate' },
    description: {
      zh: '把等待中的会话移到另一队列并提高优先级，可告知客户；之后继续等待，再超时可接下一级升级。',
      en: 'Moves the waiting conversation to another queue at a higher priority, optionally telling the customer; then keeps waiting, and a further SLA miss can lead to the next step.',
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['queue'],
      properties: {
        queue: { type: 'string', default: 'escalation', 'x-title': { zh: '升级到队列', en: 'To queue' }, 'x-widget': 'queue' },
        priority: { type: 'integer', minimum: 0, maximum: 100, default: 10, 'x-title': { zh: '优先级', en: 'Priority' } },
        notify: { type: 'boolean', default: true, 'x-title': { zh: '告知客户', en: 'Tell the customer' } },
        slaSeconds,
      },
    },
    handles: [{ id: 'closed', title: { zh: '客服结束会话', en: 'Agent closed' }, required: true }, slaHandle],
    references: [{ pointer: '/queue', kind: 'queue' }],
    waits: true,
  },
};

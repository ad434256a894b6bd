// escalate: one step of an escalation chain, on a queue node's `sla` handle.
// Like a TaskRouter workflow target, each step changes who may take the
// conversation and how urgent it is, then waits its own timeout before the
// next step.
import type { Plugin } from '../types';
import { slaHandle, slaSeconds } from '../queue';

export const escalatePlugin: Plugin = {
  definition: {
    type: 'escalate', typeVersion: 1, category: 'routing',
    title: { zh: '升级', en: 'Escalate' },
    description: {
      zh: '升级等待中的会话：可移到另一队列、提高优先级、放宽技能要求、通知主管，并可告知客户；之后继续等待，再超时可接下一级升级或留言/回电。',
      en: 'Escalates the waiting conversation: to another queue, at a higher priority, with a wider skill requirement, notifying supervisors, optionally telling the customer; then keeps waiting, and a further SLA miss can lead to the next step or to a callback.',
    },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        queue: { type: 'string', default: 'escalation', 'x-title': { zh: '升级到队列（留空：留在当前队列）', en: 'To queue (empty: stay in the current queue)' }, 'x-widget': 'queue' },
        priority: { type: 'integer', minimum: 0, maximum: 100, default: 10, 'x-title': { zh: '优先级', en: 'Priority' } },
        requiredSkills: { type: 'array', items: { type: 'string' }, default: [], 'x-title': { zh: '所需技能（替换上一步的技能要求）', en: "Required skills (replace the previous step's)" } },
        anyAgent: { type: 'boolean', default: false, 'x-title': { zh: '放宽：不再要求队列的技能', en: "Widen: the queue's required skills no longer apply" } },
        notifySupervisor: { type: 'boolean', default: false, 'x-title': { zh: '通知主管', en: 'Notify supervisors' } },
        notify: { type: 'boolean', default: true, 'x-title': { zh: '告知客户', en: 'Tell the customer' } },
        slaSeconds,
      },
    },
    handles: [{ id: 'closed', title: { zh: '客服结束会话', en: 'Agent closed' }, required: true }, slaHandle],
    references: [{ pointer: '/queue', kind: 'queue' }],
    waits: true,
  },
};

// queue: hand the conversation to an agent. Version 2 names required skills and
// leaves escalation to escalate nodes on its `sla` handle; version 1 (escalation
// built in) stays so flows drawn with it still run.
import type { HandleDefinition, JsonSchema } from '../../../rules/plugin';
import type { Plugin } from '../types';

const title = { zh: '排队转人工', en: 'Queue for an agent' };
const queueName = { type: 'string', default: 'general', 'x-title': { zh: '队列', en: 'Queue' }, 'x-widget': 'queue' };
const priority = { type: 'integer', minimum: 0, maximum: 100, default: 0, 'x-title': { zh: '优先级', en: 'Priority' } };
const assignRetrySeconds = { type: 'integer', minimum: 1, maximum: 3600, default: 5, 'x-title': { zh: '重新分配间隔（秒）', en: 'Assignment retry (seconds)' } };
const closed: HandleDefinition = { id: 'closed', title: { zh: '客服结束会话', en: 'Agent closed' }, required: true };

export const queueV1Plugin: Plugin = {
  definition: {
    type: 'queue', typeVersion: 1, category: 'routing', title, superseded: true,
    description: { zh: '排队等待空闲客服；无人在时限内接入时升级到升级队列并告知客户。', en: 'Queues for a free agent; if nobody accepts in time, moves to the escalation queue and tells the customer.' },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        queue: queueName, priority, assignRetrySeconds,
        slaSeconds: { type: 'integer', minimum: 1, default: 60 },
        escalationQueue: { type: 'string', default: 'escalation' },
        escalationPriority: { type: 'integer', minimum: 0, maximum: 100, default: 10 },
      },
    } satisfies JsonSchema,
    handles: [closed],
    references: [{ pointer: '/queue', kind: 'queue' }, { pointer: '/escalationQueue', kind: 'queue' }],
    waits: true,
  },
};

export const slaHandle: HandleDefinition = { id: 'sla', title: { zh: '超过服务时限', en: 'SLA missed' } };
export const slaSeconds = {
  type: 'integer', minimum: 0, default: 60, 'x-title': { zh: '接入时限（秒，0 为不限）', en: 'Accept within (seconds, 0: no limit)' },
};

export const queuePlugin: Plugin = {
  definition: {
    type: 'queue', typeVersion: 2, category: 'routing', title,
    description: {
      zh: '排队等待具备所需技能的空闲客服。超过接入时限仍无人接入时走“超过服务时限”出口（可接升级节点）；未连接则继续等待。',
      en: 'Queues for a free agent with the required skills. If nobody accepts within the limit, leaves through "SLA missed" (connect an escalate node); unconnected, it keeps waiting.',
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['queue'],
      properties: {
        queue: queueName, priority, assignRetrySeconds, slaSeconds,
        requiredSkills: { type: 'array', items: { type: 'string' }, default: [], 'x-title': { zh: '所需技能', en: 'Required skills' } },
      },
    },
    handles: [closed, slaHandle],
    references: [{ pointer: '/queue', kind: 'queue' }],
    waits: true,
  },
};

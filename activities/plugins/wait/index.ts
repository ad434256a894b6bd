// wait: for the customer's next message, or a timeout.
import type { Plugin } from '../types';

export const waitPlugin: Plugin = {
  definition: {
    type: 'wait', typeVersion: 1, category: 'flow',
    title: { zh: '等待客户', en: 'Wait for the customer' },
    description: { zh: '等待客户的下一条消息；超时未回复则走超时出口。', en: "Waits for the customer's next message; the timeout handle is taken if none comes in time." },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: { timeoutSeconds: { type: 'integer', minimum: 1, maximum: 604800, default: 600, 'x-title': { zh: '超时（秒）', en: 'Timeout (seconds)' } } },
    },
    handles: [
      { id: 'message', title: { zh: '收到消息', en: 'Message' }, required: true },
      { id: 'timeout', title: { zh: '超时', en: 'Timeout' }, required: true },
    ],
    waits: true,
  },
};

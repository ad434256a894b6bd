// close: the conversation ends here.
import type { Plugin } from '../types';

export const closePlugin: Plugin = {
  definition: {
    type: 'close', typeVersion: 1, category: 'flow',
    title: { zh: '结束会话', en: 'Close' },
    description: { zh: '结束会话。客户之后的消息会开启新会话。', en: 'Ends the conversation. A later message from the customer starts a new one.' },
    parameters: { type: 'object', additionalProperties: false, properties: {} },
    handles: [],
  },
};

// normalize: the customer's next message becomes the unified message and is stored.
import type { Plugin } from '../types';

export const normalizePlugin: Plugin = {
  definition: {
    type: 'normalize', typeVersion: 1, category: 'messaging',
    title: { zh: '消息标准化', en: 'Normalize message' },
    description: { zh: '把客户的下一条消息转为统一格式（文本、语言）并保存；没有新消息时等待。', en: "Turns the customer's next message into the unified format (text, language) and stores it; waits when there is none yet." },
    parameters: { type: 'object', additionalProperties: false, properties: {} },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    waits: true,
  },
};

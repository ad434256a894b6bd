// rules: an ordered list of json-rules-engine rules; the first that fires picks the way out.
import type { Plugin } from '../types';

export const rulesPlugin: Plugin = {
  definition: {
    type: 'rules', typeVersion: 1, category: 'logic',
    title: { zh: '规则分流', en: 'Rules' },
    description: { zh: '按优先级评估规则；第一条命中规则的事件类型就是出口，都未命中则走默认出口。', en: "Evaluates the rules by priority; the event type of the first rule that fires is the way out, else the default handle." },
    parameters: {
      type: 'object', additionalProperties: false, required: ['rules', 'defaultHandle'],
      properties: {
        rules: { type: 'array', items: { type: 'object' }, default: [], 'x-title': { zh: '规则', en: 'Rules' }, 'x-widget': 'rules' },
        defaultHandle: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'default', 'x-title': { zh: '默认出口', en: 'Default handle' } },
      },
    },
    handles: [],
    ruleHandles: true,
    rulesAt: '/rules',
  },
};

// callback: nobody can take the customer now; they leave a message (with a
// phone number if they want a call back) for the team to follow up.
import type { Plugin } from '../types';

export const callbackPlugin: Plugin = {
  definition: {
    type: 'callback', typeVersion: 1, category: 'routing',
    title: { zh: '留言 / 回电', en: 'Leave a message / call back' },
    description: {
      zh: '告诉客户暂时无人接待，请其留言（可留电话以便回电）；会话离开队列，留言进入回访列表由主管跟进。收到留言走“已留言”，超时走“超时”。',
      en: 'Tells the customer nobody is free and asks them to leave a message (with a phone number for a call back); the conversation leaves its queue and the message goes to the callback list for supervisors. Leaves through "Message left", or "Timeout".',
    },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        timeoutSeconds: { type: 'integer', minimum: 10, maximum: 604800, default: 600, 'x-title': { zh: '等待留言（秒）', en: 'Wait for the message (seconds)' } },
      },
    },
    handles: [
      { id: 'left', title: { zh: '已留言', en: 'Message left' }, required: true },
      { id: 'timeout', title: { zh: '超时', en: 'Timeout' } },
    ],
    waits: true,
  },
};

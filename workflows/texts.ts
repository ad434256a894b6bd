// What the conversation says on its own behalf, in the customer's language.
import type { Language } from '../activities/types';

export const systemTexts = {
  queued: { zh: '正在为您转接人工客服，请稍候。', en: 'Connecting you to an agent, please wait.' },
  escalated: {
    zh: '抱歉让您久等了，已为您优先转接资深客服。',
    en: 'Sorry for the wait. You have been moved up to our senior team.',
  },
  transferred: { zh: '正在为您转接到相关专员，请稍候。', en: 'Transferring you to the right team, please wait.' },
  survey: {
    zh: '请为本次服务打分：回复 1–5（5 为非常满意）。',
    en: 'Please rate this conversation: reply 1–5 (5 = very satisfied).',
  },
  surveyRetry: { zh: '请回复 1 到 5 之间的数字。', en: 'Please reply with a number from 1 to 5.' },
  thanks: { zh: '感谢您的评价，再见！', en: 'Thank you for your feedback. Goodbye!' },
  /** An operator ended the conversation (server/ops) without a message of their own. */
  ended: {
    zh: '本次会话已结束。如仍需帮助，请随时再给我们留言。',
    en: 'This conversation has ended. If you still need help, just write to us again.',
  },
} satisfies Record<string, Record<Language, string>>;

export type SystemText = keyof typeof systemTexts;

/** A 1–5 rating from a survey reply such as "5", "５", "4分" or "3 stars"; undefined otherwise. */
export function parseRating(text: string): number | undefined {
  const match = /^\s*([1-5])\s*(分|星|stars?)?\s*[.!。！]?\s*$/i.exec(text.normalize('NFKC'));
  return match ? Number(match[1]) : undefined;
}

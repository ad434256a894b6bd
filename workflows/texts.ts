// What the conversation says on its own behalf, in the customer's language.
import type { Language, MessageChoice } from '../activities/types';

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
  surveyReminder: {
    zh: '您的评价对我们很重要：请回复 1–5 为本次服务打分（5 为非常满意）。',
    en: 'Your opinion matters to us: please reply 1–5 to rate this conversation (5 = very satisfied).',
  },
  surveyFollowUp: {
    zh: '抱歉没能让您满意。能告诉我们哪里可以做得更好吗？直接回复即可。',
    en: "We're sorry we fell short. What could we have done better? Just reply here.",
  },
  callbackOffer: {
    zh: '抱歉，目前客服都在忙。请直接留言说明您的问题，如需回电请留下电话号码，我们会尽快联系您。',
    en: "Sorry, all our agents are busy. Leave us a message about your question (and a phone number if you'd like a call back), and we'll get back to you soon.",
  },
  callbackThanks: { zh: '已收到您的留言，我们会尽快联系您。', en: "Thanks, we've got your message and will get back to you soon." },
  thanks: { zh: '感谢您的评价，再见！', en: 'Thank you for your feedback. Goodbye!' },
  /** A rating given while the conversation goes on (an agent asked for it). */
  ratingThanks: { zh: '感谢您的评价！', en: 'Thank you for your rating!' },
  /** An operator ended the conversation (server/ops) without a message of their own. */
  ended: {
    zh: '本次会话已结束。如仍需帮助，请随时再给我们留言。',
    en: 'This conversation has ended. If you still need help, just write to us again.',
  },
} satisfies Record<string, Record<Language, string>>;

export type SystemText = keyof typeof systemTexts;

/** The survey's answers as buttons or a menu: picking one sends its label back. */
export const surveyChoices: Record<Language, MessageChoice[]> = {
  zh: ['非常不满意', '不满意', '一般', '满意', '非常满意'].map((label, i) => ({ id: String(i + 1), label: `${i + 1} ${label}` })),
  en: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'].map((label, i) => ({ id: String(i + 1), label: `${i + 1} ${label}` })),
};
const choiceLabels = new Map([...surveyChoices.zh, ...surveyChoices.en].map((c) => [c.label.toLowerCase(), Number(c.id)]));

/** A 1–5 rating from a survey reply such as "5", "５", "4分", "3 stars" or a picked choice ("5 非常满意"); undefined otherwise. */
export function parseRating(text: string): number | undefined {
  const normalized = text.normalize('NFKC').trim();
  const picked = choiceLabels.get(normalized.toLowerCase());
  if (picked !== undefined) return picked;
  const match = /^\s*([1-5])\s*(分|星|stars?)?\s*[.!。！]?\s*$/i.exec(normalized);
  return match ? Number(match[1]) : undefined;
}

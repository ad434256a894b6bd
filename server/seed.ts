// The demo data a first `npm start` creates: an admin, a business analyst, an operator, a supervisor, two agents, the web
// chat inbox with the default flow, and a few FAQ entries.
import type { Models } from '../activities/store';
import { defaultFlow } from '../rules/default-flow';
import { hashToken, newToken } from './auth';

export const DEMO_INBOX_ID = 'demo-webchat';

export interface DemoLogin {
  id: string;
  name: string;
  role: 'agent' | 'analyst' | 'operator' | 'supervisor' | 'admin';
  token: string;
}

const FAQS = [
  { _id: 'faq-hours', question: '营业时间 / Opening hours', keywords: ['营业时间', '几点', 'opening hours', 'open'],
    answers: { zh: '我们的在线客服时间是每天 9:00–21:00。', en: 'Our agents are online every day from 9:00 to 21:00.' } },
  { _id: 'faq-refund', question: '退货退款 / Returns and refunds', keywords: ['退货', '退款', 'refund', 'return'],
    answers: { zh: '签收后 7 天内可无理由退货，退款在 3 个工作日内原路退回。', en: 'You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.' } },
  { _id: 'faq-shipping', question: '运费与配送 / Shipping', keywords: ['运费', '配送', '快递', 'shipping', 'delivery'],
    answers: { zh: '订单满 99 元包邮，一般 48 小时内发货。', en: 'Shipping is free on orders over ¥99; most orders ship within 48 hours.' } },
  { _id: 'faq-invoice', question: '发票 / Invoices', keywords: ['发票', 'invoice'],
    answers: { zh: '可在“我的订单”中申请电子发票。', en: 'You can request an e-invoice under “My orders”.' } },
];

const QUEUES = [
  { _id: 'general', name: '综合 General', skills: [] },
  { _id: 'escalation', name: '升级 Escalation', skills: [] },
];

const PEOPLE = [
  { _id: 'admin', name: '管理员 Admin', email: 'admin@huiliu.local', role: 'admin' as const, capacity: 0 },
  { _id: 'analyst-zhao', name: '赵敏 Zhao Min', email: 'zhao@huiliu.local', role: 'analyst' as const, capacity: 0 },
  { _id: 'ops-chen', name: '陈伟 Chen Wei', email: 'chen@huiliu.local', role: 'operator' as const, capacity: 0 },
  { _id: 'sup-liu', name: '刘洋 Liu Yang', email: 'liu@huiliu.local', role: 'supervisor' as const, capacity: 0 },
  { _id: 'agent-lina', name: '李娜 Li Na', email: 'lina@huiliu.local', role: 'agent' as const, capacity: 5 },
  { _id: 'agent-wang', name: '王强 Wang Qiang', email: 'wang@huiliu.local', role: 'agent' as const, capacity: 5 },
];

/** Creates the demo data unless people exist already; returns the new logins (tokens are stored hashed only). */
export async function seedDemo(m: Models): Promise<DemoLogin[] | null> {
  if ((await m.Agent.countDocuments()) > 0) return null;
  await m.Flow.updateOne({ _id: 'default' }, { $setOnInsert: { name: '默认流程 Default flow', publishedVersion: 1, draft: defaultFlow, draftRevision: 1 } }, { upsert: true });
  await m.FlowVersion.updateOne(
    { _id: 'default@1' },
    { $setOnInsert: { flowId: 'default', version: 1, definition: defaultFlow, publishedBy: 'seed', message: 'Initial flow' } },
    { upsert: true },
  );
  for (const q of QUEUES) await m.Queue.updateOne({ _id: q._id }, { $setOnInsert: q }, { upsert: true });
  await m.Inbox.updateOne({ _id: DEMO_INBOX_ID }, { $setOnInsert: { name: '官网在线客服 Website chat', channel: 'webchat', flowId: 'default' } }, { upsert: true });
  for (const faq of FAQS) await m.Faq.updateOne({ _id: faq._id }, { $setOnInsert: { ...faq, faqSet: 'default' } }, { upsert: true });
  const logins: DemoLogin[] = [];
  for (const person of PEOPLE) {
    const token = newToken();
    await m.Agent.create({ ...person, tokenHash: hashToken(token) });
    logins.push({ id: person._id, name: person.name, role: person.role, token });
  }
  return logins;
}

// A small bilingual dictionary (Chinese / English) and the React context that carries it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';

export type Lang = 'zh' | 'en';

const en = {
  'app.name': 'Huiliu',
  'app.tagline': 'Omnichannel customer service',
  'lang.switch': 'Language',

  'visitor.title': 'Visitor — web chat widget demo',
  'visitor.inbox': 'Inbox ID',
  'visitor.useInbox': 'Switch',
  'visitor.id': 'Visitor ID',
  'visitor.new': 'New visitor',
  'visitor.message': 'Message',
  'visitor.placeholder': 'Type a message and press Enter…',
  'visitor.send': 'Send',
  'visitor.empty': 'Send a message to start a conversation.',
  'visitor.transcript': 'Chat transcript',

  'stream.connecting': 'Connecting…',
  'stream.open': 'Live',
  'stream.closed': 'Disconnected',
  'stream.reconnect': 'Reconnect',

  'author.you': 'You',
  'author.visitor': 'Visitor',
  'author.bot': 'Bot',
  'author.agent': 'Agent',
  'author.system': 'System',
  'message.sending': 'Sending…',
  'message.sent': 'Sent',
  'message.failed': 'Not sent',
  'message.retry': 'Retry',
  'survey.prompt': 'Rate this conversation',
  'survey.star': '{n} of 5 stars',

  'agent.title': 'Agent — simple workspace',
  'agent.token': 'Agent token',
  'agent.tokenHint': 'Paste the token printed by npm start',
  'agent.signIn': 'Sign in',
  'agent.signOut': 'Sign out',
  'agent.loading': 'Signing in…',
  'agent.online': 'Online',
  'agent.offline': 'Offline',
  'agent.status': 'Availability',
  'agent.load': '{busy} of {capacity} chats in use',
  'agent.role.agent': 'Agent',
  'agent.role.admin': 'Admin',
  'agent.role.analyst': 'Analyst',

  'steps.title': 'Flow decisions ({count})',
  'steps.fired': 'fired: {rules}',
  'steps.noneFired': 'no rule fired, default way',
  'steps.failed': '{rule} did not fire: {fact}{path} {operator} {value} (was {actual})',

  'list.title': 'Queued and assigned',
  'list.empty': 'No conversations are waiting.',
  'list.loading': 'Loading conversations…',
  'list.queue': 'Queue',
  'list.priority': 'Priority',
  'list.visitor': 'Visitor',
  'list.yours': 'Yours',
  'list.offered': 'Offered to you',
  'list.otherAgent': 'Agent {id}',

  'status.bot': 'With bot',
  'status.queued': 'Queued',
  'status.assigned': 'Assigned',
  'status.survey': 'Survey',
  'status.closed': 'Closed',

  'detail.placeholder': 'Select a conversation to see its messages.',
  'detail.loading': 'Loading conversation…',
  'detail.timeline': 'Conversation messages',
  'detail.empty': 'No messages yet.',
  'detail.accept': 'Accept',
  'detail.close': 'Close conversation',
  'detail.reply': 'Reply',
  'detail.replyPlaceholder': 'Write a reply…',
  'detail.send': 'Send',
  'detail.rating': 'Rating',
  'detail.ratingWaiting': 'Waiting for the visitor to rate…',
  'detail.ratingTimeout': 'No rating: the survey timed out',
  'detail.ratingNone': 'Not rated',

  'error.network': 'Cannot reach the server. Check that it is running.',
  'error.http': 'The server answered HTTP {status} without an explanation.',
  'error.dismiss': 'Dismiss',
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  'app.name': '汇流',
  'app.tagline': '全渠道智能客服',
  'lang.switch': '语言',

  'visitor.title': '访客 · 网页聊天演示',
  'visitor.inbox': '接入渠道 ID',
  'visitor.useInbox': '切换',
  'visitor.id': '访客 ID',
  'visitor.new': '新访客',
  'visitor.message': '消息',
  'visitor.placeholder': '输入消息，按回车发送…',
  'visitor.send': '发送',
  'visitor.empty': '发送一条消息即可开始会话。',
  'visitor.transcript': '聊天记录',

  'stream.connecting': '连接中…',
  'stream.open': '实时',
  'stream.closed': '已断开',
  'stream.reconnect': '重新连接',

  'author.you': '我',
  'author.visitor': '访客',
  'author.bot': '机器人',
  'author.agent': '客服',
  'author.system': '系统',
  'message.sending': '发送中…',
  'message.sent': '已发送',
  'message.failed': '未发送',
  'message.retry': '重试',
  'survey.prompt': '为本次服务评分',
  'survey.star': '{n} 星（满分 5 星）',

  'agent.title': '坐席 · 简易工作台',
  'agent.token': '坐席令牌',
  'agent.tokenHint': '粘贴 npm start 输出的令牌',
  'agent.signIn': '登录',
  'agent.signOut': '退出',
  'agent.loading': '正在登录…',
  'agent.online': '在线',
  'agent.offline': '离线',
  'agent.status': '接待状态',
  'agent.load': '已接待 {busy} / {capacity}',
  'agent.role.agent': '坐席',
  'agent.role.admin': '管理员',
  'agent.role.analyst': '业务分析师',

  'steps.title': '流程决策（{count}）',
  'steps.fired': '命中：{rules}',
  'steps.noneFired': '无规则命中，走默认出口',
  'steps.failed': '{rule} 未命中：{fact}{path} {operator} {value}（实际为 {actual}）',

  'list.title': '排队与已分配',
  'list.empty': '暂无等待中的会话。',
  'list.loading': '正在加载会话…',
  'list.queue': '队列',
  'list.priority': '优先级',
  'list.visitor': '访客',
  'list.yours': '我的',
  'list.offered': '分配给你',
  'list.otherAgent': '坐席 {id}',

  'status.bot': '机器人接待',
  'status.queued': '排队中',
  'status.assigned': '已分配',
  'status.survey': '评价中',
  'status.closed': '已结束',

  'detail.placeholder': '选择一个会话以查看消息。',
  'detail.loading': '正在加载会话…',
  'detail.timeline': '会话消息',
  'detail.empty': '暂无消息。',
  'detail.accept': '接入',
  'detail.close': '结束会话',
  'detail.reply': '回复',
  'detail.replyPlaceholder': '输入回复…',
  'detail.send': '发送',
  'detail.rating': '评分',
  'detail.ratingWaiting': '等待访客评分…',
  'detail.ratingTimeout': '未评分：评价已超时',
  'detail.ratingNone': '未评分',

  'error.network': '无法连接服务器，请确认服务已启动。',
  'error.http': '服务器返回 HTTP {status}，但没有说明原因。',
  'error.dismiss': '关闭',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const LANG_KEY = 'huiliu.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match));
}

/** Language state for the app root: remembered in localStorage and reflected in <html lang>. */
export function useLanguage(): I18n {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);
  return useMemo(() => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }), [lang, setLang]);
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nContext>');
  return i18n;
}

export function formatTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en', { hour: '2-digit', minute: '2-digit' });
}

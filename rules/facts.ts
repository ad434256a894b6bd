// The facts catalog: every fact a rule may name, with its properties, types
// and descriptions in both languages. The validator checks rules against it,
// the editor offers it, and the workflow fills exactly these facts.
// Runs inside workflow code: timeFacts is pure (the clock comes in as a value).
import type { Bilingual } from './plugin';

export type FactType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface FactProperty {
  type: FactType;
  description: Bilingual;
  enum?: string[];
}

export interface FactDefinition {
  fact: string;
  description: Bilingual;
  properties: Record<string, FactProperty>;
}

const prop = (type: FactType, zh: string, en: string, values?: string[]): FactProperty =>
  values ? { type, description: { zh, en }, enum: values } : { type, description: { zh, en } };

export const factsCatalog: FactDefinition[] = [
  {
    fact: 'message',
    description: { zh: '客户最新的一条消息（已归一化）', en: "The customer's latest message, normalized" },
    properties: {
      text: prop('string', '消息文本', 'Message text'),
      type: prop('string', '消息类型，如 text、image、voice', 'Message type, such as text, image, voice'),
      language: prop('string', '消息语言', 'Message language', ['zh', 'en']),
      intent: prop('string', '机器人识别的意图（最匹配的 FAQ）；机器人查找之前为空', 'Intent the bot recognized (best-matching FAQ); empty until the bot has looked'),
      sentiment: prop('string', '情绪', 'Sentiment', ['negative', 'neutral', 'positive']),
    },
  },
  {
    fact: 'contact',
    description: { zh: '客户档案', en: "The customer's profile" },
    properties: {
      id: prop('string', '客户编号', 'Contact id'),
      name: prop('string', '客户姓名', 'Contact name'),
      attributes: prop('object', '自定义属性，如 $.attributes.level', 'Custom attributes, e.g. $.attributes.level'),
      tags: prop('array', '标签（文本列表）', 'Tags (list of texts)'),
      vip: prop('boolean', '是否 VIP', 'Whether the contact is a VIP'),
      segments: prop('array', '所属分群（名称列表）', 'Segments the contact belongs to (list of names)'),
      orders: prop('array', '订单，如 $.orders[0].status', 'Orders, e.g. $.orders[0].status'),
      channels: prop('array', '各渠道身份（channel、inboxId、externalId）', 'Identities on each channel (channel, inboxId, externalId)'),
    },
  },
  {
    fact: 'conversation',
    description: { zh: '当前会话', en: 'The current conversation' },
    properties: {
      channel: prop('string', '渠道，如 webchat、wechat', 'Channel, such as webchat, wechat'),
      inboxId: prop('string', '接入点编号', 'Inbox id'),
      status: prop('string', '会话状态', 'Conversation status', ['bot', 'queued', 'assigned', 'survey', 'closed']),
      waitSeconds: prop('number', '客户已等待的秒数', 'Seconds the customer has been waiting'),
      botAnswered: prop('boolean', '机器人是否回答了最新消息', 'Whether the bot answered the latest message'),
      botConfidence: prop('number', '机器人回答的置信度（0–1）', "Confidence of the bot's answer (0–1)"),
      attempts: prop('number', '本会话中机器人尝试的次数', 'Bot attempts in this conversation'),
      previousAgentId: prop('string', '上次服务该客户的坐席编号；没有则为空', 'Id of the agent who last served this customer; empty if none'),
    },
  },
  {
    fact: 'time',
    description: { zh: '当前时间（按流程设置的时区）', en: "The current time, in the flow's time zone" },
    properties: {
      now: prop('number', '当前时刻（毫秒时间戳）', 'Now, as epoch milliseconds'),
      weekday: prop('number', '星期几（星期一=1 … 星期日=7）', 'Day of the week (Monday = 1 … Sunday = 7)'),
      hour: prop('number', '小时（0–23）', 'Hour (0–23)'),
      minute: prop('number', '分钟（0–59）', 'Minute (0–59)'),
      date: prop('string', '日期，YYYY-MM-DD', 'Date, YYYY-MM-DD'),
      holiday: prop('boolean', '是否为节假日', 'Whether the date is a holiday'),
      open: prop('boolean', '是否在营业时间内（开始节点设置的营业时间；节假日不营业）', 'Within business hours (set on the start node; closed on holidays)'),
    },
  },
  {
    fact: 'queue',
    description: { zh: '会话所在（或将进入）的队列；仅在规则用到时才查询', en: 'The queue the conversation is in (or heads for); looked up only when a rule uses it' },
    properties: {
      name: prop('string', '队列名称', 'Queue name'),
      waiting: prop('number', '排队中的会话数', 'Conversations waiting'),
      agentsAvailable: prop('number', '可接待的在线坐席数', 'Agents online with free capacity'),
    },
  },
];

export interface TimeFact {
  now: number;
  weekday: number;
  hour: number;
  minute: number;
  date: string;
  holiday: boolean;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a DateTimeFormat costs far more than formatting with it, and a
// flow uses one time zone: keep one per zone (a pure cache, safe in workflows).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The `time` fact for the instant `nowMs` in `timeZone`; `holidays` are
 * 'YYYY-MM-DD' dates in that zone. Pure: workflows pass workflow time.
 */
export function timeFacts(nowMs: number, timeZone: string = DEFAULT_TIME_ZONE, holidays: readonly string[] = []): TimeFact {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(nowMs)) parts[type] = value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    now: nowMs,
    weekday: WEEKDAYS[parts.weekday],
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    date,
    holiday: holidays.includes(date),
  };
}

// Shared by the ops component tests: the i18n context and sample data shaped
// like the API's answers (server/ops/types.ts).
import type { ReactNode } from 'react';
import { I18nContext, translate, type Lang, type MessageKey } from '../i18n';
import type { ConversationOps, StuckList } from './api';

export function withI18n(ui: ReactNode, lang: Lang = 'en') {
  const i18n = { lang, setLang: () => {}, t: (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params) };
  return <I18nContext value={i18n}>{ui}</I18nContext>;
}

export const GENERATED_AT = '2025-03-01T10:00:00.000Z';

export function sampleList(): StuckList {
  return {
    items: [
      {
        workflowId: 'conversation-web-1',
        runId: 'run-1',
        conversationId: 'c1',
        inboxId: 'web-main',
        channel: 'webchat',
        flowId: 'support',
        flowVersion: 3,
        step: 'lookup-order',
        status: 'bot',
        reasons: ['activity-failing', 'idle'],
        reason: 'activity-failing',
        since: '2025-03-01T09:48:00.000Z',
        lastError: 'HTTP 503 from https://orders.example.com/api/orders/42: the upstream service is unavailable, retry later please',
        attempts: 7,
        startedAt: '2025-03-01T09:40:00.000Z',
      },
      {
        workflowId: 'conversation-wechat-2',
        runId: 'run-2',
        inboxId: 'wx-service',
        channel: 'wechat',
        flowId: 'support',
        flowVersion: 2,
        step: 'queue',
        status: 'queued',
        reasons: ['sla-breached'],
        reason: 'sla-breached',
        since: '2025-03-01T07:55:00.000Z',
        startedAt: '2025-03-01T07:50:00.000Z',
      },
    ],
    counts: { 'activity-failing': 4, 'workflow-task-failing': 1, 'sla-breached': 9, idle: 2 },
    total: 16,
    idleThresholdMinutes: 30,
    generatedAt: GENERATED_AT,
    tookMs: 42,
  };
}

export function sampleConversation(): ConversationOps {
  return {
    workflowId: 'conversation-web-1',
    runId: 'run-1',
    executionStatus: 'Running',
    conversationId: 'c1',
    inboxId: 'web-main',
    channel: 'webchat',
    flowId: 'support',
    flowVersion: 3,
    step: 'lookup-order',
    status: 'bot',
    stuck: { reasons: ['activity-failing'], reason: 'activity-failing', since: '2025-03-01T09:48:00.000Z', lastError: 'HTTP 503 from orders', attempts: 7 },
    timeline: [
      { eventId: 1, at: '2025-03-01T09:40:00.000Z', kind: 'started', title: { zh: '会话开始', en: 'Conversation started' } },
      { eventId: 5, resetEventId: 4, at: '2025-03-01T09:40:01.000Z', kind: 'message-received', title: { zh: '收到消息', en: 'Message received' }, detail: 'Where is my order 42?' },
      { eventId: 9, resetEventId: 8, at: '2025-03-01T09:40:02.000Z', kind: 'rules', step: 'route', title: { zh: '规则分流', en: 'Rules routed it' }, detail: 'fired: order-question' },
      { eventId: 14, at: '2025-03-01T09:48:00.000Z', kind: 'activity-failed', step: 'lookup-order', title: { zh: '查询订单失败', en: 'Order lookup failed' }, attempt: 7, error: 'HTTP 503 from orders' },
    ],
    history: { events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }] },
    temporalUiUrl: 'http://localhost:8233/namespaces/default/workflows/conversation-web-1/run-1/history',
  };
}

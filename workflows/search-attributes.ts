// The search attributes conversations keep up to date in Temporal visibility,
// so operators find them by query instead of scanning (see server/ops/stuck.ts).
// Registered by the launcher, the worker and the tests (server/search-attributes.ts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  inbox: defineSearchAttributeKey('HuiliuInbox', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('HuiliuChannel', SearchAttributeType.KEYWORD),
  conversation: defineSearchAttributeKey('HuiliuConversation', SearchAttributeType.KEYWORD),
  flow: defineSearchAttributeKey('HuiliuFlow', SearchAttributeType.KEYWORD),
  flowVersion: defineSearchAttributeKey('HuiliuFlowVersion', SearchAttributeType.INT),
  /** The flow node the conversation is at. */
  step: defineSearchAttributeKey('HuiliuStep', SearchAttributeType.KEYWORD),
  /** bot | queued | assigned | survey | closed */
  status: defineSearchAttributeKey('HuiliuStatus', SearchAttributeType.KEYWORD),
  /** When it last moved (a step, a status or a message handled), to the minute. */
  movedAt: defineSearchAttributeKey('HuiliuMovedAt', SearchAttributeType.DATETIME),
  /** While it waits in a queue unaccepted: when its SLA runs out. */
  slaDueAt: defineSearchAttributeKey('HuiliuSlaDueAt', SearchAttributeType.DATETIME),
  /** Why it cannot go on by itself (`activity-failing`), while that lasts. */
  stuck: defineSearchAttributeKey('HuiliuStuck', SearchAttributeType.KEYWORD),
  stuckSince: defineSearchAttributeKey('HuiliuStuckSince', SearchAttributeType.DATETIME),
} as const;

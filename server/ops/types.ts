// What the operations API (/api/v1/ops, operator and admin roles) answers: the
// contract shared by the server, the CLI (`huiliu ops`) and the ops console.

/**
 * Why a conversation counts as stuck, most urgent first:
 * - activity-failing: a step's activity failed its retries and keeps being retried;
 * - workflow-task-failing: the workflow code itself fails (a bug, or a nondeterminism after a deploy);
 * - sla-breached: it waited in a queue past its SLA with nobody taking it;
 * - idle: it has not moved for longer than the idle threshold.
 */
export const STUCK_REASONS = ['activity-failing', 'workflow-task-failing', 'sla-breached', 'idle'] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

export interface StuckFilter {
  inbox?: string;
  channel?: string;
  flowId?: string;
  flowVersion?: number;
  reason?: StuckReason;
  /** Only conversations stuck for at least this long. */
  minAgeMinutes?: number;
  /** At most this many items (counts are over all). Default 200, at most 1000. */
  limit?: number;
}

/** Which conversation a run is and where it is, from its search attributes. */
export interface ConversationPlace {
  workflowId: string;
  runId: string;
  conversationId?: string;
  inboxId?: string;
  channel?: string;
  flowId?: string;
  flowVersion?: number;
  /** The flow node it is at. */
  step?: string;
  /** bot | queued | assigned | survey | closed */
  status?: string;
}

export interface StuckConversation extends ConversationPlace {
  /** Every reason that applies, most urgent first; `reason` is the first. */
  reasons: StuckReason[];
  reason: StuckReason;
  /** ISO time the reason began. */
  since: string;
  lastError?: string;
  /** Attempts so far of what is failing. */
  attempts?: number;
  startedAt: string;
}

export interface StuckList {
  items: StuckConversation[];
  /** Per reason, over everything that matched the filter (not only the listed items). */
  counts: Record<StuckReason, number>;
  /** The counts of the reasons asked for, summed (a conversation stuck for two reasons counts twice). */
  total: number;
  idleThresholdMinutes: number;
  generatedAt: string;
  tookMs: number;
}

export type TimelineKind =
  | 'started' | 'message-received' | 'normalized' | 'bot' | 'rules' | 'queued' | 'offered' | 'assigned'
  | 'accepted' | 'escalated' | 'transferred' | 'message-sent' | 'survey' | 'closed' | 'step'
  | 'activity-failed' | 'task-failed' | 'waiting' | 'operator' | 'continued' | 'ended';

export interface TimelineEntry {
  /** The history event this entry was read from. */
  eventId: number;
  /**
   * Resetting to this event id (a WorkflowTaskCompleted/Started/Failed event)
   * runs the conversation again from just before this entry. Absent when the
   * entry cannot be a reset point (the start of the run has none before it).
   */
  resetEventId?: number;
  at: string;
  kind: TimelineKind;
  /** The flow node (activity summary), when there is one. */
  step?: string;
  title: { zh: string; en: string };
  /** Business detail: the text received or sent, the bot's confidence, which rules fired, the queue. */
  detail?: string;
  attempt?: number;
  error?: string;
}

export interface ConversationOps extends ConversationPlace {
  /** Temporal's execution status: Running, Completed, Terminated, Failed, ContinuedAsNew, ... */
  executionStatus: string;
  /** Present when it is stuck now. */
  stuck?: Pick<StuckConversation, 'reasons' | 'reason' | 'since' | 'lastError' | 'attempts'>;
  timeline: TimelineEntry[];
  /** The run's raw history, as Temporal's JSON (historyToJSON). */
  history: unknown;
  /** Deep link into the Temporal web UI, when its URL is configured (TEMPORAL_UI_URL). */
  temporalUiUrl?: string;
}

export interface ReplayCheckResult {
  workflowId: string;
  runId?: string;
  compatible: boolean;
  /** Where the deployed code diverges from the history, when it does. */
  divergence?: { eventId?: number; message: string };
}

export const OPS_ACTIONS = ['retry', 'reset', 'reroute', 'replay-check', 'terminate'] as const;
export type OpsAction = (typeof OPS_ACTIONS)[number];

/** The bodies of POST /api/v1/ops/conversations/{workflowId}/{action}; every one needs a reason. */
export interface ActionBodies {
  retry: { reason: string };
  /** eventId: a timeline entry's resetEventId. */
  reset: { reason: string; eventId: number };
  /** Exactly one of queue, agentId or nodeId (a flow step). */
  reroute: { reason: string; queue?: string; agentId?: string; nodeId?: string };
  'replay-check': { reason: string };
  /** message: what the customer is told; a bilingual default when absent. */
  terminate: { reason: string; message?: string };
}

export interface ActionResult {
  workflowId: string;
  action: OpsAction;
  ok: boolean;
  /** What happened, in words. */
  summary: string;
  /** reset: the new run. */
  runId?: string;
  replay?: ReplayCheckResult;
  auditId: string;
}

/** POST /api/v1/ops/bulk */
export interface BulkRequest {
  action: OpsAction;
  filter: StuckFilter;
  /** The action's body without `reason` (reset: { eventId } is not allowed in bulk; use 'reset' with { to: 'last-good' }). */
  params?: Record<string, unknown>;
  reason: string;
  dryRun?: boolean;
}

export interface BulkPlanItem {
  workflowId: string;
  reason: StuckReason;
  /** What would be done to it, in words. */
  plan: string;
}

export interface BulkJob {
  jobId: string;
  action: OpsAction;
  status: 'running' | 'done';
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  results: { workflowId: string; ok: boolean; summary: string }[];
  startedAt: string;
  finishedAt?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; name: string; role: string };
  action: OpsAction | 'bulk';
  workflowId?: string;
  reason: string;
  params?: Record<string, unknown>;
  ok: boolean;
  result: string;
}

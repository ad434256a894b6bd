// Finding stuck conversations with Temporal visibility queries over the search
// attributes conversations keep (workflows/search-attributes.ts) and the one
// Temporal keeps itself for failing workflow tasks (TemporalReportedProblems):
// one count and one list query per reason, never a scan of all conversations.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { AppError } from '../errors';
import { STUCK_REASONS, type ConversationPlace, type StuckConversation, type StuckFilter, type StuckList, type StuckReason } from './types';

export interface StuckScope {
  client: Client;
  /** Only this deployment's conversations: its task queue. */
  taskQueue: string;
  idleMinutes: number;
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;
// Values go into a visibility query between single quotes.
const SAFE_VALUE = /^[\w.:@/+-]{1,200}$/;

/** The query that finds conversations stuck for `reason`, stuck at least `minAgeMinutes` before `now`. */
function reasonQuery(reason: StuckReason, now: number, idleMinutes: number, minAgeMinutes = 0): string {
  const before = (minutes: number) => `'${new Date(now - minutes * 60_000).toISOString()}'`;
  switch (reason) {
    case 'activity-failing':
      return `HuiliuStuck = 'activity-failing' AND HuiliuStuckSince <= ${before(minAgeMinutes)}`;
    case 'workflow-task-failing':
      // Temporal sets it after two failed workflow tasks in a row; it has no start time to filter on.
      return `TemporalReportedProblems IN ('category=WorkflowTaskFailed', 'category=WorkflowTaskTimedOut')`;
    case 'sla-breached':
      return `HuiliuSlaDueAt <= ${before(minAgeMinutes)}`;
    case 'idle':
      return `HuiliuMovedAt <= ${before(Math.max(idleMinutes, minAgeMinutes))}`;
  }
}

function scopeQuery(scope: StuckScope, filter: StuckFilter): string {
  const terms = [`WorkflowType = 'conversationWorkflow'`, `ExecutionStatus = 'Running'`, `TaskQueue = ${quoted('taskQueue', scope.taskQueue)}`];
  if (filter.inbox) terms.push(`HuiliuInbox = ${quoted('inbox', filter.inbox)}`);
  if (filter.channel) terms.push(`HuiliuChannel = ${quoted('channel', filter.channel)}`);
  if (filter.flowId) terms.push(`HuiliuFlow = ${quoted('flowId', filter.flowId)}`);
  if (filter.flowVersion !== undefined) terms.push(`HuiliuFlowVersion = ${Math.trunc(filter.flowVersion)}`);
  return terms.join(' AND ');
}

function quoted(name: string, value: string): string {
  if (!SAFE_VALUE.test(value)) throw new AppError(400, `${name} may only contain letters, digits and . : @ / + - _ (got ${JSON.stringify(value.slice(0, 50))})`);
  return `'${value}'`;
}

/** The search attribute's first value, from a list or describe result. */
export function attribute<T = unknown>(info: Pick<WorkflowExecutionInfo, 'searchAttributes'>, name: string): T | undefined {
  const value = (info.searchAttributes as Record<string, unknown[] | undefined>)[name];
  return value?.[0] as T | undefined;
}

/** Which reasons apply to one conversation now, most urgent first (for a single conversation's view). */
export function stuckReasons(info: Pick<WorkflowExecutionInfo, 'searchAttributes' | 'status'>, now: number, idleMinutes: number): StuckReason[] {
  if (info.status.name !== 'RUNNING') return [];
  const date = (name: string) => attribute<Date>(info, name)?.getTime();
  const problems = (info.searchAttributes as Record<string, string[] | undefined>).TemporalReportedProblems ?? [];
  const applies: Record<StuckReason, boolean> = {
    'activity-failing': attribute(info, 'HuiliuStuck') === 'activity-failing',
    'workflow-task-failing': problems.some((p) => p.startsWith('category=WorkflowTask')),
    'sla-breached': (date('HuiliuSlaDueAt') ?? Infinity) <= now,
    idle: (date('HuiliuMovedAt') ?? Infinity) <= now - idleMinutes * 60_000,
  };
  return STUCK_REASONS.filter((r) => applies[r]);
}

type ExecutionInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'searchAttributes' | 'memo' | 'startTime'>;

/** Which conversation a run is and where it is, from its list or describe result. */
export function placeOf(info: ExecutionInfo): ConversationPlace {
  const memo = info.memo ?? {};
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    conversationId: attribute(info, 'HuiliuConversation') ?? (typeof memo.conversationId === 'string' ? memo.conversationId : undefined),
    inboxId: attribute(info, 'HuiliuInbox'),
    channel: attribute(info, 'HuiliuChannel'),
    flowId: attribute(info, 'HuiliuFlow'),
    flowVersion: attribute(info, 'HuiliuFlowVersion'),
    step: attribute(info, 'HuiliuStep'),
    status: attribute(info, 'HuiliuStatus'),
  };
}

/** The list item for one stuck conversation (reasons not empty), from its list or describe result. */
export function stuckItem(info: ExecutionInfo, reasons: StuckReason[]): StuckConversation {
  const date = (name: string) => attribute<Date>(info, name)?.toISOString();
  const memo = info.memo ?? {};
  const reason = reasons[0];
  const since = {
    'activity-failing': date('HuiliuStuckSince'),
    'workflow-task-failing': undefined, // filled in from the pending workflow task (see describeTaskFailures)
    'sla-breached': date('HuiliuSlaDueAt'),
    idle: date('HuiliuMovedAt'),
  }[reason];
  return {
    ...placeOf(info),
    reasons,
    reason,
    since: since ?? info.startTime.toISOString(),
    ...(reason === 'activity-failing' && typeof memo.lastError === 'string' ? { lastError: memo.lastError } : {}),
    ...(reason === 'activity-failing' && typeof memo.attempts === 'number' ? { attempts: memo.attempts } : {}),
    startedAt: info.startTime.toISOString(),
  };
}

/**
 * A failing workflow task's first failure, attempts and error: from the
 * pending task and the newest events of the history, read backwards.
 */
export async function describeTaskFailure(client: Client, workflowId: string, runId: string) {
  const description = await client.workflow.getHandle(workflowId, runId).describe();
  const task = description.raw.pendingWorkflowTask;
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 20,
  });
  const failed = history?.events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
  const seconds = Number(task?.originalScheduledTime?.seconds ?? 0);
  return {
    since: seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined,
    attempts: task?.attempt ?? undefined,
    lastError: failed?.failure?.message ?? undefined,
  };
}

export async function listStuck(scope: StuckScope, filter: StuckFilter & { workflowIds?: string[] }): Promise<StuckList> {
  const started = Date.now();
  const limit = Math.min(Math.max(1, filter.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const base = scopeQuery(scope, filter);
  const queryOf = (reason: StuckReason) => `${base} AND ${reasonQuery(reason, started, scope.idleMinutes, filter.minAgeMinutes)}`;
  const wanted = filter.reason ? [filter.reason] : [...STUCK_REASONS];
  const only = filter.workflowIds ? new Set(filter.workflowIds) : undefined;

  // Counts cover every reason (the console's chips), whatever reason is filtered on.
  const [counts, found] = await Promise.all([
    Promise.all(STUCK_REASONS.map(async (r) => [r, (await scope.client.workflow.count(queryOf(r))).count] as const)),
    Promise.all(wanted.map(async (r) => {
      const infos: WorkflowExecutionInfo[] = [];
      for await (const info of scope.client.workflow.list({ query: queryOf(r), pageSize: limit })) {
        if (only && !only.has(info.workflowId)) continue;
        infos.push(info);
        if (infos.length >= limit) break;
      }
      return infos;
    })),
  ]);

  const byId = new Map<string, WorkflowExecutionInfo>();
  for (const info of found.flat()) byId.set(info.workflowId, info);
  let items = [...byId.values()].map((info) => stuckItem(info, stuckReasons(info, started, scope.idleMinutes).filter((r) => wanted.includes(r))))
    .filter((item) => item.reasons.length > 0);
  items = await Promise.all(items.map(async (item) => item.reason === 'workflow-task-failing'
    ? { ...item, ...definedOnly(await describeTaskFailure(scope.client, item.workflowId, item.runId)) }
    : item));
  if (filter.minAgeMinutes) items = items.filter((item) => Date.parse(item.since) <= started - filter.minAgeMinutes! * 60_000);
  items.sort((a, b) => a.since.localeCompare(b.since) || a.workflowId.localeCompare(b.workflowId));
  const countsByReason = Object.fromEntries(counts) as Record<StuckReason, number>;
  return {
    items: items.slice(0, limit),
    counts: countsByReason,
    total: wanted.reduce((n, r) => n + countsByReason[r], 0),
    idleThresholdMinutes: scope.idleMinutes,
    generatedAt: new Date(started).toISOString(),
    tookMs: Date.now() - started,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

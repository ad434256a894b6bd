// Typed client for the operations API (/api/v1/ops, operator or admin role):
// same origin, JSON, Bearer token, errors as the console's ApiError. The
// shapes are the server's contract (server/ops/types.ts).
import { request } from '../api';
import type {
  ActionBodies, ActionResult, BulkJob, BulkPlanItem, BulkRequest, ConversationOps, OpsAction, ReplayCheckResult,
  StuckConversation, StuckFilter, StuckList, StuckReason, TimelineEntry, TimelineKind,
} from '../../../server/ops/types';

export type {
  ActionBodies, ActionResult, BulkJob, BulkPlanItem, BulkRequest, ConversationOps, OpsAction, ReplayCheckResult,
  StuckConversation, StuckFilter, StuckList, StuckReason, TimelineEntry, TimelineKind,
};

/** Most urgent first, as the server orders them. */
export { STUCK_REASONS } from '../../../server/ops/types';

/** The actions a conversation page offers from its action bar (reset starts from a timeline entry). */
export type ConversationAction = Exclude<OpsAction, 'reset'>;

/** What bulk runs offer. */
export const BULK_ACTIONS = ['retry', 'reroute', 'terminate', 'replay-check'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/**
 * A bulk request as the console sends it: when rows are picked rather than
 * everything matching the filter, `params.workflowIds` restricts the set.
 */
export interface BulkSubmit extends BulkRequest {
  params?: Record<string, unknown> & { workflowIds?: string[] };
}

function call<T>(token: string, method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(`/api/v1/ops${path}`, { method, body, token, signal });
}

/** The query string of GET /stuck: only the fields that are set. */
export function stuckQuery(filter: StuckFilter): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter) as [string, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A dry run's plan, whether the server sends the list itself or wraps it (`{ plan }` or `{ items }`). */
export function planItems(payload: unknown): BulkPlanItem[] {
  if (Array.isArray(payload)) return payload as BulkPlanItem[];
  if (payload && typeof payload === 'object') {
    const { plan, items } = payload as { plan?: unknown; items?: unknown };
    if (Array.isArray(plan)) return plan as BulkPlanItem[];
    if (Array.isArray(items)) return items as BulkPlanItem[];
  }
  return [];
}

const seg = encodeURIComponent;

/** The ops API for one signed-in person. */
export function opsApi(token: string) {
  return {
    token,
    stuck: (filter: StuckFilter, signal?: AbortSignal) => call<StuckList>(token, 'GET', `/stuck${stuckQuery(filter)}`, undefined, signal),
    conversation: (workflowId: string, signal?: AbortSignal) =>
      call<ConversationOps>(token, 'GET', `/conversations/${seg(workflowId)}`, undefined, signal),
    act: <A extends OpsAction>(workflowId: string, action: A, body: ActionBodies[A]) =>
      call<ActionResult>(token, 'POST', `/conversations/${seg(workflowId)}/${action}`, body),
    dryRun: (request: BulkSubmit) => call<unknown>(token, 'POST', '/bulk', { ...request, dryRun: true }).then(planItems),
    runBulk: (request: BulkSubmit) => call<{ jobId: string }>(token, 'POST', '/bulk', { ...request, dryRun: undefined }),
    bulkJob: (jobId: string, signal?: AbortSignal) => call<BulkJob>(token, 'GET', `/bulk/${seg(jobId)}`, undefined, signal),
  };
}

export type OpsApi = ReturnType<typeof opsApi>;

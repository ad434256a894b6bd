// The same actions on every stuck conversation a filter finds: a dry run lists
// what would happen; a run works through them a few at a time in this server,
// with its progress in the database (any server answers GET /bulk/{jobId}).
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import type { Models } from '../../activities/store';
import type { Principal } from '../auth';
import { AppError } from '../errors';
import type { OpsService } from './service';
import { listStuck, type StuckScope } from './stuck';
import type { ActionBodies, BulkJob, BulkPlanItem, BulkRequest, OpsAction, StuckConversation } from './types';

const { EventType } = proto.temporal.api.enums.v1;
// Temporal and the database take a few calls per conversation; more in parallel only queues them up.
const CONCURRENCY = 8;
const PROGRESS_EVERY_MS = 250;
const MAX_TARGETS = 5000;

export class BulkOps {
  constructor(private readonly ops: OpsService, private readonly scope: StuckScope, private readonly models: Models) {}

  async plan(request: BulkRequest): Promise<{ dryRun: true; plan: BulkPlanItem[]; total: number }> {
    const targets = await this.targets(request);
    const describe = planOf(request);
    return { dryRun: true, plan: targets.map((t) => ({ workflowId: t.workflowId, reason: t.reason, plan: describe(t) })), total: targets.length };
  }

  /** Starts the job and answers at once with its id; the work goes on in the background. */
  async start(actor: Principal, request: BulkRequest): Promise<{ jobId: string; total: number }> {
    const targets = await this.targets(request);
    const jobId = randomUUID();
    const startedAt = new Date();
    await this.models.OpsJob.create({
      _id: jobId, action: request.action, status: 'running', total: targets.length, done: 0, succeeded: 0, failed: 0, results: [], startedAt, startedBy: actor.id,
    });
    await this.ops.audit({
      id: randomUUID(), actor, action: 'bulk', reason: request.reason, ok: true,
      params: { action: request.action, filter: request.filter, ...request.params, jobId, total: targets.length },
      result: `started ${request.action} on ${targets.length} conversation(s)`,
    });
    void this.work(actor, jobId, request, targets).catch((err) => console.error(`[huiliu] bulk job ${jobId} stopped: ${(err as Error).message}`));
    return { jobId, total: targets.length };
  }

  async job(jobId: string): Promise<BulkJob> {
    const doc = await this.models.OpsJob.findById(jobId).lean();
    if (!doc) throw new AppError(404, `no bulk job ${jobId}`);
    return {
      jobId, action: doc.action as OpsAction, status: doc.status as BulkJob['status'], total: doc.total, done: doc.done,
      succeeded: doc.succeeded, failed: doc.failed,
      results: doc.results.map((r) => ({ workflowId: r.workflowId ?? '', ok: Boolean(r.ok), summary: r.summary ?? '' })),
      startedAt: doc.startedAt.toISOString(), ...(doc.finishedAt ? { finishedAt: doc.finishedAt.toISOString() } : {}),
    };
  }

  private async targets(request: BulkRequest): Promise<StuckConversation[]> {
    const workflowIds = request.params?.workflowIds;
    if (workflowIds !== undefined && !(Array.isArray(workflowIds) && workflowIds.every((id) => typeof id === 'string'))) {
      throw new AppError(400, 'params.workflowIds must be a list of workflow ids');
    }
    const list = await listStuck(this.scope, { ...request.filter, limit: MAX_TARGETS, workflowIds: workflowIds as string[] | undefined });
    return list.items;
  }

  private async work(actor: Principal, jobId: string, request: BulkRequest, targets: StuckConversation[]) {
    const results: BulkJob['results'] = [];
    let next = 0;
    let lastSaved = 0;
    const save = async (final = false) => {
      lastSaved = Date.now();
      const succeeded = results.filter((r) => r.ok).length;
      await this.models.OpsJob.updateOne({ _id: jobId }, {
        $set: {
          done: results.length, succeeded, failed: results.length - succeeded, results,
          ...(final ? { status: 'done', finishedAt: new Date() } : {}),
        },
      });
    };
    const worker = async () => {
      while (next < targets.length) {
        const target = targets[next++];
        try {
          const body = await this.bodyFor(request, target);
          const result = await this.ops.act(actor, target.workflowId, request.action, body);
          results.push({ workflowId: target.workflowId, ok: result.ok, summary: result.summary });
        } catch (err) {
          results.push({ workflowId: target.workflowId, ok: false, summary: (err as Error).message });
        }
        if (Date.now() - lastSaved >= PROGRESS_EVERY_MS) await save();
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
    await save(true);
  }

  /** The action's body for one conversation; a bulk reset goes back to its last good step. */
  private async bodyFor(request: BulkRequest, target: StuckConversation): Promise<ActionBodies[OpsAction]> {
    if (request.action !== 'reset') {
      const params = { ...request.params };
      delete params.workflowIds; // which conversations, not how
      return { ...params, reason: request.reason } as ActionBodies[OpsAction];
    }
    const history = await this.scope.client.workflow.getHandle(target.workflowId, target.runId).fetchHistory();
    const lastGood = history.events?.findLast((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (!lastGood) throw new AppError(409, 'it has no completed step to go back to');
    return { reason: request.reason, eventId: Number(lastGood.eventId) };
  }
}

function planOf(request: BulkRequest): (t: StuckConversation) => string {
  const p = request.params ?? {};
  switch (request.action) {
    case 'retry':
      return (t) => `retry the failing step${t.step ? ` "${t.step}"` : ''} now`;
    case 'reset':
      return () => 'reset to its last good step and run again from there';
    case 'reroute':
      return () => `reroute to ${p.queue ? `queue ${String(p.queue)}` : p.agentId ? `agent ${String(p.agentId)}` : `flow step ${String(p.nodeId)}`}`;
    case 'replay-check':
      return () => 'replay its history against the code deployed now';
    case 'terminate':
      return () => `tell the customer ${p.message ? `"${String(p.message)}"` : 'the conversation has ended'}, close it and terminate the workflow`;
  }
}

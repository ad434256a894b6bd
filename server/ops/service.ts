// What operators do to conversations: look at one (timeline from its Temporal
// history), and retry, reset, reroute, replay-check or terminate it. Every
// action needs a reason and is written to the audit log with its outcome.
import { randomUUID } from 'node:crypto';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';
import type { WorkflowBundleOption } from '@temporalio/worker';
import type { createActivities } from '../../activities';
import type { Models } from '../../activities/store';
import { opsRerouteUpdate, opsRetryUpdate } from '../../workflows/messages';
import { systemTexts } from '../../workflows/texts';
import type { Principal } from '../auth';
import { refusalOf } from '../conversation-gateway';
import { AppError } from '../errors';
import { replayCheck } from './replay-check';
import { describeTaskFailure, placeOf, stuckItem, stuckReasons } from './stuck';
import { businessTimeline } from './timeline';
import type { ActionBodies, ActionResult, AuditEntry, ConversationOps, OpsAction } from './types';

type Activities = ReturnType<typeof createActivities>;
const { EventType, ResetReapplyType } = proto.temporal.api.enums.v1;
// An operator waits for the answer; a retry round takes a few seconds.
const ACTION_DEADLINE_MS = 60_000;
const UPDATE_ATTEMPTS = 3;
const GRPC_FAILED_PRECONDITION = 9;

export interface OpsDeps {
  client: Client;
  models: Models;
  namespace: string;
  taskQueue: string;
  idleMinutes: number;
  temporalUiUrl?: string;
  /** The workflow code deployed now, for replay checks (bundled on first use). */
  workflowBundle: () => Promise<WorkflowBundleOption>;
  /** The conversation activities the workflow uses: telling the customer (through their channel) and closing. */
  activities: Pick<Activities, 'sendMessage' | 'closeConversation'>;
}

export class OpsService {
  constructor(private readonly deps: OpsDeps) {}

  async conversation(workflowId: string): Promise<ConversationOps> {
    const { client } = this.deps;
    const handle = client.workflow.getHandle(workflowId);
    const description = await notFoundAs404(workflowId, () => handle.describe());
    const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
    const now = Date.now();
    const reasons = stuckReasons(description, now, this.deps.idleMinutes);
    const item = reasons.length > 0 ? stuckItem(description, reasons) : undefined;
    const taskFailure = reasons[0] === 'workflow-task-failing' ? await describeTaskFailure(client, workflowId, description.runId) : undefined;
    return {
      ...placeOf(description),
      executionStatus: titleCase(description.status.name),
      ...(item ? {
        stuck: {
          reasons, reason: reasons[0], since: taskFailure?.since ?? item.since,
          lastError: taskFailure?.lastError ?? item.lastError, attempts: taskFailure?.attempts ?? item.attempts,
        },
      } : {}),
      timeline: businessTimeline(history),
      history: JSON.parse(historyToJSON(history)),
      ...(this.deps.temporalUiUrl ? {
        temporalUiUrl: `${this.deps.temporalUiUrl}/namespaces/${encodeURIComponent(this.deps.namespace)}/workflows/${encodeURIComponent(workflowId)}/${description.runId}/history`,
      } : {}),
    };
  }

  /** Runs one action on one conversation and audits it, also when it fails. */
  async act<A extends OpsAction>(actor: Principal, workflowId: string, action: A, body: ActionBodies[A]): Promise<ActionResult> {
    const auditId = randomUUID();
    const { reason, ...params } = body;
    let result: Omit<ActionResult, 'auditId' | 'workflowId' | 'action'>;
    try {
      result = await this.run(workflowId, action, body);
    } catch (err) {
      await this.audit({ id: auditId, actor, action, workflowId, reason, params, ok: false, result: (err as Error).message });
      throw err;
    }
    await this.audit({ id: auditId, actor, action, workflowId, reason, params, ok: result.ok, result: result.summary });
    return { workflowId, action, ...result, auditId };
  }

  async audit(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const { id, ...fields } = entry;
    await this.deps.models.Audit.create({ _id: id, at: new Date(), ...fields });
  }

  async auditLog(limit: number, workflowId?: string): Promise<AuditEntry[]> {
    const docs = await this.deps.models.Audit.find(workflowId ? { workflowId } : {}).sort({ at: -1 }).limit(limit).lean();
    return docs.map(({ _id, at, actor, ...rest }) => ({
      ...rest, id: _id, at: at.toISOString(), actor: { id: actor?.id ?? '', name: actor?.name ?? '', role: actor?.role ?? '' },
    }) as AuditEntry);
  }

  private async run(workflowId: string, action: OpsAction, body: ActionBodies[OpsAction]) {
    switch (action) {
      case 'retry':
        return this.retry(workflowId);
      case 'reset':
        return this.reset(workflowId, body as ActionBodies['reset']);
      case 'reroute':
        return this.reroute(workflowId, body as ActionBodies['reroute']);
      case 'replay-check':
        return this.replayCheck(workflowId);
      case 'terminate':
        return this.terminate(workflowId, body as ActionBodies['terminate']);
    }
  }

  private async retry(workflowId: string) {
    const handle = this.deps.client.workflow.getHandle(workflowId);
    const description = await notFoundAs404(workflowId, () => handle.describe());
    const reasons = stuckReasons(description, Date.now(), this.deps.idleMinutes);
    if (reasons.includes('workflow-task-failing') && !reasons.includes('activity-failing')) {
      throw new AppError(409, 'its workflow code fails, which retrying does not change: run a replay check, deploy a fix, then reset it to the last good step');
    }
    const outcome = await this.update(workflowId, (updateId) => handle.executeUpdate(opsRetryUpdate, { updateId }));
    return outcome.recovered
      ? { ok: true, summary: 'retried: the failing step works now and the conversation goes on' }
      : { ok: false, summary: `retried: the step failed again (${outcome.error}); it keeps retrying on its own` };
  }

  private async reset(workflowId: string, body: ActionBodies['reset']) {
    const { client, namespace } = this.deps;
    const description = await notFoundAs404(workflowId, () => client.workflow.getHandle(workflowId).describe());
    const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
    const event = history.events?.find((e) => Number(e.eventId) === body.eventId);
    if (event?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      throw new AppError(400, `event ${body.eventId} is not a step the conversation can be reset to; use a resetEventId from its timeline`);
    }
    const reset = client.workflowService.resetWorkflowExecution({
      namespace, workflowExecution: { workflowId, runId: description.runId }, workflowTaskFinishEventId: event.eventId,
      reason: body.reason, requestId: randomUUID(),
      // Messages that arrived after that point are handed to the new run again; its sends are keyed
      // by message id, so what the customer already received is not sent twice.
      resetReapplyType: ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL,
    }) as Promise<proto.temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse>;
    const { runId } = await reset;
    return { ok: true, runId: runId ?? undefined, summary: `reset to event ${body.eventId}: the conversation runs again from there (new run ${runId})` };
  }

  private async reroute(workflowId: string, body: ActionBodies['reroute']) {
    const { models, client } = this.deps;
    if (body.queue !== undefined && !(await models.Queue.exists({ _id: body.queue }))) throw new AppError(400, `no such queue: ${body.queue}`);
    if (body.agentId !== undefined && !(await models.Agent.exists({ _id: body.agentId, role: 'agent' }))) throw new AppError(400, `no such agent: ${body.agentId}`);
    const target = { queue: body.queue, agentId: body.agentId, nodeId: body.nodeId };
    await this.update(workflowId, (updateId) => client.workflow.getHandle(workflowId).executeUpdate(opsRerouteUpdate, { args: [target], updateId }));
    const to = body.queue !== undefined ? `queue ${body.queue}` : body.agentId !== undefined ? `agent ${body.agentId}` : `flow step ${body.nodeId}`;
    return { ok: true, summary: `rerouted to ${to}` };
  }

  private async replayCheck(workflowId: string) {
    const { client } = this.deps;
    const description = await notFoundAs404(workflowId, () => client.workflow.getHandle(workflowId).describe());
    const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
    const replay = await replayCheck(await this.deps.workflowBundle(), history, workflowId, description.runId);
    const summary = replay.compatible
      ? 'compatible: the code deployed now replays this conversation'
      : `incompatible${replay.divergence?.eventId ? ` at event ${replay.divergence.eventId}` : ''}: ${replay.divergence?.message}`;
    return { ok: replay.compatible, replay, summary };
  }

  private async terminate(workflowId: string, body: ActionBodies['terminate']) {
    const { client, models } = this.deps;
    const handle = client.workflow.getHandle(workflowId);
    const description = await notFoundAs404(workflowId, () => handle.describe());
    if (description.status.name !== 'RUNNING') throw new AppError(409, `the conversation is not running (${titleCase(description.status.name)})`);
    const { conversationId } = placeOf(description);
    const conversation = conversationId ? await models.Conversation.findById(conversationId).lean() : null;
    if (conversation) {
      const ref = { conversationId: conversation._id, inboxId: conversation.inboxId, channel: conversation.channel, visitorId: conversation.visitorId };
      const language = conversation.language === 'en' ? 'en' : 'zh';
      const text = body.message?.trim() || systemTexts.ended[language];
      // Keyed by the run, so a repeated terminate of the same run does not message the customer twice.
      const messageId = `${conversation._id}:out:ended-${description.runId}`;
      await this.deps.activities.sendMessage({ ...ref, messageId, text, author: 'system', kind: 'text', at: Date.now() });
      await this.deps.activities.closeConversation(ref);
    }
    await handle.terminate(`operator: ${body.reason}`);
    return { ok: true, summary: conversation ? 'terminated; the customer was told and the conversation is closed' : 'terminated' };
  }

  /**
   * A workflow update with a deadline; a refusal is a 409 with the workflow's
   * reason. Temporal fails an update whose workflow task was refused (say the
   * conversation finished while a timer fired: UnhandledCommand) though the
   * workflow goes on; such an update is sent again, under the same id so it
   * is applied once.
   */
  private async update<T>(workflowId: string, call: (updateId: string) => Promise<T>): Promise<T> {
    const updateId = randomUUID();
    try {
      return await this.deps.client.connection.withDeadline(Date.now() + ACTION_DEADLINE_MS, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await call(updateId);
          } catch (err) {
            const taskFailed = err instanceof ServiceError && (err.cause as { code?: number } | undefined)?.code === GRPC_FAILED_PRECONDITION;
            if (!taskFailed || attempt >= UPDATE_ATTEMPTS) throw err;
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError(404, `no running conversation ${workflowId}`);
      const refusal = err instanceof WorkflowUpdateFailedError ? refusalOf(err) : undefined;
      if (refusal) throw new AppError(409, refusal);
      if (err instanceof AppError) throw err;
      throw new AppError(503, `the conversation did not answer in time (${(err as Error).message}); if its workflow code fails, run a replay check and reset it`);
    }
  }
}

async function notFoundAs404<T>(workflowId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new AppError(404, `no conversation workflow ${workflowId}`);
    throw err;
  }
}

const titleCase = (name: string) => name.charAt(0) + name.slice(1).toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

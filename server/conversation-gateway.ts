// The server's side of the conversation workflows: delivering inbound
// messages (signalWithStart) and agents' actions (updates).
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { InboundMessage } from '../activities/types';
import type { ConversationInput } from '../workflows/conversation';
import {
  acceptUpdate, agentReplyUpdate, closeUpdate, conversationWorkflowId, declineUpdate, inboundMessageSignal, requestSurveyUpdate, transferUpdate,
  type AgentInput, type SurveyRequestInput, type TransferInput,
} from '../workflows/messages';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { AppError } from './errors';

const ID_CACHE_LIMIT = 10_000;
// Failure types that mean "no, and retrying won't change it" (see activities/errors.ts and the workflow's validators).
const REFUSALS = ['Refused', 'NotAvailable'];
// A webhook must be answered quickly, and a person should not wait forever on
// an agent action: past these, the caller gets a 503 and may retry.
const DELIVER_DEADLINE_MS = 5_000;
const AGENT_ACTION_DEADLINE_MS = 15_000;

export class ConversationGateway {
  /** Run id → conversation id: later messages to the same run skip the describe call. */
  private readonly conversationIds = new Map<string, string>();
  /** Workflow id → the conversation its latest delivery reached (may have closed since: the caller checks). */
  private readonly latest = new Map<string, string>();

  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  /**
   * Hands the message to the visitor's open conversation, or starts one. Once
   * this returns, Temporal holds the message durably.
   */
  async deliver(ref: { inboxId: string; channel: string; visitorId: string }, message: InboundMessage): Promise<{ conversationId: string }> {
    return this.call(DELIVER_DEADLINE_MS, 'the conversation service is unavailable; the message was not accepted, please retry', async () => {
      const handle = await this.signalWithStart(ref, message);
      const conversationId = await this.conversationIdOf(handle.workflowId, handle.signaledRunId);
      remember(this.latest, handle.workflowId, conversationId);
      return { conversationId };
    });
  }

  /** The conversation the latest delivery to this workflow id reached, if this process delivered to it. */
  knownConversation(workflowId: string): string | undefined {
    return this.latest.get(workflowId);
  }

  private signalWithStart(ref: { inboxId: string; channel: string; visitorId: string }, message: InboundMessage) {
    const input: ConversationInput = { inboxId: ref.inboxId, channel: ref.channel, visitorId: ref.visitorId };
    return this.client.workflow.signalWithStart('conversationWorkflow', {
      workflowId: conversationWorkflowId(ref.inboxId, ref.visitorId),
      taskQueue: this.taskQueue,
      args: [input],
      // Used only when this call starts a new conversation.
      memo: { conversationId: randomUUID() },
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.inbox, value: ref.inboxId }, { key: SEARCH_ATTRIBUTES.channel, value: ref.channel }],
      signal: inboundMessageSignal,
      signalArgs: [message],
    });
  }

  private async conversationIdOf(workflowId: string, runId: string): Promise<string> {
    const cached = this.conversationIds.get(runId);
    if (cached) return cached;
    const { memo } = await this.client.workflow.getHandle(workflowId, runId).describe();
    const conversationId = String(memo?.conversationId);
    remember(this.conversationIds, runId, conversationId);
    return conversationId;
  }

  accept(workflowId: string, input: AgentInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(acceptUpdate, { args: [input] }));
  }

  transfer(workflowId: string, input: TransferInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(transferUpdate, { args: [input] }));
  }

  decline(workflowId: string, input: AgentInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(declineUpdate, { args: [input] }));
  }

  requestSurvey(workflowId: string, input: SurveyRequestInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(requestSurveyUpdate, { args: [input] }));
  }

  reply(workflowId: string, input: AgentInput & { text: string }) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(agentReplyUpdate, { args: [input] }));
  }

  close(workflowId: string, input: AgentInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(closeUpdate, { args: [input] }));
  }

  /** A refused update is the agent's conflict (409), with the workflow's reason. */
  private update<T>(workflowId: string, call: () => Promise<T>): Promise<T> {
    return this.call(AGENT_ACTION_DEADLINE_MS, 'the conversation could not do this now (busy or unavailable); please retry', async () => {
      try {
        return await call();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new AppError(409, 'the conversation is no longer open', { workflowId });
        const refusal = err instanceof WorkflowUpdateFailedError ? refusalOf(err) : undefined;
        if (refusal) throw new AppError(409, refusal, { workflowId });
        throw err;
      }
    });
  }

  /** Runs a Temporal call with a deadline; Temporal being down or slow is a 503, never a 500. */
  private async call<T>(deadlineMs: number, unavailable: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.client.connection.withDeadline(Date.now() + deadlineMs, fn);
    } catch (err) {
      if (err instanceof AppError) throw err;
      console.error(`[huiliu] Temporal call failed: ${(err as Error).message}`);
      throw new AppError(503, unavailable, { retryable: true });
    }
  }
}

/** Sets a key in a map capped at ID_CACHE_LIMIT entries, forgetting the oldest first. */
function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  if (map.size >= ID_CACHE_LIMIT) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** The reason when the workflow refused the action (validator or a permanent activity refusal), not when it failed. */
export function refusalOf(err: WorkflowUpdateFailedError): string | undefined {
  for (let cause: unknown = err.cause; cause instanceof TemporalFailure; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && REFUSALS.includes(cause.type ?? '')) return cause.message;
  }
  return undefined;
}

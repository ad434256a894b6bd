// The server's side of the conversation workflows: delivering inbound
// messages (signalWithStart) and agents' actions (updates).
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { InboundMessage } from '../activities/types';
import type { ConversationInput } from '../workflows/conversation';
import {
  acceptUpdate, agentReplyUpdate, closeUpdate, conversationWorkflowId, inboundMessageSignal, type AgentInput,
} from '../workflows/messages';
import { AppError } from './errors';

const ID_CACHE_LIMIT = 10_000;

export class ConversationGateway {
  /** Run id → conversation id: later messages to the same run skip the describe call. */
  private readonly conversationIds = new Map<string, string>();

  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  /**
   * Hands the message to the visitor's open conversation, or starts one. Once
   * this returns, Temporal holds the message durably.
   */
  async deliver(ref: { inboxId: string; channel: string; visitorId: string }, message: InboundMessage): Promise<{ conversationId: string }> {
    const input: ConversationInput = { inboxId: ref.inboxId, channel: ref.channel, visitorId: ref.visitorId };
    const handle = await this.client.workflow.signalWithStart('conversationWorkflow', {
      workflowId: conversationWorkflowId(ref.inboxId, ref.visitorId),
      taskQueue: this.taskQueue,
      args: [input],
      // Used only when this call starts a new conversation.
      memo: { conversationId: randomUUID() },
      signal: inboundMessageSignal,
      signalArgs: [message],
    });
    return { conversationId: await this.conversationIdOf(handle.workflowId, handle.signaledRunId) };
  }

  private async conversationIdOf(workflowId: string, runId: string): Promise<string> {
    const cached = this.conversationIds.get(runId);
    if (cached) return cached;
    const { memo } = await this.client.workflow.getHandle(workflowId, runId).describe();
    const conversationId = String(memo?.conversationId);
    if (this.conversationIds.size >= ID_CACHE_LIMIT) this.conversationIds.delete(this.conversationIds.keys().next().value!);
    this.conversationIds.set(runId, conversationId);
    return conversationId;
  }

  accept(workflowId: string, input: AgentInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(acceptUpdate, { args: [input] }));
  }

  reply(workflowId: string, input: AgentInput & { text: string }) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(agentReplyUpdate, { args: [input] }));
  }

  close(workflowId: string, input: AgentInput) {
    return this.update(workflowId, () => this.client.workflow.getHandle(workflowId).executeUpdate(closeUpdate, { args: [input] }));
  }

  /** A refused or failed update is the agent's conflict (409), with the workflow's reason. */
  private async update<T>(workflowId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause as { message?: string; cause?: { message?: string } } | undefined;
        throw new AppError(409, cause?.cause?.message ?? cause?.message ?? 'the conversation refused this action', { workflowId });
      }
      if ((err as Error).name === 'WorkflowNotFoundError') throw new AppError(409, 'the conversation is no longer open', { workflowId });
      throw err;
    }
  }
}

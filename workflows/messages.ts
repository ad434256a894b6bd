// The conversation workflow's messages: one input object each, camelCase wire names.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConversationStatus, InboundMessage, Language } from '../activities/types';

export const TASK_QUEUE = 'conversations';

export const conversationWorkflowId = (inboxId: string, visitorId: string) => `conv:${inboxId}:${visitorId}`;

export interface AgentInput {
  /** The conversation the agent means: a later conversation of the same visitor refuses it. */
  conversationId: string;
  agentId: string;
}
export interface AgentReplyInput extends AgentInput {
  text: string;
}

export interface ConversationSnapshot {
  conversationId: string;
  status: ConversationStatus;
  nodeId?: string;
  agentId?: string;
  accepted: boolean;
  queue?: string;
  language: Language;
  pendingMessages: number;
}

/** A customer's message, sent with signalWithStart by the channel webhook. */
export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
/** An agent came online or freed a seat and could take this waiting conversation: look for an agent now. */
export const assignNowSignal = defineSignal('assignNow');
/** An agent takes the conversation (offered to them, or still waiting in the queue). */
export const acceptUpdate = defineUpdate<ConversationSnapshot, [AgentInput]>('accept');
/** The agent it is offered to turns it down: the next agent gets it; they are not offered it again. */
export const declineUpdate = defineUpdate<ConversationSnapshot, [AgentInput]>('decline');
/** An agent's reply; returns the id of the stored message. */
export const agentReplyUpdate = defineUpdate<{ messageId: string }, [AgentReplyInput]>('agentReply');
/** The agent is done; the survey follows. */
export const closeUpdate = defineUpdate<ConversationSnapshot, [AgentInput]>('close');
export const snapshotQuery = defineQuery<ConversationSnapshot>('snapshot');

export interface TransferInput extends AgentInput {
  /** Exactly one of another queue or another agent. */
  queue?: string;
  toAgentId?: string;
  /** What the next agent should know. */
  note?: string;
}
/** The agent hands the conversation to another queue or agent, with a note the next agent sees. */
export const transferUpdate = defineUpdate<ConversationSnapshot, [TransferInput]>('transfer');

/** An operator's reroute: exactly one of a flow step, a queue or an agent. */
export interface OpsRerouteInput {
  nodeId?: string;
  queue?: string;
  agentId?: string;
}
/** An operator asks a failing step to be tried again now; answers once that round is over. */
export const opsRetryUpdate = defineUpdate<{ recovered: boolean; error?: string }, []>('ops.retry');
/** An operator sends the conversation to another flow step, queue or agent (applied at its next wait). */
export const opsRerouteUpdate = defineUpdate<ConversationSnapshot, [OpsRerouteInput]>('ops.reroute');

export interface SurveyRequestInput {
  conversationId: string;
  /** The agent asking (it must be theirs); absent when an API client asks. */
  agentId?: string;
}
/** Ask the customer for their rating now, while the agent still serves them; the flow's own survey step then skips a rated conversation. */
export const requestSurveyUpdate = defineUpdate<ConversationSnapshot, [SurveyRequestInput]>('requestSurvey');

// Pure rules for what an agent can do with a conversation and how it ended.
import type { Conversation, ConversationDetail } from './api';

export interface AgentActions {
  canAccept: boolean;
  canReply: boolean;
  canClose: boolean;
}

export function agentActions(conversation: Conversation, agentId: string): AgentActions {
  const mine = conversation.status === 'assigned' && conversation.agentId === agentId;
  const accepted = mine && Boolean(conversation.acceptedAt);
  return {
    canAccept: conversation.status === 'queued' || (mine && !accepted),
    canReply: accepted,
    canClose: accepted,
  };
}

export type SurveyOutcome =
  | { kind: 'rated'; rating: number }
  | { kind: 'waiting' }
  | { kind: 'timeout' }
  | { kind: 'unrated' };

/** How the satisfaction survey went; undefined until the conversation is finished (survey or closed). */
export function surveyOutcome(conversation: ConversationDetail): SurveyOutcome | undefined {
  // A rating the agent asked for during the conversation shows at once.
  const rating = conversation.survey?.rating ?? conversation.rating;
  if (rating !== undefined && rating !== null) return { kind: 'rated', rating };
  if (conversation.status !== 'survey' && conversation.status !== 'closed') return undefined;
  if (conversation.survey?.status === 'timeout') return { kind: 'timeout' };
  return conversation.status === 'survey' ? { kind: 'waiting' } : { kind: 'unrated' };
}

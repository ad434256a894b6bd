import type { Models } from './store';
import type { ConversationRef } from './types';

export interface SurveyRecord {
  /** The agent rated: the one serving when the survey was asked (after transfers, the last one). */
  agentId?: string;
  /** Every agent who accepted the conversation, in order. */
  servedBy?: string[];
  rating?: number;
  comment?: string;
  status: 'answered' | 'timeout';
  trigger?: 'flow' | 'agent' | 'api';
  reminded?: boolean;
}

export function surveyActivities(m: Models) {
  return {
    /** Stores the rating (or that none came in time) with the agent it rates; a later call adds the follow-up answer. */
    async storeSurvey(input: ConversationRef & SurveyRecord): Promise<void> {
      const now = new Date();
      const { agentId, servedBy, rating, comment, status, trigger, reminded } = input;
      await m.Survey.updateOne(
        { _id: input.conversationId },
        { $set: { agentId, servedBy, rating, status, trigger: trigger ?? 'flow', at: now, ...(comment === undefined ? {} : { comment }), ...(reminded ? { reminded } : {}) } },
        { upsert: true },
      );
      await m.Conversation.updateOne(
        { _id: input.conversationId },
        { $set: { rating: input.rating, surveyStatus: input.status, updatedAt: now } },
      );
    },
  };
}

import type { Models } from './store';
import type { ConversationRef } from './types';

export function surveyActivities(m: Models) {
  return {
    /** Stores the rating (or that none came in time) with the agent it rates. */
    async storeSurvey(input: ConversationRef & { agentId?: string; rating?: number; status: 'answered' | 'timeout' }): Promise<void> {
      const now = new Date();
      await m.Survey.updateOne(
        { _id: input.conversationId },
        { $set: { agentId: input.agentId, rating: input.rating, status: input.status, at: now } },
        { upsert: true },
      );
      await m.Conversation.updateOne(
        { _id: input.conversationId },
        { $set: { rating: input.rating, surveyStatus: input.status, updatedAt: now } },
      );
    },
  };
}

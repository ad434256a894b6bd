// What the API shows of stored documents.
import type { ConversationDoc } from '../activities/store/models';

type WithId<T> = T & { _id: string };

export function conversationView(c: WithId<ConversationDoc>) {
  return {
    id: c._id,
    inboxId: c.inboxId,
    channel: c.channel,
    visitorId: c.visitorId,
    status: c.status,
    flowId: c.flowId,
    flowVersion: c.flowVersion,
    language: c.language ?? null,
    botAnswered: c.botAnswered ?? null,
    queue: c.queue ?? null,
    priority: c.priority ?? null,
    agentId: c.agentId ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    escalated: c.escalated ?? false,
    rating: c.rating ?? null,
    surveyStatus: c.surveyStatus ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

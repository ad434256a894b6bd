// Opening and closing a conversation's read model, and pinning its flow.
import { defaultFlow } from '../rules/default-flow';
import type { PinnedFlow } from '../rules/flow';
import { conversationWorkflowId } from '../workflows/messages';
import { releaseSeats } from './assignment';
import type { Models } from './store';
import type { ConversationRef } from './types';

export function conversationActivities(m: Models) {
  return {
    /** Creates the conversation (idempotent) and returns the flow version it will run for its whole life. */
    async startConversation(ref: ConversationRef): Promise<PinnedFlow> {
      const flow = await loadPublishedFlow(m, ref.inboxId);
      const now = new Date();
      await m.Conversation.updateOne(
        { _id: ref.conversationId },
        {
          $setOnInsert: {
            workflowId: conversationWorkflowId(ref.inboxId, ref.visitorId), inboxId: ref.inboxId, channel: ref.channel, visitorId: ref.visitorId,
            status: 'bot', flowId: flow.flowId, flowVersion: flow.version, createdAt: now,
          },
          $set: { updatedAt: now },
        },
        { upsert: true },
      );
      return flow;
    },

    async closeConversation(ref: ConversationRef): Promise<void> {
      const now = new Date();
      await m.Conversation.updateOne({ _id: ref.conversationId }, { $set: { status: 'closed', closedAt: now, updatedAt: now } });
      await releaseSeats(m, ref.conversationId, null);
    },
  };
}

/** The inbox's published flow; the built-in default flow when it has none yet, so no message waits on configuration. */
async function loadPublishedFlow(m: Models, inboxId: string): Promise<PinnedFlow> {
  const inbox = await m.Inbox.findById(inboxId).lean();
  const flow = inbox ? await m.Flow.findById(inbox.flowId).lean() : null;
  if (flow && flow.publishedVersion > 0) {
    const version = await m.FlowVersion.findById(`${flow._id}@${flow.publishedVersion}`).lean();
    if (version) return { flowId: flow._id, version: version.version, definition: version.definition };
  }
  return { flowId: 'builtin-default', version: 0, definition: defaultFlow };
}

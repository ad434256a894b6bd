// Opening and closing a conversation's read model, and pinning its flow.
import { defaultFlow } from '../rules/default-flow';
import type { PinnedFlow } from '../rules/flow';
import { conversationWorkflowId } from '../workflows/messages';
import { releaseSeats } from './assignment';
import type { Models } from './store';
import type { ContactFacts } from '../rules/interpreter';
import { contactIdOf, type ConversationRef } from './types';

export function conversationActivities(m: Models) {
  return {
    /**
     * Creates the conversation (idempotent) and returns the flow version it
     * will run for its whole life, with the customer's contact for the rules.
     */
    async startConversation(ref: ConversationRef): Promise<PinnedFlow & { contact: ContactFacts }> {
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
      return { ...flow, contact: await openContact(m, ref, now) };
    },

    async closeConversation(ref: ConversationRef): Promise<void> {
      const now = new Date();
      await m.Conversation.updateOne({ _id: ref.conversationId }, { $set: { status: 'closed', closedAt: now, updatedAt: now } });
      await releaseSeats(m, ref.conversationId, null);
    },
  };
}

/** The customer's contact, created on their first conversation. */
async function openContact(m: Models, ref: ConversationRef, now: Date): Promise<ContactFacts> {
  const c = await m.Contact.findOneAndUpdate(
    { _id: contactIdOf(ref) },
    {
      $setOnInsert: { identities: [{ channel: ref.channel, inboxId: ref.inboxId, externalId: ref.visitorId }], createdAt: now },
      $set: { updatedAt: now },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return {
    id: c!._id, name: c!.name ?? undefined, attributes: c!.attributes ?? {}, tags: c!.tags, vip: c!.vip, segments: c!.segments, orders: c!.orders,
    channels: c!.identities.map((i) => ({ channel: i.channel ?? '', inboxId: i.inboxId ?? '', externalId: i.externalId ?? '' })),
    lastAgentId: c!.lastAgentId ?? undefined,
  };
}

/** The inbox's published flow; the built-in default flow when it has none yet, so no message waits on configuration. */
async function loadPublishedFlow(m: Models, inboxId: string): Promise<PinnedFlow> {
  const inbox = await m.Inbox.findById(inboxId).lean();
  const flow = inbox ? await m.Flow.findById(inbox.flowId).lean() : null;
  if (flow && flow.publishedVersion > 0) {
    // The flow's pointer can lag for an instant behind racing publishes (FerretDB v1 updates are not
    // isolated); the versions themselves are claimed by unique inserts, so step to the newest.
    let n = flow.publishedVersion;
    while (await m.FlowVersion.exists({ _id: `${flow._id}@${n + 1}` })) n++;
    const version = await m.FlowVersion.findById(`${flow._id}@${n}`).lean();
    if (version) return { flowId: flow._id, version: version.version, definition: version.definition };
  }
  return { flowId: 'builtin-default', version: 0, definition: defaultFlow };
}

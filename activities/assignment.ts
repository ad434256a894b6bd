// Queueing and assignment. Capacity is exact without transactions: an agent's
// `free` counter and `active` list change together in one document update,
// keyed by the conversation id, so a retried or racing step can neither
// over-fill an agent nor release a seat twice.
import { notAvailable } from './errors';
import { trusted, type Models } from './store';
import type { ConversationRef } from './types';

/** Takes a seat on one agent for the conversation; null when the agent (or any online agent) has none free. */
async function reserveSeat(m: Models, conversationId: string, agentFilter: Record<string, unknown>) {
  return m.Agent.findOneAndUpdate(
    trusted({ ...agentFilter, free: { $gt: 0 }, active: { $ne: conversationId } }),
    { $inc: { free: -1 }, $push: { active: conversationId }, $set: { lastAssignedAt: new Date() } },
    { sort: { free: -1, lastAssignedAt: 1 }, returnDocument: 'after' },
  ).lean();
}

/** Gives back the seats that agents other than `keep` hold for this conversation. */
export async function releaseAgentsExcept(m: Models, conversationId: string, keep: string | null) {
  await m.Agent.updateMany(
    trusted({ active: conversationId, ...(keep ? { _id: { $ne: keep } } : {}) }),
    { $inc: { free: 1 }, $pull: { active: conversationId } },
  );
}

export function assignmentActivities(m: Models) {
  return {
    async enqueue(input: ConversationRef & { queue: string; priority: number }): Promise<void> {
      const now = new Date();
      await m.Conversation.updateOne(
        { _id: input.conversationId },
        { $set: { status: 'queued', queue: input.queue, priority: input.priority, queuedAt: now, agentId: null, acceptedAt: null, updatedAt: now } },
      );
    },

    /** Offers the conversation to the online agent with the most free seats. */
    async tryAssign(input: ConversationRef & { queue: string }): Promise<{ agentId: string | null }> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (!conv || conv.status !== 'queued') return { agentId: conv?.agentId ?? null };
      if (conv.agentId) return { agentId: conv.agentId }; // a retry after success
      const agent = await reserveSeat(m, input.conversationId, { status: 'online' });
      if (!agent) return { agentId: null };
      const now = new Date();
      const res = await m.Conversation.updateOne(
        trusted({ _id: input.conversationId, status: 'queued', agentId: null }),
        { $set: { status: 'assigned', agentId: agent._id, offeredAt: now, updatedAt: now } },
      );
      if (res.modifiedCount === 0) {
        // An agent accepted it meanwhile: give our seat back.
        const current = await m.Conversation.findById(input.conversationId).lean();
        await releaseAgentsExcept(m, input.conversationId, current?.agentId ?? null);
        return { agentId: current?.agentId ?? null };
      }
      return { agentId: agent._id };
    },

    /** The agent takes the conversation: the one offered to them, or one still waiting in the queue. */
    async acceptConversation(input: ConversationRef & { agentId: string }): Promise<void> {
      const { conversationId, agentId } = input;
      const now = new Date();
      const offered = await m.Conversation.updateOne(
        trusted({ _id: conversationId, status: 'assigned', agentId }),
        { $set: { acceptedAt: now, updatedAt: now } },
      );
      if (offered.matchedCount > 0) return;

      const agent = await m.Agent.findById(agentId).lean();
      if (!agent) throw notAvailable(`unknown agent ${agentId}`);
      if (!(await reserveSeat(m, conversationId, { _id: agentId }))) {
        throw notAvailable('you are at full capacity; close a conversation first');
      }
      const taken = await m.Conversation.updateOne(
        trusted({ _id: conversationId, status: 'queued', agentId: null }),
        { $set: { status: 'assigned', agentId, offeredAt: now, acceptedAt: now, updatedAt: now } },
      );
      if (taken.modifiedCount === 0) {
        await releaseAgentsExcept(m, conversationId, null);
        throw notAvailable('another agent has taken this conversation');
      }
    },

    /** SLA missed: withdraw an unaccepted offer and move to the escalation queue with a higher priority. */
    async escalate(input: ConversationRef & { queue: string; priority: number }): Promise<{ escalated: boolean }> {
      const now = new Date();
      const res = await m.Conversation.updateOne(
        trusted({ _id: input.conversationId, status: { $in: ['queued', 'assigned'] }, acceptedAt: null }),
        { $set: { status: 'queued', agentId: null, queue: input.queue, priority: input.priority, escalated: true, escalatedAt: now, queuedAt: now, updatedAt: now } },
      );
      const escalated = res.matchedCount > 0;
      // Escalated: nobody keeps a seat. Accepted just before: the accepting agent keeps theirs.
      const keep = escalated ? null : ((await m.Conversation.findById(input.conversationId).lean())?.agentId ?? null);
      await releaseAgentsExcept(m, input.conversationId, keep);
      return { escalated };
    },

    /** The agent closed it: their seat is free again, the survey begins. */
    async finishAgentWork(input: ConversationRef & { agentId: string }): Promise<void> {
      const now = new Date();
      await m.Conversation.updateOne({ _id: input.conversationId }, { $set: { status: 'survey', updatedAt: now } });
      await releaseAgentsExcept(m, input.conversationId, null);
    },
  };
}

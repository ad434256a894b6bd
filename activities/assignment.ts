// Queueing and assignment. Two invariants hold on FerretDB v1 too, whose
// updates are not isolated: a conversation's document has one writer (its
// workflow runs these steps one at a time), and an agent's capacity is a set
// of seats taken by inserts with unique ids, so racing conversations can never
// put an agent above capacity and a retried step never takes a second seat.
import { notAvailable } from './errors';
import { isDuplicateKey, type Models } from './store';
import { contactIdOf, type ConversationRef } from './types';

/** Takes one of the agent's free seats for the conversation (or finds the one it holds already). */
async function takeSeat(m: Models, agent: { _id: string; capacity: number }, conversationId: string): Promise<boolean> {
  for (let k = 0; k < agent.capacity; k++) {
    const _id = `${agent._id}#${k}`;
    try {
      await m.Seat.create({ _id, agentId: agent._id, conversationId, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if ((await m.Seat.findById(_id).lean())?.conversationId === conversationId) return true;
    }
  }
  return false;
}

/** Gives back the seats held for this conversation, except the `keep` agent's. */
export async function releaseSeats(m: Models, conversationId: string, keep: string | null) {
  const seats = await m.Seat.find({ conversationId }).lean();
  await Promise.all(seats.filter((s) => s.agentId !== keep).map((s) => m.Seat.deleteOne({ _id: s._id })));
}

/** Seats in use per agent. */
export async function seatsInUse(m: Models): Promise<Map<string, number>> {
  const load = new Map<string, number>();
  for (const seat of await m.Seat.find().lean()) load.set(seat.agentId, (load.get(seat.agentId) ?? 0) + 1);
  return load;
}

async function setConversation(m: Models, conversationId: string, set: Record<string, unknown>) {
  await m.Conversation.updateOne({ _id: conversationId }, { $set: { ...set, updatedAt: new Date() } });
}

export function assignmentActivities(m: Models) {
  return {
    async enqueue(input: ConversationRef & { queue: string; priority: number }): Promise<void> {
      await setConversation(m, input.conversationId, {
        status: 'queued', queue: input.queue, priority: input.priority, queuedAt: new Date(), agentId: null, acceptedAt: null,
      });
    },

    /**
     * Offers the conversation to an online agent with a free seat and every
     * required skill: the preferred agent first, then the least loaded.
     */
    async tryAssign(input: ConversationRef & { queue: string; requiredSkills?: string[]; preferredAgentId?: string }): Promise<{ agentId: string | null }> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (!conv || conv.status !== 'queued' || conv.agentId) return { agentId: conv?.agentId ?? null };
      const [agents, load] = await Promise.all([m.Agent.find({ status: 'online' }).lean(), seatsInUse(m)]);
      const required = input.requiredSkills ?? [];
      const candidates = agents
        .filter((a) => a.capacity > (load.get(a._id) ?? 0) && required.every((skill) => a.skills?.includes(skill)))
        .sort((a, b) => Number(b._id === input.preferredAgentId) - Number(a._id === input.preferredAgentId)
          || (load.get(a._id) ?? 0) / a.capacity - (load.get(b._id) ?? 0) / b.capacity
          || (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0));
      for (const agent of candidates) {
        if (!(await takeSeat(m, agent, input.conversationId))) continue; // another conversation took the last seat
        await setConversation(m, input.conversationId, { status: 'assigned', agentId: agent._id, offeredAt: new Date() });
        await m.Agent.updateOne({ _id: agent._id }, { $set: { lastAssignedAt: new Date() } });
        return { agentId: agent._id };
      }
      return { agentId: null };
    },

    /** The agent takes the conversation: the one offered to them, or one still waiting in the queue. */
    async acceptConversation(input: ConversationRef & { agentId: string }): Promise<void> {
      const { conversationId, agentId } = input;
      const conv = await m.Conversation.findById(conversationId).lean();
      if (conv?.status === 'assigned' && conv.agentId === agentId) {
        await setConversation(m, conversationId, { acceptedAt: conv.acceptedAt ?? new Date() });
        return;
      }
      if (!conv || conv.status !== 'queued' || conv.agentId) throw notAvailable('another agent has taken this conversation');
      const agent = await m.Agent.findById(agentId).lean();
      if (!agent) throw notAvailable(`unknown agent ${agentId}`);
      if (!(await takeSeat(m, agent, conversationId))) throw notAvailable('you are at full capacity; close a conversation first');
      const now = new Date();
      await setConversation(m, conversationId, { status: 'assigned', agentId, offeredAt: now, acceptedAt: now });
      await m.Contact.updateOne({ _id: contactIdOf(input) }, { $set: { lastAgentId: agentId, updatedAt: now } });
    },

    /** A flow's transfer step: the agent (if any) lets go, and the conversation waits in the other queue. */
    async transferConversation(input: ConversationRef & { queue: string; priority: number }): Promise<void> {
      await setConversation(m, input.conversationId, {
        status: 'queued', agentId: null, acceptedAt: null, queue: input.queue, priority: input.priority, queuedAt: new Date(),
      });
      await releaseSeats(m, input.conversationId, null);
    },

    /** The `queue` fact for rules: how many wait in the queue, and how many agents have a free seat. */
    async queueFacts(input: { queue: string }): Promise<Record<string, unknown>> {
      const [waiting, agents, load] = await Promise.all([
        m.Conversation.countDocuments({ status: 'queued', queue: input.queue }),
        m.Agent.find({ status: 'online' }).lean(),
        seatsInUse(m),
      ]);
      return { name: input.queue, waiting, agentsAvailable: agents.filter((a) => a.capacity > (load.get(a._id) ?? 0)).length };
    },

    /** SLA missed: withdraw an unaccepted offer and move to the escalation queue with a higher priority. */
    async escalate(input: ConversationRef & { queue: string; priority: number }): Promise<{ escalated: boolean }> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (!conv || conv.acceptedAt || !['queued', 'assigned'].includes(conv.status)) return { escalated: false };
      const now = new Date();
      await setConversation(m, input.conversationId, {
        status: 'queued', agentId: null, queue: input.queue, priority: input.priority, escalated: true, escalatedAt: now, queuedAt: now,
      });
      await releaseSeats(m, input.conversationId, null);
      return { escalated: true };
    },

    /** An operator moved the conversation from its queue step to another step: it waits nowhere and holds no seat. */
    async leaveQueue(input: ConversationRef): Promise<void> {
      await setConversation(m, input.conversationId, { status: 'bot', queue: null, agentId: null, acceptedAt: null });
      await releaseSeats(m, input.conversationId, null);
    },

    /** The agent closed it: their seat is free again, the survey begins. */
    async finishAgentWork(input: ConversationRef & { agentId: string }): Promise<void> {
      await setConversation(m, input.conversationId, { status: 'survey' });
      await releaseSeats(m, input.conversationId, null);
    },
  };
}

// Queueing and assignment. Two invariants hold on FerretDB v1 too, whose
// updates are not isolated: a conversation's document has one writer (its
// workflow runs these steps one at a time), and an agent's capacity is a set
// of seats taken by inserts with unique ids, so racing conversations can never
// put an agent above capacity and a retried step never takes a second seat.
import { agentProfile, capacityOf, GENERAL_POOL, learnedModelCache, poolOf } from './agent-profiles';
import { notAvailable } from './errors';
import { eligibleAgents, servingAgents } from './routing/eligibility';
import { estimateWait, positionChangedMeaningfully, positionMessage } from './routing/estimate';
import { agedPriority, rankAgents } from './routing/strategies';
import type { AgentProfile, RoutingRequest, StrategyName } from './routing/types';
import { isDuplicateKey, trusted, type Models } from './store';
import type { AgentDoc, ConversationDoc } from './store/models';
import { ttlCache } from './ttl-cache';
import type { BusinessCalendar } from '../rules/business-calendar';
import { DEFAULT_TIME_ZONE } from '../rules/facts';
import { contactIdOf, type ConversationRef } from './types';


const DEFAULT_OFFER_TIMEOUT_SECONDS = 30;
// The wait estimate uses the queue's recent handle times, read at most every 30 s.
const HANDLE_TIMES_TTL_MS = 30_000;
const RECENT_HANDLED = 50;

export interface SlaPolicy {
  firstResponseSeconds?: number;
  nextResponseSeconds?: number;
  resolutionSeconds?: number;
  /** The queue's business hours: targets count only open time (rules/business-calendar.ts). */
  calendar?: BusinessCalendar;
}
export type SlaKind = 'firstResponse' | 'nextResponse' | 'resolution';

/** The queue's SLA targets, without the empty ones, and its business hours when it has them. */
function slaOf(queue: { sla?: object | null; businessHours?: unknown; timeZone?: string | null; holidays?: string[] | null } | null): { sla?: SlaPolicy } {
  const sla = Object.fromEntries(Object.entries(queue?.sla ?? {}).filter(([, v]) => typeof v === 'number' && v > 0)) as SlaPolicy;
  if (Object.keys(sla).length === 0) return {};
  const calendar = queue?.businessHours ? { businessHours: queue.businessHours, timeZone: queue.timeZone ?? DEFAULT_TIME_ZONE, holidays: queue.holidays ?? [] } : undefined;
  return { sla: calendar ? { ...sla, calendar } : sla };
}

/** An offer (agentId), or where the conversation stands in its queue and what to tell the customer. */
export interface AssignResult {
  agentId: string | null;
  offerTimeoutSeconds?: number;
  /** Once accepted: offered to another agent when the customer waits this long for a reply. */
  silenceReassignMinutes?: number;
  /** The queue's SLA targets, when it has any. */
  sla?: SlaPolicy;
  standing?: { position: number; seconds: number | null };
  /** Set when the standing changed enough since the customer was last told. */
  announce?: { zh: string; en: string };
}

/**
 * Where the conversation stands: 1 + those ahead of it in the queue (higher
 * priority, or as urgent and waiting longer), and the estimated wait from the
 * agents who serve it and the queue's recent handle times.
 */
async function standing(
  m: Models, conv: ConversationDoc & { _id: string }, request: RoutingRequest, profiles: AgentProfile[],
  told: AssignResult['standing'] | undefined, handleSeconds: number[],
): Promise<Pick<AssignResult, 'standing' | 'announce'>> {
  const priority = conv.priority ?? 0;
  const queuedAt = conv.queuedAt ?? conv.createdAt;
  const ahead = await m.Conversation.countDocuments(trusted({
    status: 'queued' as const, queue: conv.queue, _id: { $ne: conv._id },
    $or: [trusted({ priority: { $gt: priority } }), trusted({ priority, queuedAt: { $lt: queuedAt } })],
  }));
  const serving = servingAgents(request, profiles);
  const seats = serving.reduce((n, a) => n + (a.capacity[request.channel] ?? 0), 0);
  const freeSeats = serving.reduce((n, a) => n + Math.max(0, (a.capacity[request.channel] ?? 0) - (a.load[request.channel] ?? 0)), 0);
  const estimate = estimateWait({ position: ahead + 1, agentsServing: serving.length, seats, freeSeats, recentHandleSeconds: handleSeconds });
  const now = { position: ahead + 1, seconds: Number.isFinite(estimate.seconds) ? Math.round(estimate.seconds) : null };
  const asEstimate = (s: AssignResult['standing']) => ({ position: s!.position, estimate: { seconds: s!.seconds ?? Infinity, low: 0, high: 0 } });
  const changed = !told || positionChangedMeaningfully(asEstimate(told), asEstimate(now));
  return {
    standing: now,
    ...(changed ? { announce: { zh: positionMessage(now.position, estimate, 'zh'), en: positionMessage(now.position, estimate, 'en') } } : {}),
  };
}

/**
 * Takes one of the agent's free seats on the channel's pool for the
 * conversation (or finds the one it holds already). Seat ids are
 * `<agent>#<k>` in the general pool, `<agent>#<channel>#<k>` in a channel's own.
 */
async function takeSeat(m: Models, agent: AgentDoc, conversationId: string, channel: string): Promise<boolean> {
  const pool = poolOf(agent, channel);
  for (let k = 0; k < capacityOf(agent, channel); k++) {
    const _id = pool === GENERAL_POOL ? `${agent._id}#${k}` : `${agent._id}#${pool}#${k}`;
    try {
      await m.Seat.create({ _id, agentId: agent._id, conversationId, channel, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if ((await m.Seat.findById(_id).lean())?.conversationId === conversationId) return true;
    }
  }
  return false;
}

/** The queue's requirement and the conversation's, as one expression (undefined: anyone). */
function requirementFor(queueRequirement: string | null | undefined, requiredSkills: readonly string[]): string | undefined {
  return [queueRequirement, ...requiredSkills.map((skill) => `skills has ${JSON.stringify(skill)}`)].filter(Boolean).map((r) => `(${r})`).join(' and ') || undefined;
}

/**
 * The waiting conversations an agent who just came online or freed a seat
 * could take, most urgent first (priority aged by the wait, then the longest
 * waiting), at most as many as they have free seats. Flow steps' own required
 * skills are not known here; the conversation's offer step checks them.
 */
export async function waitingFor(m: Models, agentId: string, now = Date.now()): Promise<{ conversationId: string; workflowId: string }[]> {
  const agent = await m.Agent.findById(agentId).lean();
  if (!agent || agent.status !== 'online') return [];
  const [waiting, seats, queues] = await Promise.all([
    m.Conversation.find({ status: 'queued' }).select({ workflowId: 1, channel: 1, queue: 1, priority: 1, queuedAt: 1, createdAt: 1, agentId: 1, declinedBy: 1 }).lean(),
    m.Seat.find({ agentId }).lean(),
    m.Queue.find().lean(),
  ]);
  const requirementOfQueue = new Map(queues.map((q) => [q._id, q.requirement]));
  const since = (c: (typeof waiting)[number]) => (c.queuedAt ?? c.createdAt).getTime();
  const ordered = waiting
    .filter((c) => !c.agentId && !(c.declinedBy ?? []).includes(agentId))
    .map((c) => ({ c, urgency: agedPriority(c.priority ?? 0, now - since(c)) }))
    .sort((a, b) => b.urgency - a.urgency || since(a.c) - since(b.c));
  const picked: { conversationId: string; workflowId: string }[] = [];
  const taken = new Map<string, number>(); // per channel, seats handed out in this pass
  for (const { c } of ordered) {
    const profile = agentProfile(agent, seats, c.channel);
    profile.load[c.channel] += taken.get(c.channel) ?? 0;
    const request: RoutingRequest = { channel: c.channel, language: 'zh', strategy: 'least-busy', requirement: requirementFor(requirementOfQueue.get(c.queue ?? ''), []) };
    if (eligibleAgents(request, [profile]).length === 0) continue;
    picked.push({ conversationId: c._id, workflowId: c.workflowId });
    taken.set(c.channel, (taken.get(c.channel) ?? 0) + 1);
  }
  return picked;
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
  const learnedModel = learnedModelCache(m);
  const recentHandleSeconds = ttlCache(HANDLE_TIMES_TTL_MS, async (queue: string) => {
    const closed = await m.Conversation.find(trusted({ status: 'closed' as const, queue, acceptedAt: { $ne: null } })).sort({ closedAt: -1 }).limit(RECENT_HANDLED).lean();
    return closed.filter((c) => c.acceptedAt && c.closedAt).map((c) => (c.closedAt!.getTime() - c.acceptedAt!.getTime()) / 1000);
  });
  return {
    async enqueue(input: ConversationRef & { queue: string; priority: number }): Promise<void> {
      await setConversation(m, input.conversationId, {
        status: 'queued', queue: input.queue, priority: input.priority, queuedAt: new Date(), agentId: null, acceptedAt: null,
      });
    },

    /**
     * Offers the conversation to the best eligible agent by the queue's
     * strategy (activities/routing), taking one of their seats, and records
     * why that agent. When nobody can take it, answers where it stands in the
     * queue, and the message to send when that changed enough since `told`.
     */
    async tryAssign(input: ConversationRef & {
      queue: string; requiredSkills?: string[]; preferredAgentId?: string; told?: { position: number; seconds: number | null };
      /** An escalation widened the requirement: the queue's own required skills no longer apply. */
      anyAgent?: boolean;
    }): Promise<AssignResult> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (!conv || conv.status !== 'queued' || conv.agentId) return { agentId: conv?.agentId ?? null };
      const now = Date.now();
      const [queue, agents, seats, contact] = await Promise.all([
        m.Queue.findById(input.queue).lean(), m.Agent.find({ status: 'online' }).lean(), m.Seat.find().lean(), m.Contact.findById(contactIdOf(input)).lean(),
      ]);
      const required = input.requiredSkills ?? [];
      const request: RoutingRequest = {
        channel: input.channel,
        language: conv.language ?? 'zh',
        requirement: requirementFor(input.anyAgent ? undefined : queue?.requirement, required),
        skill: required[0] ?? input.queue,
        strategy: input.preferredAgentId ? 'named' : ((queue?.strategy ?? 'least-busy') as StrategyName),
        namedAgentId: input.preferredAgentId,
        lastAgentId: contact?.lastAgentId ?? undefined,
        lastAgentAt: contact?.lastAgentAt?.getTime(),
        stickyWindowMs: (queue?.stickyWindowHours ?? 168) * 3_600_000,
        excluded: conv.declinedBy ?? [],
      };
      const profiles = agents.map((a) => agentProfile(a, seats, input.channel));
      const ranked = rankAgents(request, profiles, {
        now, roundRobinAfter: queue?.lastAssignedAgentId ?? undefined, model: request.strategy === 'learned' ? await learnedModel() : undefined,
      });
      for (const choice of ranked) {
        const agent = agents.find((a) => a._id === choice.agentId)!;
        if (!(await takeSeat(m, agent, input.conversationId, input.channel))) continue; // another conversation took the last seat
        const assignment = { agentId: agent._id, strategy: request.strategy, skill: request.skill, why: choice.why, scores: choice.scores, at: new Date(now) };
        await setConversation(m, input.conversationId, { status: 'assigned', agentId: agent._id, offeredAt: new Date(now), assignment });
        await m.Agent.updateOne({ _id: agent._id }, { $set: { lastAssignedAt: new Date(now) } });
        if (queue) await m.Queue.updateOne({ _id: queue._id }, { $set: { lastAssignedAgentId: agent._id } });
        return {
          agentId: agent._id, offerTimeoutSeconds: queue?.offerTimeoutSeconds ?? DEFAULT_OFFER_TIMEOUT_SECONDS,
          ...(queue?.silenceReassignMinutes ? { silenceReassignMinutes: queue.silenceReassignMinutes } : {}),
          ...slaOf(queue),
        };
      }
      return { agentId: null, ...slaOf(queue), ...(await standing(m, conv, request, profiles, input.told, await recentHandleSeconds(input.queue))) };
    },

    /**
     * The offered agent declined, or let the offer lapse, or (accepted) left
     * the customer without a reply too long: the conversation waits again and
     * is never offered to them again.
     */
    async withdrawOffer(input: ConversationRef & { agentId: string; reason: 'declined' | 'timeout' | 'silence' }): Promise<void> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (conv?.agentId !== input.agentId) return; // a retried step
      if (conv.acceptedAt && input.reason !== 'silence') return; // accepted meanwhile
      const declinedBy = [...new Set([...(conv.declinedBy ?? []), input.agentId])];
      await setConversation(m, input.conversationId, { status: 'queued', agentId: null, acceptedAt: null, declinedBy });
      await releaseSeats(m, input.conversationId, null);
    },

    /** The agent takes the conversation: the one offered to them, or one still waiting in the queue. */
    async acceptConversation(input: ConversationRef & { agentId: string }): Promise<void> {
      const { conversationId, agentId } = input;
      const conv = await m.Conversation.findById(conversationId).lean();
      if (conv?.status === 'assigned' && conv.agentId === agentId) {
        const now = new Date();
        await setConversation(m, conversationId, { acceptedAt: conv.acceptedAt ?? now });
        await m.Contact.updateOne({ _id: contactIdOf(input) }, { $set: { lastAgentId: agentId, lastAgentAt: now, updatedAt: now } });
        return;
      }
      if (!conv || conv.status !== 'queued' || conv.agentId) throw notAvailable('another agent has taken this conversation');
      const agent = await m.Agent.findById(agentId).lean();
      if (!agent) throw notAvailable(`unknown agent ${agentId}`);
      if (!(await takeSeat(m, agent, conversationId, input.channel))) throw notAvailable('you are at full capacity; close a conversation first');
      const now = new Date();
      const assignment = { agentId, strategy: 'taken', why: { en: 'took it from the queue', zh: '坐席从队列中接入' }, scores: {}, at: now };
      await setConversation(m, conversationId, { status: 'assigned', agentId, offeredAt: now, acceptedAt: now, assignment });
      await m.Contact.updateOne({ _id: contactIdOf(input) }, { $set: { lastAgentId: agentId, lastAgentAt: now, updatedAt: now } });
    },

    /** A flow's transfer step: the agent (if any) lets go, and the conversation waits in the other queue. */
    async transferConversation(input: ConversationRef & {
      queue: string; priority: number; note?: { from: string; text: string; at: number };
    }): Promise<void> {
      const conv = input.note ? await m.Conversation.findById(input.conversationId).lean() : null;
      await setConversation(m, input.conversationId, {
        status: 'queued', agentId: null, acceptedAt: null, queue: input.queue, priority: input.priority, queuedAt: new Date(),
        // An agent's transfer: the next agent sees their note, and the conversation does not come back to them.
        ...(input.note ? {
          transferNote: { ...input.note, at: new Date(input.note.at) },
          declinedBy: [...new Set([...(conv?.declinedBy ?? []), input.note.from])],
        } : {}),
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

    /** An SLA target was missed: recorded on the conversation (once per target and due time), and counted per queue. */
    async recordSlaBreach(input: ConversationRef & { kind: SlaKind; due: number; at: number }): Promise<void> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      const breaches = (conv?.slaBreaches ?? []) as { kind: SlaKind; due: Date; at: Date }[];
      if (breaches.some((b) => b.kind === input.kind && b.due.getTime() === input.due)) return; // a retried step
      await setConversation(m, input.conversationId, {
        slaBreaches: [...breaches, { kind: input.kind, due: new Date(input.due), at: new Date(input.at) }], slaBreached: true,
      });
    },

    /** The agent closed it: their seat is free again, the survey begins. */
    async finishAgentWork(input: ConversationRef & { agentId: string }): Promise<void> {
      await setConversation(m, input.conversationId, { status: 'survey' });
      await releaseSeats(m, input.conversationId, null);
    },
  };
}

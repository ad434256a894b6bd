// Queueing and assignment. Two invariants hold on FerretDB v1 too, whose
// updates are not isolated: a conversation's document has one writer (its
// workflow runs these steps one at a time), and an agent's capacity is a set
// of seats taken by inserts with unique ids, so racing conversations can never
// put an agent above capacity and a retried step never takes a second seat.
//
// Speed (FerretDB v1 reads every document of a collection for any query but
// one by `_id`): who waits is kept in the waiting list (./waiting-list.ts),
// whose heads are the most urgent; which agents may have a free seat, in
// vacancy hints (./agent-availability.ts). Offering a conversation when an
// agent frees a seat then reads a few documents by `_id`, not every agent,
// seat and waiting conversation.
import {
  agentsNow, hasFreeSeat, hintedAgents, MAX_HINTED, noteVacancy, retireVacancy, roster, ROSTER_MAX_AGE_MS, rosterTook, seatsOf, type AgentsView, type Seat,
} from './agent-availability';
import { agentProfile, capacityOf, learnedModelCache, poolOf, poolOfSeat, seatId, seatIdsOf } from './agent-profiles';
import { notAvailable } from './errors';
import { eligibleAgents, meetsRequirement, servingAgents } from './routing/eligibility';
import { estimateWait, positionChangedMeaningfully, positionMessage } from './routing/estimate';
import { agedPriority, rankAgents } from './routing/strategies';
import type { AgentProfile, RoutingRequest, StrategyName } from './routing/types';
import { isDuplicateKey, trusted, type Models } from './store';
import type { AgentDoc, ConversationDoc } from './store/models';
import { ttlCache } from './ttl-cache';
import type { BusinessCalendar } from '../rules/business-calendar';
import { DEFAULT_TIME_ZONE } from '../rules/facts';
import { contactIdOf, type ConversationRef } from './types';
import { enterWaitingList, headOf, leaveWaitingList, onWaitingList, partitions, waitingAhead, type Lane, type Partition, type WaitingEntry } from './waiting-list';


const DEFAULT_OFFER_TIMEOUT_SECONDS = 30;
// The wait estimate uses the queue's recent handle times, read at most every 30 s.
const HANDLE_TIMES_TTL_MS = 30_000;
const RECENT_HANDLED = 50;
// The wait estimate's agents and seats may be a few seconds old.
const STANDING_ROSTER_MAX_AGE_MS = 5_000;
// The dispatcher reads this many entries at the head of each partition of the waiting list, more when they are not enough.
const HEAD_WINDOW = 8;
const WIDE_WINDOW = 256;

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
 * priority, or as urgent and waiting longer, from the waiting list as read at
 * most a few seconds ago), and the estimated wait from the agents who serve it
 * and the queue's recent handle times.
 */
async function standing(
  m: Models, conv: ConversationDoc & { _id: string }, request: RoutingRequest, profiles: AgentProfile[],
  told: AssignResult['standing'] | undefined, handleSeconds: number[],
): Promise<Pick<AssignResult, 'standing' | 'announce'>> {
  const priority = conv.priority ?? 0;
  const queuedAt = conv.queuedAt ?? conv.createdAt;
  const ahead = conv.queue ? await waitingAhead(m, conv.queue, priority, queuedAt, conv._id) : 0;
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
 * conversation (or finds the one it holds already), and answers that seat.
 * Seat ids are `<agent>#<k>` in the general pool, `<agent>#<channel>#<k>` in a
 * channel's own. With the agent's seats as lately read (`known`), the free
 * ones are tried first, and a seat the conversation holds already is kept.
 */
async function takeSeat(m: Models, agent: AgentDoc, conversationId: string, channel: string, known?: readonly Seat[]): Promise<Seat | null> {
  const pool = poolOf(agent, channel);
  const ids = Array.from({ length: capacityOf(agent, channel) }, (_, k) => seatId(agent._id, pool, k));
  const held = new Map((known ?? []).map((s) => [s._id, s]));
  const mine = ids.map((id) => held.get(id)).find((s) => s?.conversationId === conversationId);
  if (mine) return mine;
  for (const _id of [...ids.filter((id) => !held.has(id)), ...ids.filter((id) => held.has(id))]) {
    const seat = { _id, agentId: agent._id, conversationId, channel, at: new Date() };
    try {
      await m.Seat.create(seat);
      return seat;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const taken = await m.Seat.findById(_id).lean();
      if (taken?.conversationId === conversationId) return taken as Seat;
    }
  }
  return null;
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
 *
 * Reads the agent, their seats, the queues and the heads of the waiting
 * list's partitions of the queues whose requirement they meet (the first few
 * entries of each, more when those are not enough): a few milliseconds
 * however many wait.
 */
export async function waitingFor(m: Models, agentId: string, now = Date.now()): Promise<{ conversationId: string; workflowId: string }[]> {
  const [agent, queues, all] = await Promise.all([m.Agent.findById(agentId).lean() as Promise<AgentDoc | null>, m.Queue.find().lean(), partitions(m)]);
  if (!agent || agent.status !== 'online') return [];
  const seats = await seatsOf(m, agent);
  const requirementOfQueue = new Map(queues.map((q) => [q._id, q.requirement ?? undefined]));
  const requestFor = (e: WaitingEntry): RoutingRequest => ({ channel: e.channel, language: 'zh', strategy: 'least-busy', requirement: requirementFor(requirementOfQueue.get(e.queue), []) });
  const profile = agentProfile(agent, seats, GENERAL_CHANNEL);
  const serves = (queue: string) => {
    try {
      return meetsRequirement({ requirement: requirementFor(requirementOfQueue.get(queue), []) }, profile);
    } catch {
      return false; // a queue whose requirement does not parse: its offer steps report it
    }
  };
  const served = all.filter((p) => serves(p.queue));

  // Whether the agent could take the entry with a seat free on its channel (whether they have one or not).
  const could = (e: WaitingEntry) => !(e.declinedBy ?? []).includes(agentId) && servingAgents(requestFor(e), [agentProfile(agent, seats, e.channel)]).length > 0;
  const pick = (heads: Map<Partition, WaitingEntry[]>) => {
    const since = (e: WaitingEntry) => e.queuedAt.getTime();
    const seen = new Set<string>();
    const ordered = [...heads.values()].flat()
      .filter((e) => !seen.has(e._id) && seen.add(e._id) && !(e.declinedBy ?? []).includes(agentId))
      .map((e) => ({ e, urgency: agedPriority(e.priority, now - since(e)) }))
      .sort((a, b) => b.urgency - a.urgency || since(a.e) - since(b.e));
    const picked = new Set<WaitingEntry>();
    const taken = new Map<string, number>(); // per channel, seats handed out in this pass
    for (const { e } of ordered) {
      const p = agentProfile(agent, seats, e.channel);
      p.load[e.channel] += taken.get(e.channel) ?? 0;
      if (eligibleAgents(requestFor(e), [p]).length === 0) continue;
      picked.add(e);
      taken.set(e.channel, (taken.get(e.channel) ?? 0) + 1);
    }
    return picked;
  };
  const read = async (ps: Partition[], window: number) => new Map(await Promise.all(ps.map(async (p) => [p, await headOf(m, p, window)] as const)));
  const free = freeSeatsOf(agent, seats);
  if (free === 0) return [];
  // The partitions by priority, highest first. Aging adds at most MAX_AGING, so once every free seat has gone
  // to conversations more urgent than any of a lower priority can be, those are not read.
  const priorities = [...new Set(served.map((p) => p.priority))].sort((a, b) => b - a);
  const heads = new Map<Partition, WaitingEntry[]>();
  let picked = new Set<WaitingEntry>();
  for (const [i, priority] of priorities.entries()) {
    const stage = await read(served.filter((p) => p.priority === priority), HEAD_WINDOW);
    for (const [p, entries] of stage) heads.set(p, entries);
    picked = pick(heads);
    // Further in a partition may be entries more urgent than those picked: when none of its head was for this
    // agent, when all of it was picked and seats are left, and in an `again` lane, which is not in queuedAt order.
    const hidden = [...stage].filter(([p, entries]) => {
      if (entries.length < HEAD_WINDOW) return false; // the whole partition was read
      const possible = entries.filter(could);
      return p.lane === 'again' || possible.length === 0 || (picked.size < free && possible.every((e) => picked.has(e)));
    }).map(([p]) => p);
    if (hidden.length > 0) {
      for (const [p, entries] of await read(hidden, WIDE_WINDOW)) heads.set(p, entries);
      picked = pick(heads);
    }
    const next = priorities[i + 1];
    const least = Math.min(...[...picked].map((e) => agedPriority(e.priority, now - e.queuedAt.getTime())));
    if (next === undefined || (picked.size >= free && least > agedPriority(next, Infinity))) break;
  }
  return [...picked].map((e) => ({ conversationId: e._id, workflowId: e.workflowId }));
}

/** A channel name no agent has a capacity of its own for: the general pool's profile. */
const GENERAL_CHANNEL = '\u0000';

/** Seats free in all the agent's pools together. */
function freeSeatsOf(agent: AgentDoc, seats: readonly Seat[]): number {
  return seatIdsOf(agent).reduce((n, { pool, ids }) => n + Math.max(0, ids.length - seats.filter((s) => poolOfSeat(agent, s) === pool).length), 0);
}

/**
 * Gives back the seats held for this conversation, except the `keep` agent's,
 * and tells the offer steps those agents have a seat free again. A
 * conversation that no longer waits (closed while queued) leaves the waiting list.
 */
export async function releaseSeats(m: Models, conversationId: string, keep: string | null) {
  const [seats, conv] = await Promise.all([
    m.Seat.find({ conversationId }).lean(),
    m.Conversation.findById(conversationId).select({ status: 1, queue: 1, priority: 1, declinedBy: 1 }).lean(),
  ]);
  const freed = seats.filter((s) => s.agentId !== keep);
  // One write at a time (FerretDB's SQLite takes one writer at a time; one that waits backs off for milliseconds).
  for (const s of freed) await m.Seat.deleteOne({ _id: s._id });
  for (const agentId of new Set(freed.map((s) => s.agentId))) await noteVacancy(m, agentId);
  if (conv && conv.status !== 'queued') await leaveWaitingList(m, { ...conv, _id: conversationId });
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

type QueuedConversation = Pick<ConversationDoc, 'workflowId' | 'channel' | 'queue' | 'priority' | 'queuedAt' | 'createdAt' | 'declinedBy'> & { _id: string };

/** The conversation's waiting-list entry, from its document as it waits now. */
function entryOf(conv: QueuedConversation, ref: ConversationRef): WaitingEntry {
  return {
    _id: conv._id, workflowId: conv.workflowId, channel: conv.channel ?? ref.channel, queue: conv.queue ?? 'general',
    priority: conv.priority ?? 0, queuedAt: conv.queuedAt ?? conv.createdAt, declinedBy: conv.declinedBy ?? [],
  };
}

/** A conversation waiting again after an offer was withdrawn keeps its old queuedAt: it waits in the `again` lane. */
const lane = (conv: Pick<ConversationDoc, 'declinedBy'>): Lane => ((conv.declinedBy ?? []).length > 0 ? 'again' : 'new');

/** The two views of the agents an offer step ranks: hinted ones read now, and the roster (merged, the fresh one wins). */
function merged(base: AgentsView, fresh: AgentsView | undefined): AgentsView {
  if (!fresh) return base;
  const ids = new Set(fresh.agents.map((a) => a._id));
  return {
    agents: [...base.agents.filter((a) => !ids.has(a._id)), ...fresh.agents.filter((a) => a.status === 'online')],
    seats: [...base.seats.filter((s) => !ids.has(s.agentId)), ...fresh.seats],
  };
}

export function assignmentActivities(m: Models) {
  const learnedModel = learnedModelCache(m);
  const recentHandleSeconds = ttlCache(HANDLE_TIMES_TTL_MS, async (queue: string) => {
    const closed = await m.Conversation.find(trusted({ status: 'closed' as const, queue, acceptedAt: { $ne: null } })).sort({ closedAt: -1 }).limit(RECENT_HANDLED).lean();
    return closed.filter((c) => c.acceptedAt && c.closedAt).map((c) => (c.closedAt!.getTime() - c.acceptedAt!.getTime()) / 1000);
  });
  return {
    async enqueue(input: ConversationRef & { queue: string; priority: number }): Promise<void> {
      // Out of wherever it waited before (a retry: out of where its first try put it), then in at the back.
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (conv) await leaveWaitingList(m, conv);
      const queuedAt = new Date();
      await setConversation(m, input.conversationId, {
        status: 'queued', queue: input.queue, priority: input.priority, queuedAt, agentId: null, acceptedAt: null,
      });
      if (conv) await enterWaitingList(m, entryOf({ ...conv, queue: input.queue, priority: input.priority, queuedAt }, input));
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
      /** What the customer wants, when the bot recognized it (the best FAQ's id): what the learned strategy learns by when no skill is required. */
      intent?: string;
    }): Promise<AssignResult> {
      // With the conversation, its queue and the agents who may have a free seat, read now (./agent-availability.ts).
      const [conv, queue, hinted] = await Promise.all([
        m.Conversation.findById(input.conversationId).lean(), m.Queue.findById(input.queue).lean(), hintedAgents(m),
      ]);
      if (!conv || conv.status !== 'queued' || conv.agentId) {
        if (conv) await leaveWaitingList(m, conv); // a retried step: the first assigned it, then stopped short
        return { agentId: conv?.agentId ?? null };
      }
      const now = Date.now();
      const required = input.requiredSkills ?? [];
      const strategy = input.preferredAgentId ? 'named' : ((queue?.strategy ?? 'least-busy') as StrategyName);
      const contact = strategy === 'sticky' ? await m.Contact.findById(contactIdOf(input)).lean() : null;
      const request: RoutingRequest = {
        channel: input.channel,
        language: conv.language ?? 'zh',
        requirement: requirementFor(input.anyAgent ? undefined : queue?.requirement, required),
        skill: required[0] ?? input.intent ?? input.queue,
        strategy,
        namedAgentId: input.preferredAgentId,
        lastAgentId: contact?.lastAgentId ?? undefined,
        lastAgentAt: contact?.lastAgentAt?.getTime(),
        stickyWindowMs: (queue?.stickyWindowHours ?? 168) * 3_600_000,
        excluded: conv.declinedBy ?? [],
      };
      const context = {
        now, roundRobinAfter: queue?.lastAssignedAgentId ?? undefined, model: request.strategy === 'learned' ? await learnedModel() : undefined,
      };
      const rank = (view: AgentsView) => rankAgents(request, view.agents.map((a) => agentProfile(a, view.seats, input.channel)), context);
      // An agent the conversation asks for by name (an operator's choice, the customer's last agent) is read now too.
      const asked = [request.namedAgentId, strategy === 'sticky' ? request.lastAgentId : undefined]
        .filter((id): id is string => id !== undefined && !hinted.view?.agents.some((a) => a._id === id));
      const named = asked.length > 0 ? await agentsNow(m, asked) : undefined;
      const fresh = new Set([...(hinted.view?.agents ?? []), ...(named?.agents ?? [])].map((a) => a._id));
      // Hints of agents found away, full or gone go (after the offer: it does not wait for them).
      const stale = hinted.view ? [
        ...hinted.view.agents.filter((a) => a.status !== 'online' || !hasFreeSeat(a, hinted.view!.seats)).map((a) => a._id),
        ...hinted.ids.filter((id) => !fresh.has(id)),
      ] : [];
      let view = named ? merged(hinted.view ?? { agents: [], seats: [] }, named) : hinted.view;
      let ranked = view ? rank(view) : [];
      // Too many hinted agents to read one by one: every online agent and seat, as read at most a second ago.
      // None of them can take it: the same, or read now when this is the step's first try (its periodic
      // tries, which may be many, do not read every agent and seat each time).
      for (const maxAge of [...(hinted.view ? [] : [ROSTER_MAX_AGE_MS]), input.told ? ROSTER_MAX_AGE_MS : 0]) {
        if (ranked.length > 0) break;
        const all = await roster(m, maxAge, hinted.ids);
        // Agents hinted since that read (a seat given back) as they are now, the latest few when there are many.
        const since = hinted.view ?? await agentsNow(m, hinted.hints.filter((h) => h.at.getTime() >= all.at).slice(-MAX_HINTED).map((h) => h._id));
        since.agents.forEach((a) => fresh.add(a._id));
        view = merged(merged(all, since), named);
        ranked = rank(view);
      }
      for (const choice of ranked) {
        let agent = view!.agents.find((a) => a._id === choice.agentId)!;
        let seats = view!.seats.filter((s) => s.agentId === agent._id);
        if (!fresh.has(agent._id)) {
          // From the roster, which may be a second old: this agent and their seats as they are now.
          const current = await m.Agent.findById(agent._id).lean() as AgentDoc | null;
          if (!current) continue;
          [agent, seats] = [current, await seatsOf(m, current)];
          if (rankAgents(request, [agentProfile(agent, seats, input.channel)], context).length === 0) continue;
        }
        const seat = await takeSeat(m, agent, input.conversationId, input.channel, seats);
        if (!seat) continue; // another conversation took the last seat
        const at = new Date(now);
        const assignment = { agentId: agent._id, strategy: request.strategy, skill: request.skill, why: choice.why, scores: choice.scores, at };
        rosterTook(m, seat, agent._id, at);
        const full = !hasFreeSeat(agent, [...seats.filter((s) => s._id !== seat._id), seat]);
        // The seat is theirs: the offer first, then the bookkeeping (a retried step finds the conversation assigned
        // and finishes the waiting list's part). One write at a time: FerretDB's SQLite takes one writer at a time,
        // and one that finds another writing backs off for milliseconds at a time.
        await setConversation(m, input.conversationId, { status: 'assigned', agentId: agent._id, offeredAt: at, assignment });
        await leaveWaitingList(m, conv);
        await m.Agent.updateOne({ _id: agent._id }, { $set: { lastAssignedAt: at } });
        if (queue && request.strategy === 'round-robin') await m.Queue.updateOne({ _id: queue._id }, { $set: { lastAssignedAgentId: agent._id } });
        if (full) await retireVacancy(m, agent._id, agent); // (its hint may have come with a roster read since)
        for (const id of stale) if (id !== agent._id) await retireVacancy(m, id);
        return {
          agentId: agent._id, offerTimeoutSeconds: queue?.offerTimeoutSeconds ?? DEFAULT_OFFER_TIMEOUT_SECONDS,
          ...(queue?.silenceReassignMinutes ? { silenceReassignMinutes: queue.silenceReassignMinutes } : {}),
          ...slaOf(queue),
        };
      }
      // Nobody can take it now: it waits on the list (put back if it went missing, or was queued before the list
      // existed), and hears where it stands, from agents and seats as read at most a few seconds ago.
      const everyone = merged(await roster(m, STANDING_ROSTER_MAX_AGE_MS, hinted.ids), hinted.view);
      const profiles = everyone.agents.map((a) => agentProfile(a, everyone.seats, input.channel));
      const [on, where] = await Promise.all([
        onWaitingList(m, conv), standing(m, conv, request, profiles, input.told, await recentHandleSeconds(input.queue)),
      ]);
      if (!on) await enterWaitingList(m, entryOf(conv, input), lane(conv));
      for (const id of stale) await retireVacancy(m, id);
      return { agentId: null, ...slaOf(queue), ...where };
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
      // Back on the waiting list with its old queuedAt (a retry that stops above is put back by its next offer step).
      await enterWaitingList(m, entryOf({ ...conv, declinedBy }, input), 'again');
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
      await leaveWaitingList(m, conv);
      await m.Contact.updateOne({ _id: contactIdOf(input) }, { $set: { lastAgentId: agentId, lastAgentAt: now, updatedAt: now } });
    },

    /** A flow's transfer step: the agent (if any) lets go, and the conversation waits in the other queue. */
    async transferConversation(input: ConversationRef & {
      queue: string; priority: number; note?: { from: string; text: string; at: number };
    }): Promise<void> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (conv) await leaveWaitingList(m, conv); // before its document names the other queue, which then locates its entry
      const queuedAt = new Date();
      // An agent's transfer: the conversation does not come back to them.
      const declinedBy = input.note ? [...new Set([...(conv?.declinedBy ?? []), input.note.from])] : conv?.declinedBy;
      await setConversation(m, input.conversationId, {
        status: 'queued', agentId: null, acceptedAt: null, queue: input.queue, priority: input.priority, queuedAt,
        // An agent's transfer: the next agent sees their note.
        ...(input.note ? { transferNote: { ...input.note, at: new Date(input.note.at) }, declinedBy } : {}),
      });
      await releaseSeats(m, input.conversationId, null);
      if (conv) await enterWaitingList(m, entryOf({ ...conv, queue: input.queue, priority: input.priority, queuedAt, declinedBy }, input));
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
      await leaveWaitingList(m, conv); // before its document names the escalation queue
      const now = new Date();
      await setConversation(m, input.conversationId, {
        status: 'queued', agentId: null, queue: input.queue, priority: input.priority, escalated: true, escalatedAt: now, queuedAt: now,
      });
      await releaseSeats(m, input.conversationId, null);
      await enterWaitingList(m, entryOf({ ...conv, queue: input.queue, priority: input.priority, queuedAt: now }, input));
      return { escalated: true };
    },

    /** An operator moved the conversation from its queue step to another step: it waits nowhere and holds no seat. */
    async leaveQueue(input: ConversationRef): Promise<void> {
      const conv = await m.Conversation.findById(input.conversationId).lean();
      if (conv) await leaveWaitingList(m, conv); // before its document forgets the queue, which locates its entry
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

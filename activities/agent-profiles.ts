// The routing modules' view of agents (activities/routing/types.ts), built
// from the agents' documents and the seats they hold (which ones are read for
// a decision: activities/agent-availability.ts), and the learned model from
// closed conversations, relearned once a minute.
import { learnModel, type ClosedConversation, type LearnedModel } from './routing/learning';
import type { AgentProfile } from './routing/types';
import { trusted, type Models } from './store';
import type { AgentDoc } from './store/models';
import { ttlCache } from './ttl-cache';

export type SeatDoc = { agentId: string; conversationId: string; channel?: string | null; at: Date };

const DEFAULT_LEVEL = 3;
// The learned model changes slowly; relearning once a minute keeps decisions cheap.
const MODEL_TTL_MS = 60_000;
const HISTORY_LIMIT = 5000;

/** `refund` or `refund:4` → { name, level }. */
export function parseSkill(entry: string): { name: string; level: number } {
  const match = /^(.*?):([1-5])$/.exec(entry);
  return match ? { name: match[1], level: Number(match[2]) } : { name: entry, level: DEFAULT_LEVEL };
}

/** The pool of an agent's general capacity; a channel with a capacity of its own is a pool named after it. */
export const GENERAL_POOL = 'default';

/** The capacity pool a channel draws from: its own when the agent has one, else their general capacity. */
export function poolOf(agent: Pick<AgentDoc, 'channelCapacity'>, channel: string): string {
  return channelCapacityOf(agent)[channel] !== undefined ? channel : GENERAL_POOL;
}

export function channelCapacityOf(agent: Pick<AgentDoc, 'channelCapacity'>): Record<string, number> {
  return { ...(agent.channelCapacity ?? {}) };
}

export function capacityOf(agent: Pick<AgentDoc, 'capacity' | 'channelCapacity'>, channel: string): number {
  return channelCapacityOf(agent)[channel] ?? agent.capacity ?? 0;
}

/** A seat's id: `<agent>#<k>` in the general pool, `<agent>#<channel>#<k>` in a channel's own. */
export function seatId(agentId: string, pool: string, k: number): string {
  return pool === GENERAL_POOL ? `${agentId}#${k}` : `${agentId}#${pool}#${k}`;
}

/** Every seat the agent has, per pool: their general capacity and each channel's own. */
export function seatIdsOf(agent: Pick<AgentDoc, '_id' | 'capacity' | 'channelCapacity'>): { pool: string; ids: string[] }[] {
  const pools: [string, number][] = [[GENERAL_POOL, agent.capacity ?? 0], ...Object.entries(channelCapacityOf(agent))];
  return pools.map(([pool, n]) => ({ pool, ids: Array.from({ length: Math.max(0, n) }, (_, k) => seatId(agent._id, pool, k)) }));
}

/** The pool a held seat counts against. */
export function poolOfSeat(agent: Pick<AgentDoc, 'channelCapacity'>, seat: Pick<SeatDoc, 'channel'>): string {
  return seat.channel && channelCapacityOf(agent)[seat.channel] !== undefined ? seat.channel : GENERAL_POOL;
}

/** The agent as routing sees it for a conversation on `channel`: load and capacity of that channel's pool. */
export function agentProfile(agent: AgentDoc, seats: readonly SeatDoc[], channel: string): AgentProfile {
  const pool = poolOf(agent, channel);
  const held = seats.filter((s) => s.agentId === agent._id);
  const inPool = held.filter((s) => poolOfSeat(agent, s) === pool).length;
  return {
    id: agent._id,
    skills: (agent.skills ?? []).map(parseSkill),
    languages: agent.languages ?? [],
    channels: agent.channels ?? [],
    capacity: { [channel]: capacityOf(agent, channel) },
    teams: agent.teams ?? [],
    presence: agent.status as AgentProfile['presence'],
    load: { [channel]: inPool },
    lastAssignedAt: agent.lastAssignedAt?.getTime(),
    lastIdleSince: held.length === 0 ? (agent.lastAssignedAt?.getTime() ?? 0) : undefined,
  };
}

/** What each closed conversation says about its agent: for the learned strategy. */
export async function closedHistory(m: Models, limit = HISTORY_LIMIT): Promise<ClosedConversation[]> {
  const docs = await m.Conversation.find(trusted({ status: 'closed' as const, acceptedAt: { $ne: null } })).sort({ closedAt: -1 }).limit(limit).lean();
  return docs.filter((c) => c.agentId && c.acceptedAt && c.closedAt).map((c) => ({
    agentId: c.agentId!,
    skill: (c.assignment as { skill?: string } | undefined)?.skill ?? c.queue ?? '',
    channel: c.channel,
    handleSeconds: Math.max(0, (c.closedAt!.getTime() - c.acceptedAt!.getTime()) / 1000),
    // A rating is the clearest outcome; a conversation closed without escalation counts as resolved.
    resolved: !c.escalated,
    ...(typeof c.rating === 'number' ? { csat: c.rating } : {}),
    closedAt: c.closedAt!.getTime(),
  }));
}

export function learnedModelCache(m: Models): () => Promise<LearnedModel> {
  const cache = ttlCache(MODEL_TTL_MS, async () => learnModel(await closedHistory(m)));
  return () => cache('model');
}

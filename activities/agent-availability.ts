// Which agents could take a conversation now, without reading every agent and
// every seat on each offer: on FerretDB v1 those two reads cost ~40 and ~70 ms
// with 200 agents holding 1,000 seats, while a document read by `_id` costs
// about a millisecond (a few where FerretDB scans its table for it inside
// SQLite instead of using the `_id` index, as v1.24.2 does unpatched).
//
// Vacancies are hints: an agent who may have a free seat. A hint is added
// whenever a seat is given back and whenever the dispatcher is told an agent
// became available, and removed by whoever finds the agent full or away. The
// offer step reads the hints, then those agents and their seats by id, and
// ranks them. A hint that outlives its vacancy costs a few reads; a missing
// one (an agent set online or given more capacity behind the API's back) is
// covered by the roster: every agent and seat, read when the hinted agents
// cannot take a conversation (then on a conversation's first try in a queue
// step, else at most once a second per process, since a long queue retries
// often), which also puts back the hints it finds missing.
//
// Seats remain the truth: a seat is taken by inserting its unique id, so no
// hint or roster, however stale, can put an agent above capacity.
import { poolOfSeat, seatIdsOf, type SeatDoc } from './agent-profiles';
import { isDuplicateKey, type Models } from './store';
import type { AgentDoc } from './store/models';

/** More hinted agents than this (few seats are taken, e.g. at the start of the day): read the roster instead. */
export const MAX_HINTED = 8;
/** How old a roster may be when the hinted agents cannot take a conversation. */
export const ROSTER_MAX_AGE_MS = 1_000;

export type Seat = SeatDoc & { _id: string };
export type Hint = { _id: string; at: Date };

/** Agents (online ones, for the roster) and the seats they hold. */
export interface AgentsView {
  agents: AgentDoc[];
  seats: Seat[];
}

/** Per process: the latest read of every agent and seat, and when it started. */
const rosters = new WeakMap<Models, { at: number; reading: Promise<AgentsView> }>();

/** The agent may have a free seat. */
export async function noteVacancy(m: Models, agentId: string): Promise<void> {
  try {
    await m.Vacancy.create({ _id: agentId, at: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * The agent was found full or away: their hint goes. Their seats are read
 * again afterwards, since a seat given back meanwhile found the hint still
 * there and added none.
 */
export async function retireVacancy(m: Models, agentId: string, known?: AgentDoc): Promise<void> {
  await m.Vacancy.deleteOne({ _id: agentId });
  // Their document as just read will do (a hint too many costs a few reads; one too few, a free seat unseen).
  const agent = known ?? await m.Agent.findById(agentId).lean() as AgentDoc | null;
  if (agent?.status === 'online' && hasFreeSeat(agent, await seatsOf(m, agent))) await noteVacancy(m, agentId);
}

/** The agent's seats, each read by its id. */
export async function seatsOf(m: Models, agent: Pick<AgentDoc, '_id' | 'capacity' | 'channelCapacity'>): Promise<Seat[]> {
  const ids = seatIdsOf(agent).flatMap((p) => p.ids);
  const found = await Promise.all(ids.map((_id) => m.Seat.findById(_id).lean()));
  return found.filter((s) => s !== null) as Seat[];
}

/** Whether any of the agent's pools has a seat free. */
export function hasFreeSeat(agent: Pick<AgentDoc, '_id' | 'capacity' | 'channelCapacity'>, seats: readonly SeatDoc[]): boolean {
  const held = seats.filter((s) => s.agentId === agent._id);
  return seatIdsOf(agent).some(({ pool, ids }) => held.filter((s) => poolOfSeat(agent, s) === pool).length < ids.length);
}

/** The agents with these ids and their seats, read now. */
export async function agentsNow(m: Models, ids: readonly string[]): Promise<AgentsView> {
  const agents = (await Promise.all(ids.map((id) => m.Agent.findById(id).lean()))).filter((a) => a !== null) as AgentDoc[];
  const seats = (await Promise.all(agents.map((a) => seatsOf(m, a)))).flat();
  return { agents, seats };
}

/** The hints, and when there are few, the hinted agents and their seats read now. */
export async function hintedAgents(m: Models): Promise<{ hints: Hint[]; ids: string[]; view?: AgentsView }> {
  const hints = (await m.Vacancy.find().lean()) as Hint[];
  const ids = hints.map((h) => h._id);
  return ids.length > MAX_HINTED ? { hints, ids } : { hints, ids, view: await agentsNow(m, ids) };
}

/**
 * Every online agent and every seat, as read at most `maxAgeMs` ago (0: a
 * read that starts now; callers at the same moment share it). A fresh read
 * also mends the hints: it adds those missing for agents with a free seat and
 * retires those of agents full or away.
 */
export async function roster(m: Models, maxAgeMs: number, hinted: readonly string[]): Promise<AgentsView & { at: number }> {
  const latest = rosters.get(m);
  if (latest && latest.at >= Date.now() - maxAgeMs) {
    const r = await latest.reading.catch(() => undefined);
    if (r) return { ...r, at: latest.at };
  }
  const at = Date.now();
  const reading = (async (): Promise<AgentsView> => {
    const [agents, seats] = await Promise.all([m.Agent.find({ status: 'online' }).lean(), m.Seat.find().lean()]);
    const view = { agents: agents as AgentDoc[], seats: seats as Seat[] };
    await mendHints(m, view, hinted);
    return view;
  })();
  rosters.set(m, { at, reading });
  reading.catch(() => { if (rosters.get(m)?.reading === reading) rosters.delete(m); });
  return { ...(await reading), at };
}

async function mendHints(m: Models, view: AgentsView, hinted: readonly string[]) {
  const hintedSet = new Set(hinted);
  const free = new Set(view.agents.filter((a) => hasFreeSeat(a, view.seats)).map((a) => a._id));
  // One write at a time: FerretDB's SQLite takes one writer at a time.
  for (const id of free) if (!hintedSet.has(id)) await noteVacancy(m, id);
  for (const id of hinted) if (!free.has(id)) await retireVacancy(m, id);
}

/** This process took a seat: its roster counts it until the next read. */
export function rosterTook(m: Models, seat: Seat, agentId: string, at: Date) {
  void rosters.get(m)?.reading.then((r) => {
    if (!r.seats.some((s) => s._id === seat._id)) r.seats.push(seat);
    const agent = r.agents.find((a) => a._id === agentId);
    if (agent) agent.lastAssignedAt = at;
  }, () => {});
}

// The waiting list: which conversations wait in which queue, kept so that the
// most urgent ones an agent could take are found by reading a few documents.
//
// FerretDB v1 (the embedded database) filters and sorts in its own process
// after reading every document of a collection, ~30 µs each: a query over
// 5,000 waiting conversations costs 150 ms or more whatever its filter or
// sort. The one cheap read, besides `_id` equality, is a find with neither a
// filter nor a sort but a limit: it stops after that many documents, in the
// order they were inserted. So each queue, priority and lane is a collection
// of its own (a partition, listed in WaitingPartition) whose entries, read in
// insertion order, come oldest first: a partition's head is its most urgent
// entry, and the most urgent conversation overall is among the heads.
// MongoDB's unsorted collection scan returns documents in insertion order too
// in practice (its record ids grow), though it does not promise to.
//
// Lanes: a conversation enters the `new` lane with queuedAt = now, so that
// lane stays in queuedAt order. One whose offer was withdrawn waits again with
// its old queuedAt: it goes to the `again` lane, so it does not queue up
// behind newer conversations.
//
// Each entry has one writer, the conversation's own workflow (its activities
// run one at a time). Activities are retried, so every change is idempotent:
// an entry leaves its partition before the conversation's document names
// another queue or priority (the document locates the entry), and enters
// after the document says it waits. tryAssign puts back an entry found
// missing, which also brings in conversations queued before this list existed.
import { createHash } from 'node:crypto';
import type { mongo } from 'mongoose';
import { isDuplicateKey, type Models } from './store';

export type Lane = 'new' | 'again';
const LANES: Lane[] = ['new', 'again'];

/** What the dispatcher needs to pick a conversation without reading it. */
export interface WaitingEntry {
  _id: string; // the conversation id
  workflowId: string;
  channel: string;
  queue: string;
  priority: number;
  queuedAt: Date;
  declinedBy?: string[];
}

export interface Partition {
  _id: string;
  queue: string;
  priority: number;
  lane: Lane;
  entries: string;
}

/**
 * Where a conversation's entry is: its queue and priority, as its document
 * says, and whether it was ever declined (only then can it be in the `again`
 * lane: a withdrawn offer adds the agent to declinedBy, and nothing removes one).
 */
export interface Waiting {
  _id: string;
  queue?: string | null;
  priority?: number | null;
  declinedBy?: string[] | null;
}
const lanesOf = (conv: Waiting): Lane[] => ((conv.declinedBy ?? []).length > 0 ? LANES : ['new']);

// Positions in the queue change slowly; the customer's standing may be a few
// seconds old when another worker changed the queue (this worker's own changes
// are seen at once).
const STANDING_TTL_MS = 5_000;

interface State {
  /** Partitions known to be registered (they are never removed). */
  registered: Set<string>;
  standing: Map<string, { at: number; entries: Promise<WaitingEntry[]> }>;
}
const states = new WeakMap<Models, State>();
const stateOf = (m: Models): State => {
  let s = states.get(m);
  if (!s) states.set(m, (s = { registered: new Set(), standing: new Map() }));
  return s;
};

export function partitionOf(queue: string, priority: number, lane: Lane): Partition {
  const _id = JSON.stringify([queue, priority, lane]);
  return { _id, queue, priority, lane, entries: `waiting_${createHash('sha256').update(_id).digest('hex').slice(0, 20)}` };
}

function entriesOf(m: Models, p: Pick<Partition, 'entries'>): mongo.Collection<WaitingEntry> {
  return m.Conversation.db.db!.collection<WaitingEntry>(p.entries);
}

async function register(m: Models, p: Partition) {
  const { registered } = stateOf(m);
  if (registered.has(p._id)) return;
  try {
    await m.WaitingPartition.create(p);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  registered.add(p._id);
}

/** The conversation waits (again): its entry goes to its queue's partition. Idempotent. */
export async function enterWaitingList(m: Models, entry: WaitingEntry, lane: Lane = 'new'): Promise<void> {
  const p = partitionOf(entry.queue, entry.priority, lane);
  await register(m, p);
  try {
    await entriesOf(m, p).insertOne({ ...entry, declinedBy: entry.declinedBy ?? [] });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  stateOf(m).standing.delete(entry.queue);
}

/** The conversation waits no more where its document (read whole, or with declinedBy) says. Idempotent. */
export async function leaveWaitingList(m: Models, conv: Waiting): Promise<void> {
  if (!conv.queue) return;
  for (const lane of lanesOf(conv)) await entriesOf(m, partitionOf(conv.queue, conv.priority ?? 0, lane)).deleteOne({ _id: conv._id });
  stateOf(m).standing.delete(conv.queue);
}

/** Whether the conversation has an entry where its document says it waits. */
export async function onWaitingList(m: Models, conv: Waiting): Promise<boolean> {
  if (!conv.queue) return false;
  const found = await Promise.all(lanesOf(conv).map((lane) => entriesOf(m, partitionOf(conv.queue!, conv.priority ?? 0, lane)).findOne({ _id: conv._id })));
  return found.some(Boolean);
}

/** Many entries at once, e.g. conversations queued before the waiting list existed. */
export async function fillWaitingList(m: Models, entries: WaitingEntry[], lane: Lane = 'new'): Promise<void> {
  const byPartition = new Map<string, { p: Partition; docs: WaitingEntry[] }>();
  for (const e of entries) {
    const p = partitionOf(e.queue, e.priority, lane);
    const group = byPartition.get(p._id) ?? byPartition.set(p._id, { p, docs: [] }).get(p._id)!;
    group.docs.push({ ...e, declinedBy: e.declinedBy ?? [] });
  }
  for (const { p, docs } of byPartition.values()) {
    await register(m, p);
    try {
      await entriesOf(m, p).insertMany(docs, { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

/** Every partition, optionally only the queues `wanted` says yes to. */
export async function partitions(m: Models, wanted: (queue: string) => boolean = () => true): Promise<Partition[]> {
  return ((await m.WaitingPartition.find().lean()) as Partition[]).filter((p) => wanted(p.queue));
}

/** The first `limit` entries of the partition: its oldest, so its most urgent. */
export async function headOf(m: Models, p: Partition, limit: number): Promise<WaitingEntry[]> {
  // No filter and no sort: FerretDB stops reading after `limit` documents.
  return entriesOf(m, p).find({}).limit(limit).toArray();
}

/**
 * How many wait ahead of a conversation in its queue: those with a higher
 * priority, or as urgent and waiting longer. Read from the queue's entries at
 * most every few seconds.
 */
export async function waitingAhead(m: Models, queue: string, priority: number, queuedAt: Date, conversationId: string): Promise<number> {
  const { standing } = stateOf(m);
  let hit = standing.get(queue);
  if (!hit || Date.now() - hit.at >= STANDING_TTL_MS) {
    const entries = partitions(m, (q) => q === queue).then(async (ps) => (await Promise.all(ps.map((p) => entriesOf(m, p).find({}).toArray()))).flat());
    standing.set(queue, (hit = { at: Date.now(), entries }));
    entries.catch(() => standing.delete(queue));
  }
  const at = queuedAt.getTime();
  const seen = new Set<string>();
  let ahead = 0;
  for (const e of await hit.entries) {
    if (e._id === conversationId || seen.has(e._id)) continue;
    seen.add(e._id);
    if (e.priority > priority || (e.priority === priority && e.queuedAt.getTime() < at)) ahead++;
  }
  return ahead;
}

// A server process makes itself known to workers as a realtime node: one
// document, written only by this process and only by _id, refreshed on a
// heartbeat and deleted on a clean stop. Workers skip nodes whose heartbeat
// stopped (a crash); servers delete the long-dead ones so the list stays short.
import { randomUUID } from 'node:crypto';
import { trusted } from '../../activities/store';
import { NODE_HEARTBEAT_MS, type RealtimeModels } from './models';

/** Node documents of crashed servers are deleted after this long without a heartbeat. */
const PRUNE_AFTER_MS = 10 * 60_000;

export interface NodeRegistration {
  id: string;
  url: string;
  /** Stops the heartbeat and deletes the node document. */
  stop(): Promise<void>;
}

/** `id` is chosen by the caller when something must carry it before the server listens (the inbound journal). */
export async function registerNode({ RealtimeNode }: RealtimeModels, url: string, id = randomUUID()): Promise<NodeRegistration> {
  // An upsert: should the document have been pruned while this process was
  // paused (a long GC, a suspended VM), the next heartbeat brings it back.
  const writeHeartbeat = async () => {
    await RealtimeNode.updateOne({ _id: id }, { $set: { url, seenAt: new Date() } }, { upsert: true });
  };
  await writeHeartbeat();

  let failing = false;
  let inFlight: Promise<void> | undefined;
  const beat = async () => {
    try {
      await writeHeartbeat();
      await RealtimeNode.deleteMany(trusted({ seenAt: { $lt: new Date(Date.now() - PRUNE_AFTER_MS) } }));
      if (failing) console.error(`[huiliu] realtime node ${id} heartbeat works again`);
      failing = false;
    } catch (err) {
      // Logged once per outage: workers drop this node if it lasts 30 s.
      if (!failing) console.error(`[huiliu] realtime node ${id} heartbeat failed (will retry):`, (err as Error).message);
      failing = true;
    } finally {
      inFlight = undefined;
    }
  };
  // One heartbeat at a time, even when the database is slower than the interval.
  const timer = setInterval(() => { inFlight ??= beat(); }, NODE_HEARTBEAT_MS);
  timer.unref();

  return {
    id, url,
    async stop() {
      clearInterval(timer);
      await inFlight; // a heartbeat landing after the delete would bring the node back
      await RealtimeNode.deleteOne({ _id: id });
    },
  };
}

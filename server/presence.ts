// Presence: an online agent who has not used the console or the API for a
// while is set away, so conversations are not offered to someone who left
// their desk. Every server sweeps (the update is idempotent).
import { presenceEvent, type EmitEvent } from '../activities/events';
import { trusted, type Models } from '../activities/store';

// A person's requests refresh their presence at most this often: one write a minute, not one per request.
const SEEN_RESOLUTION_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

/** Notes that the person is active (called on each authenticated request); `lastWrite` throttles per process. */
export function presenceTracker(models: Models) {
  const lastWrite = new Map<string, number>();
  return async function seen(personId: string, now = Date.now()): Promise<void> {
    if (now - (lastWrite.get(personId) ?? 0) < SEEN_RESOLUTION_MS) return;
    lastWrite.set(personId, now);
    await models.Presence.updateOne({ _id: personId }, { $set: { lastSeenAt: new Date(now) } }, { upsert: true });
  };
}

/** Sets away the online agents not seen for `minutes` (agents never seen are left alone); returns how many. */
export async function markIdleAgentsAway(models: Models, minutes: number, now = Date.now(), emit?: EmitEvent): Promise<number> {
  const idle = await models.Presence.find(trusted({ lastSeenAt: { $lt: new Date(now - minutes * 60_000) } })).lean();
  let away = 0;
  for (const { _id } of idle) {
    const { modifiedCount } = await models.Agent.updateOne({ _id, status: 'online' }, { $set: { status: 'away' } });
    away += modifiedCount;
    if (modifiedCount > 0) await emit?.(presenceEvent(_id, 'away'));
  }
  return away;
}

/** Sweeps every minute; returns the function that stops it. `minutes` 0 turns auto-away off. */
export function scheduleAutoAway(models: Models, minutes: number, emit?: EmitEvent): () => void {
  if (minutes <= 0) return () => undefined;
  const timer = setInterval(() => {
    markIdleAgentsAway(models, minutes, Date.now(), emit).catch((err: Error) => console.error(`[huiliu] auto-away sweep failed: ${err.message}`));
  }, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

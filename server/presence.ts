// Presence: an online agent who has not used the console or the API for a
// while is set away, so conversations are not offered to someone who left
// their desk. Every server sweeps (the update is idempotent).
import { trusted, type Models } from '../activities/store';

// A person's requests refresh lastSeenAt at most this often: one write a minute, not one per request.
const SEEN_RESOLUTION_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

/** Notes that the person is active (called on each authenticated request). */
export async function seen(models: Models, agentId: string, lastSeenAt: Date | null | undefined, now = Date.now()): Promise<void> {
  if (lastSeenAt && now - lastSeenAt.getTime() < SEEN_RESOLUTION_MS) return;
  await models.Agent.updateOne({ _id: agentId }, { $set: { lastSeenAt: new Date(now) } });
}

/** Sets away the online agents not seen for `minutes`; returns how many. */
export async function markIdleAgentsAway(models: Models, minutes: number, now = Date.now()): Promise<number> {
  const { modifiedCount } = await models.Agent.updateMany(
    trusted({ status: 'online' as const, lastSeenAt: { $lt: new Date(now - minutes * 60_000) } }),
    { $set: { status: 'away' } },
  );
  return modifiedCount;
}

/** Sweeps every minute; returns the function that stops it. `minutes` 0 turns auto-away off. */
export function scheduleAutoAway(models: Models, minutes: number): () => void {
  if (minutes <= 0) return () => undefined;
  const timer = setInterval(() => {
    markIdleAgentsAway(models, minutes).catch((err: Error) => console.error(`[huiliu] auto-away sweep failed: ${err.message}`));
  }, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

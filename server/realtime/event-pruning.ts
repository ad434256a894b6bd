// Routing events are kept EVENT_RETENTION_MS. Every server prunes the older
// ones at start and then now and then; the delete is idempotent, so servers
// need not agree on who does it.
import { EVENT_RETENTION_MS, eventPositionAt } from '../../activities/events';
import { trusted, type Models } from '../../activities/store';

const PRUNE_EVERY_MS = 10 * 60_000;

/** Returns the function that stops pruning (and waits for a prune in progress). */
export function scheduleEventPruning(m: Models): () => Promise<void> {
  let running: Promise<void> | undefined;
  const prune = () => {
    running ??= m.Event.deleteMany(trusted({ _id: { $lt: eventPositionAt(Date.now() - EVENT_RETENTION_MS) } })).then(
      () => undefined,
      (err: Error) => console.error(`[huiliu] pruning old routing events failed (will retry): ${err.message}`),
    ).finally(() => { running = undefined; });
  };
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

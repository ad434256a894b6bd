// Workers learn about a new server at their next node-list refresh, so in its
// first seconds a server gets no pushes, and a stream opened then would miss
// what is stored before the workers know it. Once they surely do, one read of
// the messages and routing events stored since the server started listening
// hands them to the streams that may have missed them (streams drop what they
// sent already).
import { eventPositionAt, loggedEvent } from '../../activities/events';
import { trusted, type Models } from '../../activities/store';
import { messageView } from '../views';
import type { EventSubscribers } from './event-subscribers';
import type { LocalSubscribers } from './local-subscribers';
import { NODE_LIST_REFRESH_MS } from './models';

/** Time for a worker's refresh query and a push, on top of the refresh interval. */
const REFRESH_SLACK_MS = 2_000;
/** Clock difference tolerated between the worker that stored a message and this server. */
const CLOCK_SLACK_MS = 1_000;

/**
 * Call right after the node is registered, with when the server started
 * listening (epoch ms); returns a function that cancels the catch-up (or waits
 * for the one in progress).
 */
export function scheduleCatchUp(m: Models, subscribers: LocalSubscribers, listeningSince: number, events: EventSubscribers): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setTimeout(() => { running = Promise.all([catchUpMessages(), catchUpEvents()]).then(() => undefined); }, NODE_LIST_REFRESH_MS + REFRESH_SLACK_MS);
  timer.unref();

  async function catchUpMessages() {
    if (subscribers.isEmpty) return;
    try {
      const since = new Date(listeningSince - CLOCK_SLACK_MS);
      const docs = await m.Message.find(trusted({ storedAt: { $gte: since } })).sort({ storedAt: 1, _id: 1 }).lean();
      for (const doc of docs) subscribers.redeliver(messageView(doc), doc.storedAt.getTime(), CLOCK_SLACK_MS);
    } catch (err) {
      console.error('[huiliu] realtime catch-up after start failed:', (err as Error).message);
    }
  }

  async function catchUpEvents() {
    if (events.isEmpty) return;
    try {
      // Event ids sort by time: an _id range is the whole query.
      const docs = await m.Event.find(trusted({ _id: { $gte: eventPositionAt(listeningSince - CLOCK_SLACK_MS) } })).sort({ _id: 1 }).lean();
      for (const doc of docs) events.redeliver(loggedEvent(doc));
    } catch (err) {
      console.error('[huiliu] routing event catch-up after start failed:', (err as Error).message);
    }
  }

  return async () => {
    clearTimeout(timer);
    await running;
  };
}

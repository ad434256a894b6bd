// GET /api/v1/events: routing events as Server-Sent Events, for agents' and
// supervisors' consoles. Resuming (Last-Event-ID, or ?after=) first replays
// the missed events from the log, then continues with the live ones as
// workers and servers push them to this process; each event once.
import { Router, type NextFunction, type Request, type Response } from 'express';
import {
  EVENT_ID_PATTERN, EVENT_RETENTION_MS, eventPositionAt, loggedEvent, timeOfEventId, type LoggedEvent,
} from '../../activities/events';
import { trusted } from '../../activities/store';
import type { AppDeps } from '../app';
import type { Principal } from '../auth';
import { AppError } from '../errors';
import { eventFilter, parseEventTypes } from '../realtime/event-filter';
import { startSse } from '../realtime/event-stream';
import { validate } from '../schemas';

/** A stream that missed more than this reloads its state instead (stream.resync). */
const CATCH_UP_LIMIT = 5_000;
/** Ids a stream remembers, to drop repeats: a retried push, the log read while pushes arrive. */
const REMEMBERED_IDS = 2_000;
const EVENT_ID = new RegExp(EVENT_ID_PATTERN);

/**
 * EventSource cannot set headers, so here (and only here) `?access_token=`
 * stands in for `Authorization: Bearer`. The token is never logged.
 */
export function tokenFromQuery(req: Request, _res: Response, next: NextFunction) {
  const token = req.query.access_token;
  if (!req.headers.authorization && typeof token === 'string') req.headers.authorization = `Bearer ${token}`;
  next();
}

export function eventRoutes({ models, realtime }: AppDeps): Router {
  const r = Router();

  r.get('/', validate('EventStreamQuery', 'query'), async (req, res) => {
    const query = req.query as { types?: string; after?: string };
    const shown = eventFilter(res.locals.principal as Principal, query.types === undefined ? undefined : parseEventTypes(query.types));
    // The header wins: EventSource reconnects to the URL it first opened, ?after= included.
    const after = resumePoint(req.header('Last-Event-ID') ?? query.after);
    const now = Date.now();
    // Pruned events cannot be replayed: the client reloads its state instead.
    const expired = after !== undefined && timeOfEventId(after) < now - EVENT_RETENTION_MS;
    // Log reads after a server start (redelivered) hand this stream only what follows this point.
    let from = after !== undefined && !expired ? after : eventPositionAt(now);

    const sse = startSse(res);
    const sent = new RecentIds(REMEMBERED_IDS);
    const sendOnce = (e: LoggedEvent) => { if (sent.add(e.id)) sse.send(e.type, e.id, eventView(e)); };
    // The client reloads its state from the API, and its reconnect resumes from now.
    const resync = (reason: 'expired' | 'too-many') => {
      from = eventPositionAt(Date.now());
      sse.send('stream.resync', from, { reason });
    };
    // Subscribe first, so nothing logged while the catch-up reads falls in
    // between; hold what arrives meanwhile, so it follows the older events.
    let held: LoggedEvent[] | undefined = [];
    const unsubscribe = realtime.events.subscribe((e, redelivered) => {
      if (!shown(e) || (redelivered && e.id <= from)) return;
      if (held) held.push(e);
      else sendOnce(e);
    });
    res.on('close', unsubscribe);

    if (expired) resync('expired');
    else if (after === undefined) sse.position(from); // a reconnect resumes from here, even when nothing came
    else {
      try {
        // Event ids sort by time: an _id range is the whole query.
        const docs = await models.Event.find(trusted({ _id: { $gt: after } })).sort({ _id: 1 }).limit(CATCH_UP_LIMIT + 1).lean();
        if (docs.length > CATCH_UP_LIMIT) resync('too-many');
        else for (const e of docs.map(loggedEvent)) if (shown(e)) sendOnce(e);
      } catch (err) {
        // The 200 is out already: end the stream, and the client reconnects (after Last-Event-ID).
        console.error('[huiliu] routing event catch-up failed:', (err as Error).message);
        res.end();
        return;
      }
    }
    for (const e of held) sendOnce(e);
    held = undefined;
  });

  return r;
}

function resumePoint(id: string | undefined): string | undefined {
  if (id === undefined || id === '') return undefined;
  if (!EVENT_ID.test(id)) throw new AppError(400, 'Last-Event-ID (or after) is not an event id', { pattern: EVENT_ID_PATTERN });
  return id;
}

/** What a console gets: the event without its audience, which only routes it. */
function eventView({ id, type, at, conversationId, agentId, queue, inboxId, channel, data }: LoggedEvent) {
  return { id, type, at, conversationId, agentId, queue, inboxId, channel, data };
}

/** A set that forgets its oldest ids beyond `capacity`. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  /** False when the id is there already. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

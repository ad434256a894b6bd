// Who sees which routing event on their stream, and the stream's own filter.
import { EVERY_AGENT, ROUTING_EVENT_TYPES, type LoggedEvent, type RoutingEventType } from '../../activities/events';
import type { Principal } from '../auth';
import { AppError } from '../errors';

/** Supervisors watch the floor, operators fix stuck conversations, admins run the place: every event is theirs. */
const SEES_EVERY_EVENT: readonly Principal['role'][] = ['supervisor', 'operator', 'admin'];

/** Agents (and analysts) see the events naming them; agents also those every agent may act on. */
export function eventFilter(viewer: Pick<Principal, 'id' | 'role'>, types?: ReadonlySet<RoutingEventType>): (event: LoggedEvent) => boolean {
  const seesAll = SEES_EVERY_EVENT.includes(viewer.role);
  return (event) => (!types || types.has(event.type))
    && (seesAll || event.audience.includes(viewer.id) || (viewer.role === 'agent' && event.audience.includes(EVERY_AGENT)));
}

/** `?types=a,b`: 400 naming any type that does not exist. */
export function parseEventTypes(list: string): ReadonlySet<RoutingEventType> {
  const names = list.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = names.filter((t) => !(ROUTING_EVENT_TYPES as string[]).includes(t));
  if (unknown.length > 0) {
    throw new AppError(400, `unknown event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { unknown, known: ROUTING_EVENT_TYPES });
  }
  if (names.length === 0) throw new AppError(400, 'types is empty: name at least one event type, or leave it out for all', { known: ROUTING_EVENT_TYPES });
  return new Set(names as RoutingEventType[]);
}

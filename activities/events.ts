// Routing events: what agents' and supervisors' consoles react to (an offer,
// a customer's message, a breach...). Each is one small document in the
// `events` collection, the log streams resume from, and is handed to realtime
// delivery at once (PublishEvent: HTTP push from workers, local streams in
// servers).
//
// Emitting from an activity: take the `emit` that createActivities builds
// (activities/index.ts) in your factory and await it after your write:
//
//   await emit({
//     type: 'supervisor.alert', conversationId, inboxId, channel, queue,
//     data: { alertId, reason: { zh, en } }, audience: [],
//   });
//
// `emit` never throws (an event is a notification; the write it reports is
// what counts), so it cannot fail the step. A retried step may emit its event
// again: consumers treat events as "this happened", not as counters.
import { randomBytes } from 'node:crypto';
import type { SlaKind } from './assignment';
import type { Models } from './store';

/** `audience` entry for events every agent may act on: a conversation that waits in a queue, or leaves it. */
export const EVERY_AGENT = '*';

/** Events older than this are pruned; a stream resuming from before it is told to reload (stream.resync). */
export const EVENT_RETENTION_MS = 60 * 60_000;

/** The event types and what `data` holds for each: the contract with consoles. */
export interface EventData {
  /** Entered a queue (a flow's queue step). */
  'conversation.queued': { priority: number };
  /** Offered to `agentId`, theirs to accept for offerTimeoutSeconds. */
  'conversation.offered': { offerTimeoutSeconds: number };
  /** No longer offered to (or, after `silence`, held by) `agentId`: it waits in its queue again. */
  'conversation.offer-withdrawn': { reason: 'declined' | 'timeout' | 'silence' };
  /** `agentId` accepted it (an offer, or taken from the queue). */
  'conversation.accepted': Record<string, never>;
  /** Sent to another queue: by the agent `agentId` (with their note) or by the flow. */
  'conversation.transferred': { queue: string; note?: string };
  /** Nobody accepted in time: it waits in the escalation queue `queue` with a higher priority. */
  'conversation.escalated': { queue: string; priority: number };
  /** `agentId` finished it; the survey follows. */
  'conversation.closed': Record<string, never>;
  /** The customer wrote in a conversation offered to or held by `agentId`. */
  'conversation.message': { messageId: string; preview: string };
  /** An SLA target of the conversation's queue was missed (`due`: ISO time). */
  'sla.breached': { kind: SlaKind; due: string };
  /** The customer rated `agentId`. */
  'survey.rated': { rating: number };
  /** `agentId` went online, away or offline. */
  'agent.presence': { status: 'online' | 'away' | 'offline' };
  /** An escalation step asked supervisors to look at the conversation. */
  'supervisor.alert': { alertId: string; reason: { zh: string; en: string } };
  /** The customer left a message to be called back. */
  'callback.requested': { callbackId: string };
  /**
   * Someone is typing (or stopped): the visitor (`agentId` = the agent holding
   * the conversation) or the agent `agentId`. Not logged: a stream resuming
   * later does not replay it (server/routes/webchat.ts).
   */
  'conversation.typing': { from: 'visitor' | 'agent'; typing: boolean; visitorId: string };
}

export type RoutingEventType = keyof EventData;

/** Every type, for a stream's `types` filter and the API document. */
export const ROUTING_EVENT_TYPES = Object.keys({
  'conversation.queued': 1, 'conversation.offered': 1, 'conversation.offer-withdrawn': 1, 'conversation.accepted': 1,
  'conversation.transferred': 1, 'conversation.escalated': 1, 'conversation.closed': 1, 'conversation.message': 1,
  'sla.breached': 1, 'survey.rated': 1, 'agent.presence': 1, 'supervisor.alert': 1, 'callback.requested': 1,
  'conversation.typing': 1,
} satisfies Record<RoutingEventType, 1>) as RoutingEventType[];

interface EventFields {
  conversationId?: string;
  /** The agent it is about (offered to, accepted by, rated...). */
  agentId?: string;
  queue?: string;
  inboxId?: string;
  channel?: string;
  /** The agent ids it concerns, or EVERY_AGENT; [] = supervisors only (they, operators and admins see every event). */
  audience: string[];
}

/** An event to emit. */
export type RoutingEvent = { [T in RoutingEventType]: EventFields & { type: T; data: EventData[T] } }[RoutingEventType];

/** An event as logged and delivered: with its id (sorts by time) and time. */
export type LoggedEvent = RoutingEvent & { id: string; at: string };

/** Writes an event to the log and delivers it; never throws. */
export type EmitEvent = (event: RoutingEvent) => Promise<void>;

/** Hands a logged event to realtime delivery; returns at once and never throws (streams catch up from the log). */
export type PublishEvent = (event: LoggedEvent) => void;

/** Event ids: `<ms since epoch, base 36, 9 digits>-<sequence><random>`, so string order is time order. */
export const EVENT_ID_PATTERN = '^[0-9a-z]{9}-[0-9a-z]{0,24}$';
const TIME_DIGITS = 9;

const SEQUENCE_DIGITS = 3;
const SEQUENCE_LIMIT = 36 ** SEQUENCE_DIGITS;

let lastMs = 0;
let sequence = 0;

/**
 * A new event id, increasing within this process even for events in one
 * millisecond, or when the clock steps back (ids then run a little ahead of
 * it until it catches up).
 */
export function newEventId(now = Date.now()): string {
  if (now > lastMs) [lastMs, sequence] = [now, 0];
  else if (++sequence === SEQUENCE_LIMIT) [lastMs, sequence] = [lastMs + 1, 0];
  return `${eventPositionAt(lastMs)}${sequence.toString(36).padStart(SEQUENCE_DIGITS, '0')}${randomBytes(4).toString('hex')}`;
}

/** The position just before every event of that millisecond: resuming after it gets them all. */
export function eventPositionAt(ms: number): string {
  return `${Math.max(0, Math.floor(ms)).toString(36).padStart(TIME_DIGITS, '0')}-`;
}

/** When an event id (or position) was made, epoch ms. */
export function timeOfEventId(id: string): number {
  return parseInt(id.slice(0, TIME_DIGITS), 36);
}

/** The event log: each emitted event is stored, then published. */
export function eventLog(m: Models, publish: PublishEvent = () => undefined): EmitEvent {
  return async (event) => {
    const id = newEventId();
    const logged = { ...event, id, at: new Date(timeOfEventId(id)).toISOString() } as LoggedEvent;
    try {
      const { id: _id, at, ...fields } = logged;
      await m.Event.create({ _id, at: new Date(at), ...fields });
    } catch (err) {
      // Still published: open streams get it now; only a later catch-up would miss it.
      console.error(`[huiliu] routing event ${event.type} not logged: ${(err as Error).message}`);
    }
    publish(logged);
  };
}

/** A logged event as read from the collection. */
export function loggedEvent(doc: {
  _id: string; type: string; at: Date; data?: unknown; audience?: string[] | null;
  conversationId?: string | null; agentId?: string | null; queue?: string | null; inboxId?: string | null; channel?: string | null;
}): LoggedEvent {
  const optional = { conversationId: doc.conversationId, agentId: doc.agentId, queue: doc.queue, inboxId: doc.inboxId, channel: doc.channel };
  return {
    id: doc._id, type: doc.type, at: doc.at.toISOString(),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === 'string')),
    data: doc.data ?? {}, audience: doc.audience ?? [],
  } as LoggedEvent;
}

/** An agent's presence changed. */
export function presenceEvent(agentId: string, status: EventData['agent.presence']['status']): RoutingEvent {
  return { type: 'agent.presence', agentId, data: { status }, audience: [agentId] };
}

// Realtime fan-out as one contract with two sides, which may run in different
// processes on different machines: activities publish each stored message (in
// a worker), and the SSE route subscribes to one visitor's messages (in a
// server). The implementation is HTTP push: HttpPushPublisher sends to every
// registered server, whose push route hands the message to its LocalSubscribers.
// Routing events for agents and supervisors (activities/events.ts) take the same
// path to EventSubscribers, with the `events` collection as their catch-up.
import type { PublishMessage } from '../../activities/messages';
import type { MessageView } from '../views';

export type MessageListener = (message: MessageView) => void;

export interface RealtimeBus {
  /** Worker side: returns at once and never throws. */
  publish: PublishMessage;
  /** Server side: calls `listener` with each new message for the visitor; returns the unsubscribe. */
  subscribe(inboxId: string, visitorId: string, listener: MessageListener): () => void;
}

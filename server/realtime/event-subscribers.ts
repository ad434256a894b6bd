// The routing event streams open in this process: where pushed and
// server-side events go. Each stream decides what it shows (audience, types)
// and drops what it sent already.
import type { LoggedEvent } from '../../activities/events';

/** `redelivered`: read back from the log after a start, so the stream may have it (or its client had it). */
export type EventListener = (event: LoggedEvent, redelivered: boolean) => void;

export class EventSubscribers {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Whether any stream is open here. */
  get isEmpty(): boolean {
    return this.listeners.size === 0;
  }

  /** A new event: to every stream. */
  readonly dispatch = (event: LoggedEvent): void => this.deliver(event, false);

  /** An event this process may have missed. */
  redeliver(event: LoggedEvent): void {
    this.deliver(event, true);
  }

  private deliver(event: LoggedEvent, redelivered: boolean) {
    for (const listener of this.listeners) {
      try {
        listener(event, redelivered);
      } catch (err) {
        // One broken stream must not keep the event from the others.
        console.error('[huiliu] routing event listener failed:', (err as Error).message);
      }
    }
  }
}

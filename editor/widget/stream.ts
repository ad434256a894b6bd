// The visitor's realtime stream (Server-Sent Events) that survives dropped
// connections without losing or repeating a message:
//
// - While EventSource reconnects by itself (a network error), it sends the last
//   message id it saw as Last-Event-ID and the server replays what was stored
//   after it.
// - When EventSource gives up (the server answered an error, say a 503 from a
//   proxy while it restarts), a new one is opened after a back-off, with that
//   same last id as `?after=`.
// - The server may send again what came just before that id (see the stream's
//   API description); the transcript drops repeats by message id.
import type { Message } from '../src/api';

export type StreamState = 'connecting' | 'open' | 'closed';

export interface StreamHandlers {
  onMessage(message: Message): void;
  onTyping(typing: { from: 'agent'; typing: boolean; conversationId?: string }): void;
  onState(state: StreamState): void;
}

export interface StreamOptions {
  /** The stream URL, resuming after a message id when one is given. */
  url(after: string | undefined): string;
  /** Waits before opening a new EventSource after the last one gave up; the last is repeated. */
  backoffMs?: readonly number[];
  EventSource?: typeof EventSource;
}

export interface MessageStream {
  /** Opens a new connection now unless one is open (the network came back, the page became visible). */
  reconnectNow(): void;
  close(): void;
  /** The last message id received: where a new connection resumes. */
  readonly lastEventId: string | undefined;
}

const DEFAULT_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 15_000];

export function openMessageStream(options: StreamOptions, handlers: StreamHandlers): MessageStream {
  const Source = options.EventSource ?? window.EventSource;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  let source: EventSource | undefined;
  let lastEventId: string | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let state: StreamState = 'connecting';
  let stopped = false;

  const setState = (next: StreamState) => {
    if (next === state) return;
    state = next;
    handlers.onState(next);
  };

  function open() {
    clearTimeout(timer);
    timer = undefined;
    source?.close();
    const current = new Source(options.url(lastEventId));
    source = current;
    current.addEventListener('open', () => {
      failures = 0;
      setState('open');
    });
    current.addEventListener('message', (event) => {
      const { data, lastEventId: id } = event as MessageEvent<string>;
      let message: Message;
      try {
        message = JSON.parse(data) as Message;
      } catch {
        return;
      }
      if (id) lastEventId = id;
      handlers.onMessage(message);
    });
    current.addEventListener('typing', (event) => {
      try {
        handlers.onTyping(JSON.parse((event as MessageEvent<string>).data) as { from: 'agent'; typing: boolean });
      } catch { /* not ours */ }
    });
    current.addEventListener('error', () => {
      if (current !== source || stopped) return;
      if (current.readyState !== Source.CLOSED) {
        // The browser reconnects on its own, with Last-Event-ID.
        setState('connecting');
        return;
      }
      setState('closed');
      const wait = backoff[Math.min(failures, backoff.length - 1)] ?? 1_000;
      failures++;
      timer = setTimeout(open, wait);
    });
  }

  open();
  return {
    reconnectNow() {
      if (!stopped && state !== 'open') open();
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

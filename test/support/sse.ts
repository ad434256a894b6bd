// Realtime streams (Server-Sent Events), read as a browser would.

/** An SSE frame: its fields (`event`, `id`, `data`...), `data` unparsed. */
export type SseFrame = Record<string, string>;

/** The frames of an SSE response body as they arrive; comment lines (heartbeats) are skipped. */
export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame: SseFrame = {};
      for (const line of buffer.slice(0, end).split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) frame[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
      }
      buffer = buffer.slice(end + 2);
      if (Object.keys(frame).length > 0) yield frame;
    }
  }
}

export interface StreamedMessage { id: string; author: string; text: string }

/** Opens the stream; `open` resolves once the server answered, `received` fills as events arrive. */
export function openVisitorStream(baseUrl: string, inboxId: string, visitorId: string) {
  const received: StreamedMessage[] = [];
  const controller = new AbortController();
  let opened!: () => void;
  let failed!: (err: Error) => void;
  const open = new Promise<void>((resolve, reject) => { opened = resolve; failed = reject; });
  const done = (async () => {
    const res = await fetch(`${baseUrl}/api/v1/webchat/${inboxId}/visitors/${visitorId}/stream`, { signal: controller.signal });
    if (res.status !== 200) return failed(new Error(`stream answered ${res.status}`));
    opened();
    for await (const frame of sseFrames(res.body!)) if (frame.data !== undefined) received.push(JSON.parse(frame.data));
  })().catch(() => undefined);
  const lines = () => received.map((m) => `${m.author}: ${m.text}`);
  return { received, lines, open, close: async () => { controller.abort(); await done; } };
}

/** A routing event as the events stream sends it (GET /api/v1/events). */
export interface StreamedEvent {
  type: string;
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever came
  data: any;
}

/**
 * An agent's or supervisor's events stream, read as EventSource would: `lastEventId()` is
 * what EventSource would send as Last-Event-ID on its reconnect.
 */
export function openEventsStream(baseUrl: string, token: string, opts: { lastEventId?: string; query?: string } = {}) {
  const received: StreamedEvent[] = [];
  let lastEventId = opts.lastEventId;
  const controller = new AbortController();
  let opened!: () => void;
  let failed!: (err: Error) => void;
  const open = new Promise<void>((resolve, reject) => { opened = resolve; failed = reject; });
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) };
  const done = (async () => {
    const res = await fetch(`${baseUrl}/api/v1/events${opts.query ? `?${opts.query}` : ''}`, { headers, signal: controller.signal });
    if (res.status !== 200) return failed(new Error(`events stream answered ${res.status}: ${await res.text()}`));
    opened();
    for await (const frame of sseFrames(res.body!)) {
      if (frame.id !== undefined) lastEventId = frame.id;
      if (frame.data !== undefined) received.push({ type: frame.event ?? 'message', id: frame.id!, data: JSON.parse(frame.data) });
    }
  })().catch(() => undefined);
  return {
    received, open,
    lastEventId: () => lastEventId,
    /** The types received about one conversation, in order. */
    typesFor: (conversationId: string) => received.filter((e) => e.data.conversationId === conversationId).map((e) => e.type),
    close: async () => { controller.abort(); await done; },
  };
}

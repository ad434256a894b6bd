// A visitor's realtime stream (Server-Sent Events), read as a browser would.

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
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (data) received.push(JSON.parse(data.slice(6)));
      }
    }
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
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const fields = new Map(buffer.slice(0, end).split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        buffer = buffer.slice(end + 2);
        if (fields.has('id')) lastEventId = fields.get('id');
        if (fields.has('data')) received.push({ type: fields.get('event') ?? 'message', id: fields.get('id')!, data: JSON.parse(fields.get('data')!) });
      }
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

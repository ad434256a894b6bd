// Server-Sent Events framing: a visitor's message stream and agents' and
// supervisors' routing event stream.
import type { Response } from 'express';

export interface SseWriter {
  /** One event: `event: <type>`, `id: <id>`, `data: <json>`. */
  send(type: string, id: string, data: unknown): void;
  /** An id without an event: where the client's reconnect resumes (EventSource keeps it as its last event id). */
  position(id: string): void;
  /** An event without an id (typing, say): passing, so it leaves where a reconnect resumes alone. */
  signal(type: string, data: unknown): void;
}

/** Starts an SSE response, with heartbeats while it is open. */
export function startSse(res: Response): SseWriter {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  // Proxies and load balancers close connections that look idle.
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  res.on('close', () => clearInterval(heartbeat));
  return {
    send: (type, id, data) => res.write(`event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`),
    position: (id) => res.write(`id: ${id}\n\n`),
    signal: (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`),
  };
}

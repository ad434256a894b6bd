// Server-Sent Events framing for one visitor's stream.
import type { Response } from 'express';
import type { MessageView } from '../views';

/** Starts an SSE response; returns a function that sends one message event. */
export function openEventStream(res: Response): (message: MessageView) => void {
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
  return (message) => res.write(`event: message\nid: ${message.id}\ndata: ${JSON.stringify(message)}\n\n`);
}

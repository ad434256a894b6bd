// Realtime delivery to visitors over Server-Sent Events. Messages are written
// by activities in worker processes, possibly on other machines, so each server
// process polls the message store once per tick for everyone it serves, rather
// than relying on an in-process event that another process would never see.
import type { Response } from 'express';
import type { Models } from '../activities/store';
import { trusted } from '../activities/store';
import { messageView, type MessageView } from './views';

type Listener = (message: MessageView) => void;

// Writes become visible a little after their storedAt (and worker clocks
// differ slightly): look back this far and drop what was already sent.
const LOOKBACK_MS = 2000;

export class MessageFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly recent = new Map<string, number>(); // message id → storedAt, within the look-back
  private cursor = Date.now();
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(private readonly models: Models, private readonly intervalMs = 100) {}

  subscribe(inboxId: string, visitorId: string, listener: Listener): () => void {
    const key = `${inboxId}\n${visitorId}`;
    if (!this.listeners.has(key)) this.listeners.set(key, new Set());
    this.listeners.get(key)!.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      const set = this.listeners.get(key);
      set?.delete(listener);
      if (set?.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll() {
    if (this.polling) return; // a slow query: skip this tick rather than pile up
    this.polling = true;
    try {
      const since = new Date(this.cursor - LOOKBACK_MS);
      const docs = await this.models.Message.find(trusted({ storedAt: { $gte: since } })).sort({ storedAt: 1 }).lean();
      for (const doc of docs) {
        const stored = doc.storedAt.getTime();
        this.cursor = Math.max(this.cursor, stored);
        if (this.recent.has(doc._id)) continue;
        this.recent.set(doc._id, stored);
        for (const listener of this.listeners.get(`${doc.inboxId}\n${doc.visitorId}`) ?? []) listener(messageView(doc));
      }
      for (const [id, stored] of this.recent) if (stored < this.cursor - LOOKBACK_MS) this.recent.delete(id);
    } catch (err) {
      console.error('[huiliu] realtime poll failed (will retry):', (err as Error).message);
    } finally {
      this.polling = false;
    }
  }
}

/** Starts an SSE response; returns a function that sends one message event. */
export function openEventStream(res: Response): (message: MessageView) => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  res.on('close', () => clearInterval(heartbeat));
  return (message) => res.write(`event: message\nid: ${message.id}\ndata: ${JSON.stringify(message)}\n\n`);
}

// The SSE streams open in this process, by visitor: where pushed messages go.
import type { MessageView } from '../views';
import type { MessageListener, RealtimeBus } from './bus';

export class LocalSubscribers implements Pick<RealtimeBus, 'subscribe'> {
  /** visitor → listener → when it subscribed (epoch ms) */
  private readonly byVisitor = new Map<string, Map<MessageListener, number>>();

  subscribe(inboxId: string, visitorId: string, listener: MessageListener): () => void {
    const key = visitorKey(inboxId, visitorId);
    let listeners = this.byVisitor.get(key);
    if (!listeners) this.byVisitor.set(key, (listeners = new Map()));
    listeners.set(listener, Date.now());
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byVisitor.get(key) === listeners) this.byVisitor.delete(key);
    };
  }

  /** Whether any stream is open here. */
  get isEmpty(): boolean {
    return this.byVisitor.size === 0;
  }

  /** A new message: to every stream of its visitor. */
  dispatch(message: MessageView): void {
    this.deliver(message, () => true);
  }

  /**
   * A message this process may have missed, stored at `storedAt`: only to the
   * streams that subscribed before it was stored (give or take `slackMs` of
   * clock difference between machines). A stream that subscribed later read
   * it with its transcript, or its client had it already (a reconnect after
   * Last-Event-ID must not get older messages again).
   */
  redeliver(message: MessageView, storedAt: number, slackMs: number): void {
    this.deliver(message, (subscribedAt) => storedAt >= subscribedAt - slackMs);
  }

  private deliver(message: MessageView, wants: (subscribedAt: number) => boolean) {
    for (const [listener, subscribedAt] of this.byVisitor.get(visitorKey(message.inboxId, message.visitorId)) ?? []) {
      if (!wants(subscribedAt)) continue;
      try {
        listener(message);
      } catch (err) {
        // One broken stream must not keep the message from the visitor's other tabs.
        console.error('[huiliu] realtime listener failed:', (err as Error).message);
      }
    }
  }
}

const visitorKey = (inboxId: string, visitorId: string) => `${inboxId}\n${visitorId}`;

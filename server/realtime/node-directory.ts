// A worker's view of the realtime nodes (servers) to push to: the node
// collection, re-read on a timer, so publishing never waits on the database.
import { NODE_LIST_REFRESH_MS, NODE_STALE_MS, type RealtimeModels } from './models';

export interface RealtimeNodeAddress {
  id: string;
  url: string;
}

export class NodeDirectory {
  private nodes: { id: string; url: string; seenAt: Date }[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private failing = false;

  constructor(private readonly models: RealtimeModels) {}

  /** Reads the list once (so the first message already reaches every node), then keeps it fresh. */
  async start(): Promise<void> {
    await this.load();
    // One read at a time, even when the database is slower than the interval.
    this.timer = setInterval(() => { this.refreshing ??= this.refresh().finally(() => { this.refreshing = undefined; }); }, NODE_LIST_REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
  }

  /** The nodes whose heartbeat is recent; the others crashed or hang. */
  list(): RealtimeNodeAddress[] {
    const cutoff = Date.now() - NODE_STALE_MS;
    return this.nodes.filter((n) => n.seenAt.getTime() >= cutoff).map(({ id, url }) => ({ id, url }));
  }

  private async load() {
    // The whole collection: one document per running server, and a filter
    // would not be cheaper on FerretDB (only an _id lookup uses an index).
    const docs = await this.models.RealtimeNode.find().lean();
    this.nodes = docs.map((d) => ({ id: d._id, url: d.url, seenAt: d.seenAt }));
  }

  private async refresh() {
    try {
      await this.load();
      if (this.failing) console.error('[huiliu] realtime node list readable again');
      this.failing = false;
    } catch (err) {
      // Keep pushing to the nodes known so far; say so once per outage.
      if (!this.failing) console.error('[huiliu] reading the realtime node list failed (will retry):', (err as Error).message);
      this.failing = true;
    }
  }
}

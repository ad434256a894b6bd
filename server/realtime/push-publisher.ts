// The publish side of realtime delivery, in workers: each stored message and
// each routing event is POSTed, signed, to every server registered as a
// realtime node (servers push their own events to the others the same way).
// Delivery is best effort and bounded, since what is pushed is stored already
// and a stream that misses it reads it back when it reconnects: a short
// timeout, a couple of retries, nothing thrown at the activity, one log line
// per failing node rather than one per push.
import http from 'node:http';
import https from 'node:https';
import type { LoggedEvent } from '../../activities/events';
import type { StoredMessage } from '../../activities/messages';
import { messageView } from '../views';
import type { RealtimeBus } from './bus';
import type { NodeDirectory, RealtimeNodeAddress } from './node-directory';
import { EVENT_PUSH_PATH, PUSH_PATH, SIGNATURE_HEADER, signBody } from './push-protocol';

const ATTEMPT_TIMEOUT_MS = 1_000;
/** Pauses before the retries of one push. */
const RETRY_DELAYS_MS = [100, 400];
/** Pushes waiting for one node beyond this are dropped, oldest first (the node is far behind or down). */
const MAX_PENDING_PER_NODE = 1_000;
/** How long stop() waits for pushes in flight before dropping the rest. */
const STOP_GRACE_MS = 2_000;

interface Push {
  path: string;
  body: string;
  signature: string;
}

export class HttpPushPublisher implements Pick<RealtimeBus, 'publish'> {
  private readonly links = new Map<string, NodeLink>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private stopped = false;

  constructor(private readonly directory: Pick<NodeDirectory, 'list'>, private readonly secret: string) {}

  readonly publish = (message: StoredMessage): void => this.push(PUSH_PATH, messageView(message));

  readonly publishEvent = (event: LoggedEvent): void => this.push(EVENT_PUSH_PATH, event);

  private push(path: string, payload: unknown) {
    if (this.stopped) return;
    try {
      const body = JSON.stringify(payload);
      const push = { path, body, signature: signBody(this.secret, body) };
      const listed = new Set<string>();
      for (const node of this.directory.list()) {
        listed.add(node.id);
        let link = this.links.get(node.id);
        if (!link) this.links.set(node.id, (link = new NodeLink(node, this.agents)));
        link.enqueue(push);
      }
      for (const [id, link] of this.links) {
        if (!listed.has(id)) { link.drop(); this.links.delete(id); } // stopped or stale: nobody listens there
      }
    } catch (err) {
      console.error('[huiliu] realtime publish failed:', (err as Error).message);
    }
  }

  /** Waits a little for pushes in flight, then drops the rest and closes the connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => { timer = setTimeout(resolve, STOP_GRACE_MS); });
    await Promise.race([Promise.all([...this.links.values()].map((l) => l.drained())), grace]);
    clearTimeout(timer);
    for (const link of this.links.values()) link.drop();
    this.links.clear();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/**
 * The pushes to one node, sent one at a time so a visitor's messages (and
 * events) arrive in the order they were stored, over a kept-alive connection.
 */
class NodeLink {
  private pending: Push[] = [];
  private sending?: Promise<void>;
  /** Set after a push failed for good; cleared by the next success. Only the change is logged. */
  private failing = false;
  private readonly baseUrl: string;

  constructor(private readonly node: RealtimeNodeAddress, private readonly agents: { http: http.Agent; https: https.Agent }) {
    this.baseUrl = node.url.replace(/\/+$/, '');
  }

  enqueue(push: Push) {
    this.pending.push(push);
    if (this.pending.length > MAX_PENDING_PER_NODE) {
      this.pending.shift();
      this.fail(`more than ${MAX_PENDING_PER_NODE} pushes waiting; dropping the oldest`);
    }
    this.sending ??= this.sendAll().finally(() => { this.sending = undefined; });
  }

  drop() {
    this.pending = [];
  }

  async drained(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async sendAll() {
    for (let push = this.pending.shift(); push; push = this.pending.shift()) {
      // A node that is failing gets one try per push, so a dead node cannot pile up retries.
      const delays = this.failing ? [] : RETRY_DELAYS_MS;
      let outcome = await this.send(push);
      for (let retry = 0; !outcome.ok && !outcome.refused && retry < delays.length; retry++) {
        await new Promise((r) => setTimeout(r, delays[retry]));
        outcome = await this.send(push);
      }
      if (outcome.ok) {
        if (this.failing) console.error(`[huiliu] realtime pushes to node ${this.node.id} (${this.node.url}) work again`);
        this.failing = false;
      } else {
        this.fail(outcome.reason);
      }
    }
  }

  private fail(reason: string) {
    if (!this.failing) {
      console.error(`[huiliu] realtime push to node ${this.node.id} (${this.node.url}) failed: ${reason}; its streams get what they missed when they reconnect. Not logged again until pushes work.`);
    }
    this.failing = true;
  }

  /** One attempt. */
  private send(push: Push): Promise<Outcome> {
    const endpoint = new URL(`${this.baseUrl}${push.path}`);
    const secure = endpoint.protocol === 'https:';
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const settle = (outcome: Outcome) => { clearTimeout(timer); resolve(outcome); };
      const req = (secure ? https : http).request(endpoint, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(push.body), [SIGNATURE_HEADER]: push.signature },
      }, (res) => {
        const status = res.statusCode ?? 0;
        // The answer's body is not needed, but must be read for the connection to be reused.
        res.resume();
        res.on('end', () => {
          if (status >= 200 && status < 300) settle({ ok: true });
          // A refusal (a bad signature, say) will not change on retry.
          else settle({ ok: false, reason: `HTTP ${status}`, refused: status >= 400 && status < 500 });
        });
        res.on('error', (err) => settle({ ok: false, reason: err.message }));
        res.on('close', () => settle({ ok: false, reason: 'the connection closed before the answer ended' })); // no-op after 'end'
      });
      timer = setTimeout(() => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)), ATTEMPT_TIMEOUT_MS);
      req.on('error', (err) => settle({ ok: false, reason: err.message }));
      req.end(push.body);
    });
  }
}

type Outcome = { ok: true } | { ok: false; reason: string; refused?: boolean };

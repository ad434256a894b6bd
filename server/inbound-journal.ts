// A customer's message is handed to its conversation's workflow at once, as
// long as Temporal answers within 3 s; when it does not (down, or behind
// under overload) the message is kept in MongoDB instead, acknowledged all the
// same, and delivered from there. A provider's webhook (WeChat gives 5 s and
// then retries) and a visitor's send so never wait long on Temporal and are
// never refused while it is away; on the usual path nothing extra is written.
//
// A relay hands kept messages over in order per customer (a customer with
// messages waiting here has the next one kept too), a few at a time, and
// deletes each once Temporal holds it. A sweep retries what ran out of attempts
// and takes over the messages of a server that stopped before handing them
// over (it knows those servers from `inboundJournalOwners`, so it reads the
// journal only then: on FerretDB a filtered read scans the whole backlog).
// Delivering a message twice (a call that timed out but landed after all, two
// servers taking over at once, a delete that failed) is harmless: the workflow
// drops a message whose provider id it has seen.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { isDuplicateKey, type Models } from '../activities/store';
import type { InboundMessage } from '../activities/types';
import { conversationWorkflowId } from '../workflows/messages';
import type { ConversationGateway } from './conversation-gateway';
import { AppError } from './errors';
import { NODE_STALE_MS, type RealtimeModels } from './realtime/models';

export interface InboundRef {
  inboxId: string;
  channel: string;
  visitorId: string;
}

interface Entry {
  id: string;
  workflowId: string;
  ref: InboundRef;
  message: InboundMessage;
}

/**
 * How long a message waits for Temporal before it is kept here instead: a busy
 * Temporal usually answers sooner (handing over directly writes nothing more
 * and keeps the backlog in Temporal, where a workflow takes several waiting
 * messages in one task), and WeChat's 5 s leave room for the write. A shorter
 * budget (50 ms) made the acknowledgement wait on the journal write instead,
 * whose tail under overload is as long (`npm run bench:webhooks`: ack p99 0.3
 * to 8 s across runs).
 */
const DIRECT_BUDGET_MS = 3_000;
/**
 * Deliveries to Temporal at once from the backlog; a caller waiting for its
 * conversation id does not queue behind them. A few keep up with what workers
 * can process; more only move a backlog into Temporal sooner and, under
 * overload, slow down accepting.
 */
const RELAY_CONCURRENCY = 4;
/** Attempts before a delivery is left to the sweeper, so one message Temporal keeps refusing does not hold its customer's later ones forever. */
const RELAY_ATTEMPTS = 8;
/** Waits between attempts: doubling from the first, at most the max (8 attempts span about 45 s). */
const RELAY_BACKOFF = { firstMs: 250, maxMs: 15_000 };
/** How long a caller waits for the conversation id of a message that opens a conversation (then 503: the message stays accepted). */
const WAIT_FOR_CONVERSATION_MS = 5_000;
const SWEEP_EVERY_MS = 10_000;

/** The promise's value, or undefined once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, ms, undefined); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class InboundJournal {
  /** The tail of each conversation's deliveries, by workflow id: one customer's messages go in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Deliveries under way in this process, by journal id; each resolves to the conversation id, or undefined when left to the sweeper. */
  private readonly relaying = new Map<string, Promise<string | undefined>>();
  private active = 0;
  private readonly slots: (() => void)[] = [];
  private stopped = false;
  /** This server's own entries that ran out of attempts: the next sweep relays them again. */
  private stranded: Entry[] = [];
  /** This server listed as an owner of journal entries, once, before its first one. */
  private registered?: Promise<unknown>;
  /** Ends retry waits at once on stop. */
  private readonly stopping = new AbortController();
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  /** `nodeId` is this server's realtime node id: its heartbeat tells other servers it is still relaying what it accepted. */
  constructor(
    private readonly models: Models,
    private readonly realtime: RealtimeModels,
    private readonly gateway: ConversationGateway,
    private readonly nodeId: string,
    /** Tests shorten the relay's attempts to reach what happens after the last. */
    private readonly relayAttempts = { attempts: RELAY_ATTEMPTS, ...RELAY_BACKOFF },
  ) {}

  /**
   * Delivers the message, or keeps it for delivery. Once this returns, the
   * message will reach its conversation; a provider's retry of it is accepted
   * again and still makes one message.
   */
  async accept(ref: InboundRef, message: InboundMessage): Promise<void> {
    const entry = this.entryOf(ref, message);
    const direct = this.handOver(entry);
    if (direct && (await within(direct, DIRECT_BUDGET_MS))) return;
    if (await this.store(entry)) void this.relay(entry, false, direct);
  }

  /**
   * accept(), answering the id of the conversation the message goes to (the
   * web chat's and the app's contract). For a kept message it is known from an
   * earlier delivery while that conversation is open; otherwise (a new
   * customer, a closed conversation) this waits for the message's delivery.
   */
  async acceptIntoConversation(ref: InboundRef, message: InboundMessage): Promise<{ conversationId: string }> {
    const entry = this.entryOf(ref, message);
    const direct = this.handOver(entry);
    const delivered = direct && (await within(direct, DIRECT_BUDGET_MS));
    if (delivered) return { conversationId: delivered };
    const fresh = await this.store(entry);
    const known = await this.openConversation(entry.workflowId);
    if (known) {
      if (fresh) void this.relay(entry, false, direct);
      return { conversationId: known };
    }
    // Someone waits for this one: it skips the backlog.
    const delivery = this.relaying.get(entry.id) ?? this.relay(entry, true, direct);
    const conversationId = await within(delivery, WAIT_FOR_CONVERSATION_MS);
    if (conversationId) return { conversationId };
    // Accepted all the same: a retry (same message id) adds nothing and answers the conversation once Temporal is back.
    throw new AppError(503, 'the conversation service is unavailable; the message is kept and will be delivered once, please retry to learn its conversation', { retryable: true });
  }

  /** Sweeps at once (an earlier run of this server left its entries to whoever sweeps) and then on a timer. */
  start(): void {
    const sweep = () => { this.sweeping ??= this.sweep().finally(() => { this.sweeping = undefined; }); };
    sweep();
    this.sweeper = setInterval(sweep, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /** Stops relaying (call it once nothing more is accepted); what is not delivered yet stays for another server's sweep. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    clearInterval(this.sweeper);
    await this.sweeping;
    for (const release of this.slots.splice(0)) release();
    await Promise.allSettled(this.relaying.values());
    try {
      // Nothing left behind: no other server need ever look.
      if (this.registered && (await this.models.InboundJournal.countDocuments({ acceptedBy: this.nodeId })) === 0) {
        await this.models.InboundJournalOwner.deleteOne({ _id: this.nodeId });
      }
    } catch (err) {
      console.error(`[huiliu] could not tidy the inbound journal on stop (another server will): ${(err as Error).message}`);
    }
  }

  /**
   * Hands the message to Temporal directly: the conversation id once it
   * landed, undefined when it failed. Not tried while this customer has
   * messages waiting here (they go first).
   */
  private handOver(entry: Entry): Promise<string | undefined> | undefined {
    if (this.chains.has(entry.workflowId) || this.stopped) return undefined;
    // Failures are the gateway's to log.
    return this.gateway.deliver(entry.ref, entry.message).then(({ conversationId }) => conversationId, () => undefined);
  }

  private entryOf(ref: InboundRef, message: InboundMessage): Entry {
    return { id: journalId(ref, message), workflowId: conversationWorkflowId(ref.inboxId, ref.visitorId), ref, message };
  }

  /** Writes the entry; false when it was there already (a retry of a message on its way) or nothing is relayed any more. */
  private async store(entry: Entry): Promise<boolean> {
    const { message, ref } = entry;
    try {
      await this.register();
      await this.models.InboundJournal.create({
        _id: entry.id, workflowId: entry.workflowId, ...ref, message, acceptedAt: new Date(), acceptedBy: this.nodeId,
      });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      console.error(`[huiliu] could not store an inbound message: ${(err as Error).message}`);
      throw new AppError(503, 'the message store is unavailable; the message was not accepted, please retry', { retryable: true });
    }
    return !this.stopped;
  }

  /** Lists this server among the owners of journal entries: once, before its first (again after a failed write). */
  private register(): Promise<unknown> {
    this.registered ??= this.models.InboundJournalOwner.updateOne({ _id: this.nodeId }, { $set: { since: new Date() } }, { upsert: true })
      .catch((err: unknown) => {
        this.registered = undefined;
        throw err;
      });
    return this.registered;
  }

  /** The conversation an earlier delivery found open, while its record does not say it closed. */
  private async openConversation(workflowId: string): Promise<string | undefined> {
    const conversationId = this.gateway.knownConversation(workflowId);
    if (!conversationId) return undefined;
    // Not written yet means it is just starting.
    const doc = await this.models.Conversation.findById(conversationId, { status: 1 }).lean();
    return doc?.status === 'closed' ? undefined : conversationId;
  }

  /**
   * Queues the entry behind its conversation's earlier messages; `urgent`
   * skips the backlog's concurrency limit (someone waits for it). `direct` is
   * the hand-over that ran out of budget: still under way, it is the first
   * attempt.
   */
  private relay(entry: Entry, urgent: boolean, direct?: Promise<string | undefined>): Promise<string | undefined> {
    const previous = this.chains.get(entry.workflowId) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(entry, urgent, direct));
    this.relaying.set(entry.id, delivery);
    const tail = delivery.finally(() => {
      this.relaying.delete(entry.id);
      if (this.chains.get(entry.workflowId) === tail) this.chains.delete(entry.workflowId);
    });
    this.chains.set(entry.workflowId, tail);
    return delivery;
  }

  private async deliver(entry: Entry, urgent: boolean, direct?: Promise<string | undefined>): Promise<string | undefined> {
    const landed = await direct;
    if (landed) return this.delivered(entry, landed);
    if (!urgent) await this.slot();
    try {
      const { attempts, firstMs, maxMs } = this.relayAttempts;
      for (let attempt = 0; attempt < attempts && !this.stopped; attempt++) {
        try {
          const { conversationId } = await this.gateway.deliver(entry.ref, entry.message);
          return await this.delivered(entry, conversationId);
        } catch {
          // The gateway logged why; the message stays in the journal.
          await delay(Math.min(firstMs * 2 ** attempt, maxMs), undefined, { signal: this.stopping.signal }).catch(() => undefined);
        }
      }
      this.stranded.push(entry);
      return undefined;
    } finally {
      if (!urgent) this.release();
    }
  }

  /** Clears a delivered entry. Should that fail, the entry stays: the server that takes this one's entries over (after it stops) delivers it again, and the workflow drops the repeat. */
  private async delivered(entry: Entry, conversationId: string): Promise<string> {
    await this.models.InboundJournal.deleteOne({ _id: entry.id }).catch((err: Error) => {
      console.error(`[huiliu] could not clear a delivered inbound message (it will be redelivered and dropped): ${err.message}`);
    });
    return conversationId;
  }

  private async slot(): Promise<void> {
    if (this.active < RELAY_CONCURRENCY || this.stopped) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.slots.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.slots.shift()?.();
  }

  /**
   * Relays again this server's entries that ran out of attempts, and takes
   * over the entries of servers whose realtime heartbeat stopped.
   */
  private async sweep(): Promise<void> {
    try {
      for (const entry of this.stranded.splice(0)) if (!this.relaying.has(entry.id)) void this.relay(entry, false);
      const owners = await this.models.InboundJournalOwner.find({}, { _id: 1 }).lean();
      for (const { _id: owner } of owners) {
        if (this.stopped) return;
        if (owner !== this.nodeId && !(await this.nodeAlive(owner))) await this.takeOver(owner);
      }
    } catch (err) {
      console.error(`[huiliu] sweeping the inbound journal failed (will retry): ${(err as Error).message}`);
    }
  }

  /** Makes a stopped server's entries this one's, oldest first, and relays them. */
  private async takeOver(owner: string): Promise<void> {
    const docs = await this.models.InboundJournal.find({ acceptedBy: owner }).sort({ acceptedAt: 1 }).lean();
    if (docs.length > 0) console.error(`[huiliu] taking over ${docs.length} inbound message(s) a stopped server had accepted`);
    if (docs.length > 0) await this.register();
    for (const doc of docs) {
      if (this.stopped) return;
      await this.models.InboundJournal.updateOne({ _id: doc._id }, { $set: { acceptedBy: this.nodeId } });
      void this.relay({
        id: doc._id, workflowId: doc.workflowId, ref: { inboxId: doc.inboxId, channel: doc.channel, visitorId: doc.visitorId },
        message: doc.message as InboundMessage,
      }, false);
    }
    await this.models.InboundJournalOwner.deleteOne({ _id: owner });
  }

  private async nodeAlive(nodeId: string): Promise<boolean> {
    const node = await this.realtime.RealtimeNode.findById(nodeId, { seenAt: 1 }).lean();
    return !!node && node.seenAt.getTime() >= Date.now() - NODE_STALE_MS;
  }
}

/** One document per message: the provider's (or client's) message id within the customer's conversation. */
function journalId(ref: InboundRef, message: InboundMessage): string {
  return createHash('sha256').update(`${ref.inboxId}\n${ref.visitorId}\n${message.providerMessageId}`).digest('base64url');
}

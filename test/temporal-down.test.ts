// Temporal goes away: messages to an open conversation are still accepted
// (kept in MongoDB, in order), a message that would open a conversation answers 503
// within the deadline (kept all the same), /readyz names Temporal; once it is
// back, every kept message reaches its conversation exactly once — also one
// whose relay ran out of attempts before Temporal came back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { ConversationGateway } from '../server/conversation-gateway';
import { freePort, startTemporalDev } from '../server/embedded';
import { InboundJournal } from '../server/inbound-journal';
import { realtimeModels } from '../server/realtime/models';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

const SEND = '/api/v1/webchat/demo-webchat/messages';

/** A Temporal dev server of the test's own, to stop and start again on the same port and data. */
async function ownTemporal() {
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-down-'));
  const opts = { dbFile: join(dir, 'temporal.db'), port: await freePort(), headless: true };
  let server = await startTemporalDev(opts);
  return {
    address: server.address,
    stop: () => server.stop(),
    async restart() { server = await startTemporalDev(opts); },
    async remove() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function transcript(stack: Stack, visitorId: string): Promise<{ author: string; text: string; clientMessageId?: string }[]> {
  const res = await api(stack, 'GET', `/api/v1/webchat/demo-webchat/visitors/${visitorId}/messages`);
  return res.body.messages;
}

it('keeps what it accepted while Temporal is down and delivers it, once, when Temporal is back', async () => {
  const temporal = await ownTemporal();
  const stack = await startStack({ temporalAddress: temporal.address });
  try {
    const opened = await api(stack, 'POST', SEND, { body: { visitorId: 'v1', clientMessageId: 'c1', text: '运费多少' } });
    expect(opened.status).toBe(202);
    await waitFor('the bot answer', async () => (await transcript(stack, 'v1')).some((m) => m.author === 'bot'));

    await temporal.stop();
    // The open conversation's next messages are accepted, with its conversation, and kept in order.
    for (const [id, text] of [['c2', '怎么开发票'], ['c3', '运费多少']]) {
      const kept = await api(stack, 'POST', SEND, { body: { visitorId: 'v1', clientMessageId: id, text } });
      expect(kept).toMatchObject({ status: 202, body: { conversationId: opened.body.conversationId } });
    }
    // A new customer's first message has no conversation to answer with yet: 503, within the deadline, not a hang.
    const started = Date.now();
    const waiting = await api(stack, 'POST', SEND, { body: { visitorId: 'v2', clientMessageId: 'c1', text: '运费多少' } });
    expect(waiting).toMatchObject({ status: 503, body: { error: expect.stringMatching(/please retry/), details: { retryable: true } } });
    expect(Date.now() - started).toBeLessThan(15_000); // a 5 s wait (slower when the machine is busy)
    const ready = await api(stack, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 503, body: { error: expect.stringMatching(/temporal/) } });

    await temporal.restart();
    // The kept messages are answered without anyone sending them again...
    await waitFor('the kept messages answered', async () => {
      const [v1, v2] = [await transcript(stack, 'v1'), await transcript(stack, 'v2')];
      return v1.filter((m) => m.author === 'bot').length >= 3 && v2.some((m) => m.author === 'bot');
    }, 60_000);
    // ...and the visitor's retry of the one that got a 503 adds nothing.
    const retried = await api(stack, 'POST', SEND, { body: { visitorId: 'v2', clientMessageId: 'c1', text: '运费多少' } });
    expect(retried.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1000));
    for (const visitor of ['v1', 'v2']) {
      const own = (await transcript(stack, visitor)).filter((m) => m.author === 'visitor').map((m) => m.clientMessageId);
      expect(own).toEqual(visitor === 'v1' ? ['c1', 'c2', 'c3'] : ['c1']);
    }
  } finally {
    await stack.stop();
    await temporal.remove();
  }
}, 120_000);

it('relays again, at the next sweep, a kept message whose relay ran out of attempts while Temporal was away', async () => {
  const temporal = await ownTemporal();
  const stack = await startStack({ temporalAddress: temporal.address });
  // A journal of its own whose relay gives up after two quick attempts (a server's makes 8 over about 45 s),
  // under the running server's node id: alive, so no sweep takes its entries over.
  const realtime = realtimeModels(stack.store.connection);
  const nodes = await realtime.RealtimeNode.find({}, { _id: 1 }).lean();
  expect(nodes).toHaveLength(1);
  const journal = new InboundJournal(
    stack.store.models, realtime, new ConversationGateway(stack.client, stack.config.taskQueue), nodes[0]!._id, { attempts: 2, firstMs: 100, maxMs: 200 },
  );
  const failedCalls = vi.spyOn(console, 'error');
  const failures = () => failedCalls.mock.calls.filter(([line]) => String(line).includes('Temporal call failed')).length;
  try {
    journal.start();
    await temporal.stop();
    await journal.accept(
      { inboxId: 'demo-webchat', channel: 'webchat', visitorId: 'v-stranded' },
      { providerMessageId: 'stranded:c1', clientMessageId: 'c1', text: '运费多少', receivedAt: Date.now() },
    );
    expect(await stack.store.models.InboundJournal.countDocuments({ visitorId: 'v-stranded' })).toBe(1);
    // The hand-over that ran out of budget, then the relay's two attempts: it has given up.
    await waitFor('the relay to give up', async () => failures() >= 3, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const given = failures();

    await temporal.restart();
    // Nothing else hands it over: the sweep (every 10 s) relays what ran out of attempts.
    await waitFor('the stranded message answered', async () => (await transcript(stack, 'v-stranded')).some((m) => m.author === 'bot'), 60_000);
    expect((await transcript(stack, 'v-stranded')).filter((m) => m.author === 'visitor').map((m) => m.clientMessageId)).toEqual(['c1']);
    await waitFor('the journal emptied', async () => (await stack.store.models.InboundJournal.countDocuments({ visitorId: 'v-stranded' })) === 0);
    expect(given).toBeGreaterThanOrEqual(3);
  } finally {
    failedCalls.mockRestore();
    await journal.stop();
    await stack.stop();
    await temporal.remove();
  }
}, 180_000);

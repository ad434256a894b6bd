// Realtime delivery across processes, against the real stack: workers push each
// stored message, signed, to every registered server, and each server hands it
// to its own visitor streams. Extra servers run in this process but share
// nothing with the first except the database, as separate machines would.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../server/embedded';
import { realtimeModels, type RealtimeModels } from '../server/realtime/models';
import { PUSH_PATH, SIGNATURE_HEADER, signBody } from '../server/realtime/push-protocol';
import { loadSharedSecret } from '../server/realtime/shared-secret';
import { runServer } from '../server/start-server';
import { waitFor } from './support/env';
import { openVisitorStream } from './support/sse';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let realtime: RealtimeModels;
beforeAll(async () => {
  stack = await startStack();
  realtime = realtimeModels(stack.store.connection);
});
afterAll(async () => { await stack?.stop(); });
afterEach(() => { vi.restoreAllMocks(); });

const inbox = 'demo-webchat';
const FAQ_QUESTION = 'How do I get a refund?';
const FAQ_ANSWER = 'You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(baseUrl: string, visitorId: string, text: string) {
  const res = await fetch(`${baseUrl}/api/v1/webchat/${inbox}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitorId, clientMessageId: randomUUID(), text }),
  });
  expect(res.status).toBe(202);
}

const openStream = (baseUrl: string, visitorId: string) => openVisitorStream(baseUrl, inbox, visitorId);

/** Workers read the node list when they start and every 5 s: a fresh worker knows every server now. */
async function restartWorker() {
  await stack.stopWorker();
  await stack.startWorker();
}

/** The push failures the worker logged for one node. */
const pushFailuresLogged = (errors: { mock: { calls: unknown[][] } }, nodeId: string) =>
  errors.mock.calls.filter((args) => String(args[0]).includes(`realtime push to node ${nodeId}`)).length;

describe('realtime delivery across servers', () => {
  it('pushes a message to the streams of every server, once each', async () => {
    const second = await runServer(stack.config);
    const visitor = randomUUID();
    const streams = [openStream(stack.url, visitor), openStream(second.url, visitor)];
    try {
      await restartWorker();
      await Promise.all(streams.map((s) => s.open));
      await send(second.url, visitor, FAQ_QUESTION);
      // Well before the new server's one-off catch-up (7 s after it started) could have delivered it.
      for (const s of streams) await waitFor('the bot reply on both servers', async () => s.received.some((m) => m.author === 'bot'), 4_000);
      await sleep(500); // a repeat would come right behind
      for (const s of streams) {
        expect(s.lines()).toEqual([`visitor: ${FAQ_QUESTION}`, `bot: ${FAQ_ANSWER}`]);
        expect(new Set(s.received.map((m) => m.id)).size).toBe(2);
      }
    } finally {
      await Promise.all(streams.map((s) => s.close()));
      await second.stop();
    }
  });

  it('refuses pushes that are unsigned or badly signed, and delivers nothing of them', async () => {
    const visitor = randomUUID();
    const stream = openStream(stack.url, visitor);
    const view = (text: string) => JSON.stringify({
      id: `test:${randomUUID()}`, conversationId: randomUUID(), inboxId: inbox, visitorId: visitor,
      direction: 'out', author: 'system', text, kind: 'text', at: new Date().toISOString(),
    });
    const push = (body: string, signature?: string) => fetch(`${stack.url}${PUSH_PATH}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) }, body,
    });
    try {
      await stream.open;
      const forged = view('forged');
      const refused = [
        await push(forged),
        await push(forged, signBody('not-the-secret', forged)),
        await push(forged, 'sha256=00'),
        await push(view('tampered'), signBody(await loadSharedSecret(realtime), forged)),
      ];
      for (const res of refused) {
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: expect.stringMatching(/realtime push/), details: { header: SIGNATURE_HEADER } });
      }
      // A push signed with the shared secret goes through, and it is the only thing the stream got.
      const genuine = view('genuine');
      expect((await push(genuine, signBody(await loadSharedSecret(realtime), genuine))).status).toBe(204);
      await waitFor('the genuine push', async () => stream.received.length > 0);
      await sleep(200);
      expect(stream.lines()).toEqual(['system: genuine']);
    } finally {
      await stream.close();
    }
  });

  it('drops a stopped server from the node list, and skips nodes whose heartbeat stopped', async () => {
    const second = await runServer(stack.config);
    expect(await realtime.RealtimeNode.findById(second.nodeId).lean()).toMatchObject({ url: second.url });
    await second.stop();
    expect(await realtime.RealtimeNode.findById(second.nodeId).lean()).toBeNull();

    // A server that crashed 31 s ago, at an address where nothing listens.
    const crashed = `crashed-${randomUUID()}`;
    await realtime.RealtimeNode.create({ _id: crashed, url: `http://127.0.0.1:${await freePort()}`, seenAt: new Date(Date.now() - 31_000) });
    const errors = vi.spyOn(console, 'error');
    const visitor = randomUUID();
    const stream = openStream(stack.url, visitor);
    try {
      await restartWorker();
      await stream.open;
      await send(stack.url, visitor, FAQ_QUESTION);
      await waitFor('the bot reply', async () => stream.received.some((m) => m.author === 'bot'));
      expect(pushFailuresLogged(errors, crashed)).toBe(0);
      expect(pushFailuresLogged(errors, second.nodeId)).toBe(0);
    } finally {
      await stream.close();
      await realtime.RealtimeNode.deleteOne({ _id: crashed });
    }
  });

  it('logs an unreachable server once, keeps delivering elsewhere, and the new server catches up', async () => {
    // Registered at an address workers cannot reach: only its catch-up after
    // start (once workers surely know it) can bring its streams the messages.
    const unreachable = await runServer({ ...stack.config, internalUrl: `http://127.0.0.1:${await freePort()}` });
    const errors = vi.spyOn(console, 'error');
    const visitor = randomUUID();
    const streams = [openStream(stack.url, visitor), openStream(unreachable.url, visitor)];
    try {
      await restartWorker();
      await Promise.all(streams.map((s) => s.open));
      await send(stack.url, visitor, FAQ_QUESTION);
      await waitFor('the bot reply pushed to the reachable server', async () => streams[0].received.some((m) => m.author === 'bot'), 4_000);
      await waitFor('the bot reply caught up on the unreachable one', async () => streams[1].received.some((m) => m.author === 'bot'), 15_000);
      await sleep(500);
      for (const s of streams) expect(s.lines()).toEqual([`visitor: ${FAQ_QUESTION}`, `bot: ${FAQ_ANSWER}`]);
      // Two messages failed to reach it (and each was retried): one log line.
      expect(pushFailuresLogged(errors, unreachable.nodeId)).toBe(1);
    } finally {
      await Promise.all(streams.map((s) => s.close()));
      await unreachable.stop();
    }
  });
});

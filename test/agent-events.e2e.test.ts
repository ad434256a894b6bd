// Agents' and supervisors' realtime events (GET /api/v1/events) against the
// real stack: a web chat visitor asks for a person, and the consoles see the
// conversation queued, offered, accepted and the customer writing; an agent
// sees only what concerns them, a supervisor everything; a console that
// reconnects gets exactly what it missed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERY_AGENT, eventPositionAt } from '../activities/events';
import { trusted } from '../activities/store';
import { runServer } from '../server/start-server';
import { waitFor } from './support/env';
import { openEventsStream } from './support/sse';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
let lina: string;
let wang: string;
let supervisor: string;
beforeAll(async () => {
  stack = await startStack();
  lina = stack.logins['agent-lina'].token;
  wang = stack.logins['agent-wang'].token;
  supervisor = stack.logins['sup-liu'].token;
});
afterAll(async () => { await stack?.stop(); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const call = (method: string, path: string, token: string, body?: unknown) => api(stack, method, `/api/v1${path}`, { token, body });
const send = async (visitorId: string, text: string): Promise<string> => {
  const res = await api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { visitorId, clientMessageId: randomUUID(), text } });
  expect(res.status).toBe(202);
  return res.body.conversationId;
};
type Stream = ReturnType<typeof openEventsStream>;
const streamOf = (token: string, opts?: Parameters<typeof openEventsStream>[2]) => openEventsStream(stack.url, token, opts);
const arrived = (stream: Stream, type: string, conversationId?: string) =>
  waitFor(`${type} on the stream`, async () => stream.received.find((e) => e.type === type && (!conversationId || e.data.conversationId === conversationId)));

/** A visitor asks for a person; only Li Na is online, so it is offered to her, and she accepts. */
async function acceptedByLina(linaStream: Stream) {
  const visitor = randomUUID();
  const conversationId = await send(visitor, '人工');
  await arrived(linaStream, 'conversation.offered', conversationId);
  expect((await call('POST', `/conversations/${conversationId}/accept`, lina)).status).toBe(200);
  await arrived(linaStream, 'conversation.accepted', conversationId);
  return { visitor, conversationId };
}

describe('the events stream', () => {
  it("shows an agent their offer, its acceptance and the customer's messages; other agents the queue only; supervisors everything", async () => {
    const streams = { lina: streamOf(lina), wang: streamOf(wang), supervisor: streamOf(supervisor) };
    try {
      await Promise.all(Object.values(streams).map((s) => s.open));
      expect((await call('POST', '/me/status', lina, { status: 'online' })).status).toBe(200);

      const visitor = randomUUID();
      const conversationId = await send(visitor, '人工');
      const offer = await arrived(streams.lina, 'conversation.offered', conversationId);
      expect(offer.data).toEqual({
        id: offer.id, type: 'conversation.offered', at: expect.any(String),
        conversationId, agentId: 'agent-lina', queue: 'general', inboxId: 'demo-webchat', channel: 'webchat',
        data: { offerTimeoutSeconds: 30 },
      });
      expect(streams.lina.typesFor(conversationId)).toEqual(['conversation.queued', 'conversation.offered']);

      expect((await call('POST', `/conversations/${conversationId}/accept`, lina)).status).toBe(200);
      await arrived(streams.lina, 'conversation.accepted', conversationId);
      await send(visitor, '我的订单三天了还没到');
      const message = await arrived(streams.lina, 'conversation.message', conversationId);
      expect(message.data).toMatchObject({ agentId: 'agent-lina', data: { messageId: expect.any(String), preview: '我的订单三天了还没到' } });

      await arrived(streams.supervisor, 'conversation.message', conversationId);
      expect(streams.supervisor.typesFor(conversationId)).toEqual(['conversation.queued', 'conversation.offered', 'conversation.accepted', 'conversation.message']);
      expect(streams.supervisor.received.find((e) => e.type === 'agent.presence')?.data).toMatchObject({ agentId: 'agent-lina', data: { status: 'online' } });
      // Wang may take what waits in a queue, so he sees it come and go; the offer and the messages are Li Na's.
      await arrived(streams.wang, 'conversation.accepted', conversationId);
      await sleep(300); // what should not come would have come by now
      expect(streams.wang.typesFor(conversationId)).toEqual(['conversation.queued', 'conversation.accepted']);
      expect(streams.wang.received.map((e) => e.type)).not.toContain('agent.presence');
      for (const s of Object.values(streams)) expect(new Set(s.received.map((e) => e.id)).size).toBe(s.received.length);
    } finally {
      await Promise.all(Object.values(streams).map((s) => s.close()));
    }
  });

  it('tells the agent who declines that the offer is withdrawn, and nobody else but supervisors', async () => {
    const streams = { lina: streamOf(lina), wang: streamOf(wang), supervisor: streamOf(supervisor) };
    try {
      await Promise.all(Object.values(streams).map((s) => s.open));
      const conversationId = await send(randomUUID(), '人工');
      await arrived(streams.lina, 'conversation.offered', conversationId);
      expect((await call('POST', `/conversations/${conversationId}/decline`, lina)).status).toBe(200);
      const withdrawn = await arrived(streams.lina, 'conversation.offer-withdrawn', conversationId);
      expect(withdrawn.data).toMatchObject({ agentId: 'agent-lina', queue: 'general', data: { reason: 'declined' } });
      await arrived(streams.supervisor, 'conversation.offer-withdrawn', conversationId);
      await sleep(300);
      expect(streams.wang.typesFor(conversationId)).toEqual(['conversation.queued']);
    } finally {
      await Promise.all(Object.values(streams).map((s) => s.close()));
    }
  });

  it('resumes after Last-Event-ID with exactly the events missed meanwhile, each once, then goes on live', async () => {
    const first = streamOf(lina);
    await first.open;
    const { visitor, conversationId } = await acceptedByLina(first);
    await first.close();
    const lastEventId = first.lastEventId()!;

    // While Li Na is away: the customer writes, she closes it (through the API), the customer rates her.
    await send(visitor, '还有一个问题');
    await waitFor('the message logged', () => stack.store.models.Event.exists({ type: 'conversation.message', conversationId }));
    expect((await call('POST', `/conversations/${conversationId}/close`, lina)).status).toBe(200);
    await send(visitor, '5');
    await waitFor('the rating logged', () => stack.store.models.Event.exists({ type: 'survey.rated', conversationId }));
    const missed = (await stack.store.models.Event.find(trusted({ _id: { $gt: lastEventId } })).sort({ _id: 1 }).lean())
      .filter((e) => e.audience.includes('agent-lina') || e.audience.includes(EVERY_AGENT));

    const resumed = streamOf(lina, { lastEventId });
    try {
      await resumed.open;
      await arrived(resumed, 'survey.rated', conversationId);
      expect(resumed.typesFor(conversationId)).toEqual(['conversation.message', 'conversation.closed', 'survey.rated']);
      expect(resumed.received.find((e) => e.type === 'survey.rated')?.data).toMatchObject({ agentId: 'agent-lina', data: { rating: 5 } });
      expect(resumed.received.map((e) => e.id)).toEqual(missed.map((e) => e._id));

      // Then live.
      await call('POST', '/me/status', lina, { status: 'away' });
      expect((await arrived(resumed, 'agent.presence')).data.data).toEqual({ status: 'away' });
      await sleep(300);
      const ids = resumed.received.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => id > lastEventId)).toBe(true);
    } finally {
      await resumed.close();
      await call('POST', '/me/status', lina, { status: 'online' });
    }
  });

  it('filters by type, takes the token as access_token for EventSource, and asks a client resuming from too long ago to reload', async () => {
    const presenceOnly = streamOf(supervisor, { query: 'types=agent.presence' });
    const expired = streamOf(lina, { lastEventId: eventPositionAt(Date.now() - 2 * 3_600_000) });
    try {
      await Promise.all([presenceOnly.open, expired.open]);
      await call('POST', '/me/status', wang, { status: 'away' });
      await send(randomUUID(), '人工'); // queued, offered to Li Na: not presence
      await arrived(presenceOnly, 'agent.presence');
      await waitFor('the offer logged', () => stack.store.models.Event.exists({ type: 'conversation.offered' }));
      await sleep(300);
      expect(presenceOnly.received.map((e) => e.type)).toEqual(['agent.presence']);

      const resync = await arrived(expired, 'stream.resync');
      expect(resync.data).toEqual({ reason: 'expired' });
      expect(expired.received[0]).toBe(resync);
    } finally {
      await Promise.all([presenceOnly.close(), expired.close()]);
    }

    const byQuery = await fetch(`${stack.url}/api/v1/events?access_token=${encodeURIComponent(lina)}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await byQuery.body?.cancel();
  });

  it('asks a client that missed more than the catch-up holds to reload, and resumes its reconnect from then', async () => {
    const start = Date.now() - 1_000;
    const flood = Array.from({ length: 5_001 }, (_, i) => ({
      _id: `${eventPositionAt(start)}${i.toString(36).padStart(4, '0')}`, type: 'agent.presence', at: new Date(start), agentId: 'agent-zhou', data: { status: 'online' }, audience: ['agent-zhou'],
    }));
    await stack.store.models.Event.insertMany(flood);
    const behind = streamOf(lina, { lastEventId: eventPositionAt(start - 1) });
    try {
      await behind.open;
      const resync = await arrived(behind, 'stream.resync');
      expect(resync.data).toEqual({ reason: 'too-many' });
      expect(behind.received[0]).toBe(resync);
      expect(resync.id > flood[flood.length - 1]._id).toBe(true);
    } finally {
      await behind.close();
    }
  });

  it('refuses a missing token, unknown event types and malformed event ids', async () => {
    expect((await api(stack, 'GET', '/api/v1/events')).status).toBe(401);
    expect((await api(stack, 'GET', '/api/v1/events?access_token=hl_nobody')).status).toBe(401);
    const unknown = await call('GET', '/events?types=conversation.offered,conversation.teleported', lina);
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unknown event type: conversation.teleported', details: { unknown: ['conversation.teleported'] } } });
    expect((await call('GET', '/events?after=yesterday', lina)).status).toBe(400);
    const header = await api(stack, 'GET', '/api/v1/events', { token: lina, headers: { 'last-event-id': 'not an id' } });
    expect(header).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Last-Event-ID/) } });
    expect((await call('GET', '/events?nonsense=1', lina)).status).toBe(400);
  });

  it("gets another server's presence changes and the workers' events there too", async () => {
    const second = await runServer(stack.config);
    const here = streamOf(supervisor);
    const there = openEventsStream(second.url, supervisor);
    try {
      await Promise.all([here.open, there.open]);
      // The new server knows this one from its start, so its presence event is pushed here at once.
      await fetch(`${second.url}/api/v1/me/status`, {
        method: 'POST', headers: { authorization: `Bearer ${wang}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'online' }),
      });
      const pushed = await waitFor('the presence set on the other server', async () =>
        here.received.find((e) => e.type === 'agent.presence' && e.data.data.status === 'online'), 2_000);
      expect(pushed.data).toMatchObject({ agentId: 'agent-wang' });
      await call('POST', '/me/status', wang, { status: 'offline' });

      // Workers read the node list every 5 s: a fresh one knows the new server now.
      await stack.stopWorker();
      await stack.startWorker();
      const conversationId = await send(randomUUID(), '人工');
      await arrived(there, 'conversation.queued', conversationId);
    } finally {
      await Promise.all([here.close(), there.close()]);
      await second.stop();
    }
  });
});

it('publishes the events stream in the OpenAPI document', async () => {
  const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;
  const events = doc.paths['/api/v1/events'].get;
  expect(events.parameters.map((p: { name: string }) => p.name)).toEqual(['types', 'after', 'access_token', 'Last-Event-ID']);
  expect(events.responses[200].content['text/event-stream']).toBeDefined();
  expect(doc.components.schemas.RoutingEvent.properties.type.enum).toContain('conversation.offered');
});

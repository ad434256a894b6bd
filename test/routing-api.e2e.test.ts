// The routing API over HTTP against the real stack: admins set agents' routing
// profiles and queues' requirement and strategy; a supervisor watches the
// queues and the agents and sends a waiting web chat conversation to an agent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
let admin: string;
let supervisor: string;
let agent: string;
beforeAll(async () => {
  stack = await startStack();
  admin = stack.logins.admin.token;
  supervisor = stack.logins['sup-liu'].token;
  agent = stack.logins['agent-lina'].token;
});
afterAll(async () => { await stack?.stop(); });

const call = (method: string, path: string, token: string, body?: unknown) => api(stack, method, `/api/v1${path}`, { token, body });
const send = (visitorId: string, text: string) =>
  api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { visitorId, clientMessageId: randomUUID(), text } });
const conversation = async (id: string) => (await call('GET', `/conversations/${id}`, admin)).body;

describe('agent routing profiles (admin)', () => {
  it('sets skills, languages, channels, capacity and teams; keeps what the body leaves out', async () => {
    const profile = {
      skills: ['refund:4', 'billing'], languages: ['zh', 'en'], channels: ['webchat', 'voice'],
      capacity: 4, channelCapacity: { voice: 1 }, teams: ['after-sales'],
    };
    const set = await call('PUT', '/agents/agent-lina/routing', admin, profile);
    expect(set).toMatchObject({ status: 200, body: { id: 'agent-lina', name: '李娜 Li Na', ...profile } });

    const changed = await call('PUT', '/agents/agent-lina/routing', admin, { capacity: 3 });
    expect(changed.body).toMatchObject({ ...profile, capacity: 3 });
    const stored = await stack.store.models.Agent.findById('agent-lina').lean();
    expect(stored).toMatchObject({ skills: ['refund:4', 'billing'], capacity: 3, channelCapacity: { voice: 1 } });
  });

  it('refuses bad input with 400 naming the field, an unknown agent with 404, and a non-admin with 403', async () => {
    for (const skills of [['has space'], ["o'brien"], ['refund:6'], ['refund:'], Array.from({ length: 51 }, (_, i) => `s${i}`)]) {
      const res = await call('PUT', '/agents/agent-lina/routing', admin, { skills });
      expect(res.status, JSON.stringify(skills)).toBe(400);
      expect(res.body.error).toMatch(/skills/);
    }
    for (const capacity of [51, -1, 1.5]) {
      const res = await call('PUT', '/agents/agent-lina/routing', admin, { capacity });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/capacity/);
    }
    const perChannel = await call('PUT', '/agents/agent-lina/routing', admin, { channelCapacity: { voice: 99 } });
    expect(perChannel.status).toBe(400);
    expect(perChannel.body.error).toMatch(/channelCapacity\/voice/);
    expect((await call('PUT', '/agents/agent-lina/routing', admin, { languages: ['z h'] })).body.error).toMatch(/languages\/0/);

    const unknown = await call('PUT', '/agents/agent-nobody/routing', admin, { capacity: 2 });
    expect(unknown).toMatchObject({ status: 404, body: { error: expect.stringMatching(/agent-nobody/) } });
    for (const token of [agent, supervisor]) {
      expect((await call('PUT', '/agents/agent-lina/routing', token, { capacity: 50 })).status).toBe(403);
    }
    expect((await stack.store.models.Agent.findById('agent-lina').lean())?.capacity).toBe(3);
  });
});

describe('queues (admin)', () => {
  it('creates a queue with a requirement and a strategy, then changes one field', async () => {
    const requirement = "skills has 'refund' and languages has 'zh'";
    const created = await call('PUT', '/queues/refunds', admin, { name: '退款 Refunds', requirement, strategy: 'best-skill' });
    expect(created).toMatchObject({
      status: 201,
      body: { id: 'refunds', name: '退款 Refunds', requirement, strategy: 'best-skill', offerTimeoutSeconds: 30, stickyWindowHours: 168 },
    });
    const changed = await call('PUT', '/queues/refunds', admin, { offerTimeoutSeconds: 20, stickyWindowHours: 0, silenceReassignMinutes: 5 });
    expect(changed).toMatchObject({
      status: 200, body: { name: '退款 Refunds', requirement, strategy: 'best-skill', offerTimeoutSeconds: 20, stickyWindowHours: 0, silenceReassignMinutes: 5 },
    });
    // A new queue without a name is named after its id.
    expect((await call('PUT', '/queues/vip', admin, { strategy: 'sticky' })).body).toMatchObject({ id: 'vip', name: 'vip', requirement: null, strategy: 'sticky' });
    // An empty requirement: anyone may take it.
    expect((await call('PUT', '/queues/refunds', admin, { requirement: '' })).body.requirement).toBeNull();
  });

  it('refuses a requirement that does not parse with its position, an unknown strategy and bad numbers', async () => {
    const bad = await call('PUT', '/queues/refunds', admin, { requirement: 'skills has refund' });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: "requirement: expected a quoted skill name after 'has' at 11", details: { field: 'requirement', position: 11 } },
    });
    const unfinished = await call('PUT', '/queues/refunds', admin, { requirement: "skills has 'refund' and" });
    expect(unfinished).toMatchObject({ status: 400, body: { details: { position: 23 } } });

    const strategy = await call('PUT', '/queues/refunds', admin, { strategy: 'random' });
    expect(strategy.status).toBe(400);
    expect(strategy.body.error).toMatch(/strategy must be equal to one of the allowed values/);
    for (const body of [{ offerTimeoutSeconds: 4 }, { offerTimeoutSeconds: 601 }, { stickyWindowHours: 8761 }, { nonsense: 1 }]) {
      expect((await call('PUT', '/queues/refunds', admin, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('PUT', '/queues/refunds', supervisor, { strategy: 'least-busy' })).status).toBe(403);
    // Nothing was changed by the refused requests.
    expect(await stack.store.models.Queue.findById('refunds').lean()).toMatchObject({ strategy: 'best-skill', offerTimeoutSeconds: 20 });
  });
});

describe('supervisor', () => {
  it('sees a waiting conversation and the agents, and sends the conversation to an agent', async () => {
    const visitor = randomUUID();
    const { body: { conversationId } } = await send(visitor, '人工');
    await waitFor('queued', async () => (await conversation(conversationId)).status === 'queued');

    const { status, body } = await call('GET', '/supervisor/queues', supervisor);
    expect(status).toBe(200);
    const general = body.queues.find((q: { id: string }) => q.id === 'general');
    expect(general).toMatchObject({ name: '综合 General', strategy: 'least-busy', configured: true, counts: { waiting: 1, queued: 1, offered: 0 } });
    expect(general.waiting).toEqual([expect.objectContaining({
      id: conversationId, channel: 'webchat', priority: expect.any(Number), agentId: null, declinedBy: [],
      queuedAt: expect.any(String), waitedSeconds: expect.any(Number),
    })]);
    expect(general.waiting[0].waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(body.queues.find((q: { id: string }) => q.id === 'refunds')).toMatchObject({ strategy: 'best-skill', counts: { waiting: 0 }, waiting: [] });
    expect(body.counts).toEqual({ waiting: 1, queued: 1, offered: 0, slaBreached: 0 });

    const agents = (await call('GET', '/supervisor/agents', supervisor)).body.agents;
    expect(agents.map((a: { id: string }) => a.id)).toEqual(['agent-lina', 'agent-wang']);
    expect(agents[0]).toMatchObject({
      status: 'offline', skills: [{ name: 'refund', level: 4 }, { name: 'billing', level: 3 }], languages: ['zh', 'en'], teams: ['after-sales'],
      capacity: 3, channelCapacity: { voice: 1 }, load: { default: 0, voice: 0 }, free: { default: 3, voice: 1 }, conversations: [],
    });
    expect(agents[1]).toMatchObject({ status: 'offline', skills: [], capacity: 5, load: { default: 0 }, free: { default: 5 }, conversations: [] });

    const wang = stack.logins['agent-wang'].token;
    // Online without the API, whose dispatcher would offer him the waiting conversation before the supervisor can.
    await stack.store.models.Agent.updateOne({ _id: 'agent-wang' }, { $set: { status: 'online' } });
    const moved = await call('POST', `/supervisor/conversations/${conversationId}/reassign`, supervisor, { agentId: 'agent-wang', note: 'VIP: 王强 knows this customer' });
    expect(moved).toMatchObject({ status: 200, body: { conversationId, ok: true, action: 'reroute', summary: 'rerouted to agent agent-wang', auditId: expect.any(String) } });
    const offered = await waitFor('offered to agent-wang by name', async () => {
      const c = await conversation(conversationId);
      return c.agentId === 'agent-wang' && c.assignment?.strategy === 'named' && c;
    });
    expect(offered).toMatchObject({ status: 'assigned', assignment: { agentId: 'agent-wang', why: { en: expect.any(String), zh: expect.any(String) } } });
    // Audited like an operator's reroute, under the supervisor's name.
    const audit = await stack.store.models.Audit.findById(moved.body.auditId).lean();
    expect(audit).toMatchObject({ actor: { id: 'sup-liu', role: 'supervisor' }, action: 'reroute', reason: 'VIP: 王强 knows this customer', params: { agentId: 'agent-wang' }, ok: true });

    // Offered, not yet accepted: still waiting, now with the agent it is offered to.
    const after = (await call('GET', '/supervisor/queues', supervisor)).body;
    expect(after.queues.find((q: { id: string }) => q.id === 'general').waiting).toEqual([expect.objectContaining({ id: conversationId, agentId: 'agent-wang' })]);
    expect(after.counts).toEqual({ waiting: 1, queued: 0, offered: 1, slaBreached: 0 });
    const wangNow = (await call('GET', '/supervisor/agents', supervisor)).body.agents.find((a: { id: string }) => a.id === 'agent-wang');
    expect(wangNow).toMatchObject({ status: 'online', load: { default: 1 }, free: { default: 4 }, conversations: [conversationId], offered: [conversationId] });

    // Away is a presence too.
    expect((await call('POST', '/me/status', wang, { status: 'away' })).body).toMatchObject({ status: 'away' });
  });

  it('refuses agents (403), unknown conversations (404), bad bodies (400) and what the workflow refuses (409)', async () => {
    for (const [method, path] of [['GET', '/supervisor/queues'], ['GET', '/supervisor/agents'], ['POST', '/supervisor/conversations/x/reassign']]) {
      expect((await call(method, path, agent, method === 'POST' ? { queue: 'general' } : undefined)).status, path).toBe(403);
    }
    expect((await call('GET', '/supervisor/queues', admin)).status).toBe(200); // admins may too

    const unknown = await call('POST', `/supervisor/conversations/${randomUUID()}/reassign`, supervisor, { agentId: 'agent-wang' });
    expect(unknown.status).toBe(404);

    const visitor = randomUUID();
    const { body: { conversationId } } = await send(visitor, '营业时间是几点？'); // the bot answers: it waits in no queue
    await waitFor('the bot answered', async () => (await conversation(conversationId)).messages?.some((m: { author: string }) => m.author === 'bot'));
    for (const body of [{}, { agentId: 'agent-wang', queue: 'general' }]) {
      const res = await call('POST', `/supervisor/conversations/${conversationId}/reassign`, supervisor, body);
      expect(res).toMatchObject({ status: 400, body: { error: 'give exactly one of agentId or queue' } });
    }
    const refused = await call('POST', `/supervisor/conversations/${conversationId}/reassign`, supervisor, { queue: 'general' });
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringMatching(/not waiting in a queue/) } });
    const noQueue = await call('POST', `/supervisor/conversations/${conversationId}/reassign`, supervisor, { queue: 'no-such-queue' });
    expect(noQueue).toMatchObject({ status: 400, body: { error: 'no such queue: no-such-queue' } });
  });
});

it('publishes the routing endpoints and their schemas in the OpenAPI document', async () => {
  const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
    '/api/v1/agents/{id}/routing', '/api/v1/queues/{id}', '/api/v1/supervisor/queues', '/api/v1/supervisor/agents', '/api/v1/supervisor/conversations/{id}/reassign',
  ]));
  expect(doc.components.schemas.QueueRequest.properties.strategy.enum).toContain('best-skill');
  expect(doc.components.schemas.AgentStatusRequest.properties.status.enum).toEqual(['online', 'away', 'offline']);
});

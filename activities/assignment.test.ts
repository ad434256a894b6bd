// Assignment under concurrency, on the real FerretDB: conversations racing for
// the same agents never push an agent above capacity, and each conversation
// ends up with at most one seat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../test/support/env';
import { assignmentActivities, seatsInUse } from './assignment';
import type { Store } from './store';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });

it('fills exactly the free seats when 50 conversations race for 3 agents', async () => {
  const m = store.models;
  const capacities = { a1: 2, a2: 3, a3: 5 };
  for (const [id, capacity] of Object.entries(capacities)) {
    await m.Agent.create({ _id: id, name: id, email: `${id}@x`, role: 'agent', tokenHash: id, status: 'online', capacity });
  }
  await m.Agent.create({ _id: 'off', name: 'off', email: 'off@x', role: 'agent', tokenHash: 'off', status: 'offline', capacity: 9 });
  const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
  const now = new Date();
  await m.Conversation.insertMany(ids.map((_id) => ({
    _id, workflowId: _id, inboxId: 'i', channel: 'webchat', visitorId: _id, status: 'queued', createdAt: now, updatedAt: now,
  })));

  const { tryAssign } = assignmentActivities(m);
  const results = await Promise.all(ids.map((conversationId) => tryAssign({ conversationId, inboxId: 'i', channel: 'webchat', visitorId: conversationId, queue: 'general' })));

  const assigned = results.filter((r) => r.agentId);
  expect(assigned).toHaveLength(10);
  expect(Object.fromEntries(await seatsInUse(m))).toEqual(capacities);
  const seats = await m.Seat.find().lean();
  expect(new Set(seats.map((s) => s.conversationId)).size).toBe(10); // no conversation holds two seats
  for (const seat of seats) expect((await m.Conversation.findById(seat.conversationId).lean())?.agentId).toBe(seat.agentId);
});

describe('routing by the queue', () => {
  const ref = (conversationId: string, channel = 'webchat') => ({ conversationId, inboxId: 'i', channel, visitorId: conversationId });
  async function waiting(m: Store['models'], id: string, fields: Record<string, unknown> = {}) {
    const now = new Date();
    await m.Conversation.create({ _id: id, workflowId: id, inboxId: 'i', channel: 'webchat', visitorId: id, status: 'queued', createdAt: now, updatedAt: now, queuedAt: now, ...fields });
  }
  async function agents(m: Store['models'], list: Record<string, Record<string, unknown>>) {
    for (const [id, fields] of Object.entries(list)) {
      await m.Agent.create({ _id: id, name: id, email: `${id}@x`, role: 'agent', tokenHash: `t-${id}`, status: 'online', capacity: 3, ...fields });
    }
  }

  it('offers the eligible agent its strategy ranks first, and records why', async () => {
    const m = store.models;
    await agents(m, {
      'r-novice': { skills: ['refund:2'], languages: ['zh'] },
      'r-expert': { skills: ['refund:5'], languages: ['zh', 'en'] },
      'r-english': { skills: ['refund:5'], languages: ['en'] },
    });
    await m.Queue.create({ _id: 'refunds', name: 'Refunds', requirement: "skills has 'refund' and languages has 'zh'", strategy: 'best-skill' });
    await waiting(m, 'r-1', { queue: 'refunds' });
    const { tryAssign } = assignmentActivities(m);
    expect(await tryAssign({ ...ref('r-1'), queue: 'refunds' })).toEqual({ agentId: 'r-expert', offerTimeoutSeconds: 30 });
    const assignment = (await m.Conversation.findById('r-1').lean())?.assignment as { strategy: string; why: { en: string; zh: string } };
    expect(assignment.strategy).toBe('best-skill');
    expect(assignment.why.en).toMatch(/skill/);
    expect(assignment.why.zh).toBeTruthy();
  });

  it('never offers it again to an agent who declined; tells where it stands when nobody can take it', async () => {
    const m = store.models;
    await agents(m, { 'd-only': { skills: ['billing'] } });
    await m.Queue.create({ _id: 'billing', name: 'Billing', requirement: "skills has 'billing'" });
    await waiting(m, 'd-1', { queue: 'billing', declinedBy: ['d-only'] });
    const { tryAssign } = assignmentActivities(m);
    const result = await tryAssign({ ...ref('d-1'), queue: 'billing' });
    expect(result).toMatchObject({ agentId: null, standing: { position: 1, seconds: null } });
    expect(result.announce).toEqual({ zh: '下一位就是您，暂时无法预估等待时间。', en: 'You are next; the wait cannot be estimated yet.' });
    // Told already and nothing changed: no new message.
    expect((await tryAssign({ ...ref('d-1'), queue: 'billing', told: result.standing })).announce).toBeUndefined();
  });

  it('keeps a channel with a capacity of its own apart: one call at a time, chats beside it', async () => {
    const m = store.models;
    await agents(m, { 'v-agent': { capacity: 2, channelCapacity: { voice: 1 }, skills: ['voice-line'] } });
    await m.Queue.create({ _id: 'phone', name: 'Phone', requirement: "skills has 'voice-line'" });
    for (const id of ['v-call-1', 'v-call-2']) await waiting(m, id, { queue: 'phone', channel: 'voice' });
    await waiting(m, 'v-chat-1', { queue: 'phone' });
    const { tryAssign } = assignmentActivities(m);
    expect((await tryAssign({ ...ref('v-call-1', 'voice'), queue: 'phone' })).agentId).toBe('v-agent');
    expect((await tryAssign({ ...ref('v-call-2', 'voice'), queue: 'phone' })).agentId).toBeNull();
    expect((await tryAssign({ ...ref('v-chat-1'), queue: 'phone' })).agentId).toBe('v-agent');
  });

  it('sticky: the customer\'s last agent first, within the window', async () => {
    const m = store.models;
    await agents(m, { 's-a': { skills: ['sticky-skill'] }, 's-b': { skills: ['sticky-skill'] } });
    await m.Queue.create({ _id: 'sticky', name: 'Sticky', requirement: "skills has 'sticky-skill'", strategy: 'sticky' });
    await m.Contact.create({ _id: 'i:s-1', identities: [], createdAt: new Date(), updatedAt: new Date(), lastAgentId: 's-b', lastAgentAt: new Date() });
    await waiting(m, 's-1', { queue: 'sticky' });
    const { tryAssign } = assignmentActivities(m);
    expect((await tryAssign({ ...ref('s-1'), queue: 'sticky' })).agentId).toBe('s-b');
  });
});

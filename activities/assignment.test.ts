// Assignment under concurrency, on the real FerretDB: conversations racing for
// the same agents never push an agent above capacity, and each conversation
// ends up with at most one seat.
import { afterAll, beforeAll, expect, it } from 'vitest';
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

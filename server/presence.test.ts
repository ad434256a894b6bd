// Auto-away on the real FerretDB: online agents not seen for the limit are set
// away; recently seen ones, and ones never seen (set online by an admin tool), stay.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../activities/store';
import { openTestStore } from '../test/support/env';
import { markIdleAgentsAway, presenceTracker } from './presence';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });

it('sets away the online agents not seen for the limit, and notes activity at most once a minute', async () => {
  const m = store.models;
  const now = Date.parse('2026-11-27T10:00:00Z');
  const seen = presenceTracker(m);
  const agent = async (id: string, status: 'online' | 'offline', minutesAgo?: number) => {
    await m.Agent.create({ _id: id, name: id, email: `${id}@x`, role: 'agent', tokenHash: `t-${id}`, status });
    if (minutesAgo !== undefined) await seen(id, now - minutesAgo * 60_000);
  };
  await agent('left-desk', 'online', 20);
  await agent('typing', 'online', 1);
  await agent('never-seen', 'online');
  await agent('gone-home', 'offline', 120);

  expect(await markIdleAgentsAway(m, 15, now)).toBe(1);
  const status = async (id: string) => (await m.Agent.findById(id).lean())?.status;
  expect([await status('left-desk'), await status('typing'), await status('never-seen'), await status('gone-home')]).toEqual(['away', 'online', 'online', 'offline']);

  const lastSeen = async (id: string) => (await m.Presence.findById(id).lean())?.lastSeenAt.getTime();
  await seen('typing', now - 30_000); // 30 s after the last write: not written
  expect(await lastSeen('typing')).toBe(now - 60_000);
  await seen('typing', now);
  expect(await lastSeen('typing')).toBe(now);
});

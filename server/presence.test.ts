// Auto-away on the real FerretDB: online agents not seen for the limit are set
// away; recently seen ones, and ones never seen (set online by an admin tool), stay.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../activities/store';
import { openTestStore } from '../test/support/env';
import { markIdleAgentsAway, seen } from './presence';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });

it('sets away the online agents not seen for the limit, and notes activity at most once a minute', async () => {
  const m = store.models;
  const now = Date.parse('2026-11-27T10:00:00Z');
  const agent = (id: string, status: 'online' | 'offline', minutesAgo?: number) => m.Agent.create({
    _id: id, name: id, email: `${id}@x`, role: 'agent', tokenHash: `t-${id}`, status,
    ...(minutesAgo === undefined ? {} : { lastSeenAt: new Date(now - minutesAgo * 60_000) }),
  });
  await agent('left-desk', 'online', 20);
  await agent('typing', 'online', 1);
  await agent('never-seen', 'online');
  await agent('gone-home', 'offline', 120);

  expect(await markIdleAgentsAway(m, 15, now)).toBe(1);
  const status = async (id: string) => (await m.Agent.findById(id).lean())?.status;
  expect([await status('left-desk'), await status('typing'), await status('never-seen'), await status('gone-home')]).toEqual(['away', 'online', 'online', 'offline']);

  await seen(m, 'typing', new Date(now - 30_000), now); // seen 30 s ago: no write
  expect((await m.Agent.findById('typing').lean())?.lastSeenAt?.getTime()).toBe(now - 60_000);
  await seen(m, 'typing', new Date(now - 60_000), now);
  expect((await m.Agent.findById('typing').lean())?.lastSeenAt?.getTime()).toBe(now);
});

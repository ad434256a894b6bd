// The event log: ids that sort by time (a stream resumes with an _id range),
// and emitting, which stores and publishes and never throws.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStore } from '../test/support/env';
import { EVENT_ID_PATTERN, eventLog, eventPositionAt, loggedEvent, newEventId, presenceEvent, timeOfEventId, type LoggedEvent } from './events';
import type { Models, Store } from './store';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });
afterEach(() => { vi.restoreAllMocks(); });

describe('event ids', () => {
  it('sort in the order they were made, within one millisecond too, and between the positions of their millisecond', () => {
    const t = Date.parse('2026-03-02T09:00:00Z');
    const ids = [newEventId(t), newEventId(t), newEventId(t), newEventId(t + 1), newEventId(t + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(new RegExp(EVENT_ID_PATTERN));
    expect(eventPositionAt(t) < ids[0] && ids[2] < eventPositionAt(t + 1) && eventPositionAt(t + 1) < ids[3]).toBe(true);
    expect(ids.map(timeOfEventId)).toEqual([t, t, t, t + 1, t + 1]);
    expect(eventPositionAt(t)).toMatch(new RegExp(EVENT_ID_PATTERN)); // a valid Last-Event-ID
  });

  it('keep increasing when the clock steps back, however many events come before it catches up', () => {
    const t = Date.parse('2026-03-02T10:00:00Z');
    let previous = newEventId(t + 10);
    for (let i = 0; i < 50_000; i++) {
      const id = newEventId(t);
      if (!(id > previous)) throw new Error(`${id} does not sort after ${previous}`);
      previous = id;
    }
    expect(timeOfEventId(previous)).toBe(t + 11);
  });
});

describe('eventLog', () => {
  it('stores the event under a time-sorted id and publishes it as stored', async () => {
    const published: LoggedEvent[] = [];
    const emit = eventLog(store.models, (e) => published.push(e));
    await emit(presenceEvent('lina', 'online'));
    await emit({ type: 'supervisor.alert', conversationId: 'c1', queue: 'general', data: { alertId: 'c1:esc:1', reason: { zh: '等待过久', en: 'Waited too long' } }, audience: [] });

    const stored = await store.models.Event.find().sort({ _id: 1 }).lean();
    expect(stored.map(loggedEvent)).toEqual(published);
    expect(published).toEqual([
      { id: expect.any(String), at: expect.any(String), type: 'agent.presence', agentId: 'lina', data: { status: 'online' }, audience: ['lina'] },
      { id: expect.any(String), at: expect.any(String), type: 'supervisor.alert', conversationId: 'c1', queue: 'general', data: { alertId: 'c1:esc:1', reason: { zh: '等待过久', en: 'Waited too long' } }, audience: [] },
    ]);
    expect(Date.parse(published[0].at)).toBe(timeOfEventId(published[0].id));
  });

  it('still publishes an event the log refused, logs one line, and does not throw', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = { Event: { create: async () => { throw new Error('disk full'); } } } as unknown as Models;
    const published: LoggedEvent[] = [];
    await eventLog(broken, (e) => published.push(e))(presenceEvent('lina', 'away'));
    expect(published.map((e) => e.type)).toEqual(['agent.presence']);
    expect(errors.mock.calls).toEqual([['[huiliu] routing event agent.presence not logged: disk full']]);
  });
});

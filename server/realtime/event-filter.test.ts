// Who sees which routing event: agents what concerns them, supervisors,
// operators and admins everything; and the stream's `types` filter.
import { describe, expect, it } from 'vitest';
import { EVERY_AGENT, type LoggedEvent } from '../../activities/events';
import { AppError } from '../errors';
import { eventFilter, parseEventTypes } from './event-filter';

const at = '2026-03-02T09:00:00.000Z';
const offeredToLina: LoggedEvent = { id: '1', at, type: 'conversation.offered', conversationId: 'c1', agentId: 'lina', data: { offerTimeoutSeconds: 30 }, audience: ['lina'] };
const queued: LoggedEvent = { id: '2', at, type: 'conversation.queued', conversationId: 'c1', queue: 'general', data: { priority: 0 }, audience: [EVERY_AGENT] };
const alert: LoggedEvent = { id: '3', at, type: 'supervisor.alert', conversationId: 'c1', data: { alertId: 'a', reason: { zh: '', en: '' } }, audience: [] };
const all = [offeredToLina, queued, alert];
const seen = (filter: (e: LoggedEvent) => boolean) => all.filter(filter).map((e) => e.type);

describe('eventFilter', () => {
  it("shows an agent their own events and the queue's, not another agent's nor supervisors' alerts", () => {
    expect(seen(eventFilter({ id: 'lina', role: 'agent' }))).toEqual(['conversation.offered', 'conversation.queued']);
    expect(seen(eventFilter({ id: 'wang', role: 'agent' }))).toEqual(['conversation.queued']);
  });

  it('shows analysts only what names them: they take no conversations', () => {
    expect(seen(eventFilter({ id: 'zhao', role: 'analyst' }))).toEqual([]);
  });

  it('shows supervisors, operators and admins every event', () => {
    for (const role of ['supervisor', 'operator', 'admin'] as const) {
      expect(seen(eventFilter({ id: 'someone', role })), role).toEqual(['conversation.offered', 'conversation.queued', 'supervisor.alert']);
    }
  });

  it('keeps only the types asked for', () => {
    expect(seen(eventFilter({ id: 'liu', role: 'supervisor' }, parseEventTypes('supervisor.alert, conversation.queued')))).toEqual(['conversation.queued', 'supervisor.alert']);
  });
});

describe('parseEventTypes', () => {
  it('refuses unknown types with 400 naming them, and an empty list', () => {
    const refusal = (list: string) => { try { parseEventTypes(list); } catch (err) { return err as AppError; } throw new Error('accepted'); };
    expect(refusal('conversation.offered,conversation.teleported,x')).toMatchObject({ status: 400, message: 'unknown event types: conversation.teleported, x' });
    expect(refusal(' , ')).toMatchObject({ status: 400, message: expect.stringMatching(/^types is empty/) });
  });
});

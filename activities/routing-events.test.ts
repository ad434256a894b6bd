// The routing events the conversation's activities emit, on the real FerretDB
// (the decorator reads the conversation for some): which activity, which
// input and result, which event and audience; and that events never change
// what the activity does or returns.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStore } from '../test/support/env';
import { EVERY_AGENT, type RoutingEvent } from './events';
import { withRoutingEvents } from './routing-events';
import type { Models, Store } from './store';

let store: Store;
beforeAll(async () => { store = await openTestStore(); });
afterAll(async () => { await store?.close(); });
afterEach(() => { vi.restoreAllMocks(); });

type Watched = Parameters<typeof withRoutingEvents>[0];
const ref = { conversationId: 'c1', inboxId: 'web', channel: 'webchat', visitorId: 'v1' };
const about = { conversationId: 'c1', inboxId: 'web', channel: 'webchat' };

/** The activities with the given results (each resolves to its entry), decorated; and what they emitted. */
function decorated(results: Partial<Record<keyof Watched, unknown>> = {}, models: Models = store.models) {
  const emitted: RoutingEvent[] = [];
  const stub = (name: keyof Watched) => async () => (name in results ? results[name] : undefined);
  const names: (keyof Watched)[] = ['enqueue', 'tryAssign', 'withdrawOffer', 'acceptConversation', 'transferConversation', 'escalate', 'recordSlaBreach', 'finishAgentWork', 'storeSurvey', 'normalizeMessage'];
  const activities = Object.fromEntries(names.map((n) => [n, stub(n)])) as unknown as Watched;
  return { acts: withRoutingEvents(activities, models, async (e) => { emitted.push(e); }), emitted };
}

async function conversation(fields: { status: 'queued' | 'assigned' | 'survey'; agentId?: string | null; queue?: string }) {
  const now = new Date();
  await store.models.Conversation.updateOne({ _id: 'c1' }, {
    $set: { workflowId: 'conv:web:v1', inboxId: 'web', channel: 'webchat', visitorId: 'v1', createdAt: now, updatedAt: now, agentId: null, ...fields },
  }, { upsert: true });
}

describe('routing events of the conversation activities', () => {
  it('announces a queued conversation to every agent, and an offer to its agent only', async () => {
    const { acts, emitted } = decorated({ tryAssign: { agentId: 'lina', offerTimeoutSeconds: 30 } });
    await acts.enqueue({ ...ref, queue: 'general', priority: 2 });
    await acts.tryAssign({ ...ref, queue: 'general' });
    expect(emitted).toEqual([
      { type: 'conversation.queued', ...about, queue: 'general', data: { priority: 2 }, audience: [EVERY_AGENT] },
      { type: 'conversation.offered', ...about, agentId: 'lina', queue: 'general', data: { offerTimeoutSeconds: 30 }, audience: ['lina'] },
    ]);
  });

  it('announces no offer when nobody could take it, or when the result names the agent who holds it already', async () => {
    for (const result of [{ agentId: null, standing: { position: 2, seconds: 60 } }, { agentId: 'lina' }]) {
      const { acts, emitted } = decorated({ tryAssign: result });
      await acts.tryAssign({ ...ref, queue: 'general' });
      expect(emitted, JSON.stringify(result)).toEqual([]);
    }
  });

  it('tells the agent an offer was withdrawn, unless they accepted it meanwhile (the activity then changes nothing)', async () => {
    const { acts, emitted } = decorated();
    await conversation({ status: 'assigned', agentId: 'lina', queue: 'general' });
    await acts.withdrawOffer({ ...ref, agentId: 'lina', reason: 'timeout' });
    expect(emitted).toEqual([]);

    await conversation({ status: 'queued', agentId: null, queue: 'general' });
    await acts.withdrawOffer({ ...ref, agentId: 'lina', reason: 'declined' });
    // Taken back from her after she accepted it and left the customer waiting: it is in the queue again for everyone.
    await acts.withdrawOffer({ ...ref, agentId: 'lina', reason: 'silence' });
    expect(emitted).toEqual([
      { type: 'conversation.offer-withdrawn', ...about, agentId: 'lina', queue: 'general', data: { reason: 'declined' }, audience: ['lina'] },
      { type: 'conversation.offer-withdrawn', ...about, agentId: 'lina', queue: 'general', data: { reason: 'silence' }, audience: ['lina', EVERY_AGENT] },
    ]);
  });

  it('announces accepting, transferring with the note, escalating (only when it did) and closing', async () => {
    const { acts, emitted } = decorated({ escalate: { escalated: true } });
    await acts.acceptConversation({ ...ref, agentId: 'lina' });
    await acts.transferConversation({ ...ref, queue: 'refunds', priority: 0, note: { from: 'lina', text: 'wants a refund', at: 0 } });
    await acts.transferConversation({ ...ref, queue: 'vip', priority: 1 });
    await acts.escalate({ ...ref, queue: 'escalation', priority: 9 });
    await acts.finishAgentWork({ ...ref, agentId: 'wang' });
    expect(emitted).toEqual([
      { type: 'conversation.accepted', ...about, agentId: 'lina', data: {}, audience: ['lina', EVERY_AGENT] },
      { type: 'conversation.transferred', ...about, queue: 'refunds', agentId: 'lina', data: { queue: 'refunds', note: 'wants a refund' }, audience: [EVERY_AGENT] },
      { type: 'conversation.transferred', ...about, queue: 'vip', data: { queue: 'vip' }, audience: [EVERY_AGENT] },
      { type: 'conversation.escalated', ...about, queue: 'escalation', data: { queue: 'escalation', priority: 9 }, audience: [EVERY_AGENT] },
      { type: 'conversation.closed', ...about, agentId: 'wang', data: {}, audience: ['wang'] },
    ]);

    const notEscalated = decorated({ escalate: { escalated: false } });
    await notEscalated.acts.escalate({ ...ref, queue: 'escalation', priority: 9 });
    expect(notEscalated.emitted).toEqual([]);
  });

  it("passes a customer's message to the agent who has the conversation, with a short preview, and to nobody while it waits", async () => {
    const text = '你好'.repeat(150);
    const message = { id: 'webchat:web:m1', text, language: 'zh' };
    const { acts, emitted } = decorated({ normalizeMessage: message });
    const inbound = { ...ref, inbound: { providerMessageId: 'm1', text, receivedAt: 0 }, language: 'zh' as const };
    await conversation({ status: 'queued', agentId: null, queue: 'general' });
    await acts.normalizeMessage(inbound);
    expect(emitted).toEqual([]);

    await conversation({ status: 'assigned', agentId: 'lina', queue: 'general' });
    expect(await acts.normalizeMessage(inbound)).toBe(message);
    expect(emitted).toEqual([
      { type: 'conversation.message', ...about, agentId: 'lina', queue: 'general', data: { messageId: 'webchat:web:m1', preview: text.slice(0, 200) }, audience: ['lina'] },
    ]);
  });

  it('announces an SLA breach to the agent who has the conversation, and a rating once (not the follow-up answer, not a timeout)', async () => {
    const { acts, emitted } = decorated();
    await conversation({ status: 'assigned', agentId: 'lina', queue: 'general' });
    await acts.recordSlaBreach({ ...ref, kind: 'firstResponse', due: Date.parse('2026-03-02T09:00:00Z'), at: Date.parse('2026-03-02T09:00:01Z') });
    await acts.storeSurvey({ ...ref, agentId: 'lina', rating: 4, status: 'answered' });
    await acts.storeSurvey({ ...ref, agentId: 'lina', rating: 4, comment: 'quick, thanks', status: 'answered' });
    await acts.storeSurvey({ ...ref, agentId: 'lina', status: 'timeout' });
    expect(emitted).toEqual([
      { type: 'sla.breached', ...about, agentId: 'lina', queue: 'general', data: { kind: 'firstResponse', due: '2026-03-02T09:00:00.000Z' }, audience: ['lina'] },
      { type: 'survey.rated', ...about, agentId: 'lina', data: { rating: 4 }, audience: ['lina'] },
    ]);
  });

  it('emits nothing for an activity that fails, and rethrows its error as it was', async () => {
    const failure = new Error('no seat');
    const emitted: RoutingEvent[] = [];
    const acts = withRoutingEvents({ ...decorated().acts, acceptConversation: async (_input: unknown): Promise<void> => { throw failure; } }, store.models, async (e) => { emitted.push(e); });
    await expect(acts.acceptConversation({ ...ref, agentId: 'lina' })).rejects.toBe(failure);
    expect(emitted).toEqual([]);
  });

  it('never fails an activity that succeeded for want of its event, and says why in one line', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = { ...store.models, Conversation: { findById: () => { throw new Error('database unreachable'); } } } as unknown as Models;
    const message = { id: 'webchat:web:m2', text: 'hi' };
    const { acts, emitted } = decorated({ normalizeMessage: message }, broken);
    const inbound = { ...ref, inbound: { providerMessageId: 'm2', text: 'hi', receivedAt: 0 }, language: 'en' as const };
    expect(await acts.normalizeMessage(inbound)).toBe(message);
    expect(emitted).toEqual([]);
    expect(errors.mock.calls).toEqual([['[huiliu] no routing event for normalizeMessage: database unreachable']]);
  });

  it('leaves the activities it does not watch as they are', () => {
    const other = async () => 'untouched';
    const acts = withRoutingEvents({ ...decorated().acts, other }, store.models, async () => undefined);
    expect(acts.other).toBe(other);
  });
});

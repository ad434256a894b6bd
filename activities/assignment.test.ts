// Assignment under concurrency, on the real FerretDB: conversations racing for
// the same agents never push an agent above capacity, and each conversation
// ends up with at most one seat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../test/support/env';
import { assignmentActivities, seatsInUse, waitingFor } from './assignment';
import { conversationActivities } from './conversation';
import type { Store } from './store';
import { fillWaitingList, partitions } from './waiting-list';

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

  it('learns by the intent the bot recognized when the step requires no skill', async () => {
    const m = store.models;
    await agents(m, { 'i-agent': {} });
    await waiting(m, 'i-1', { queue: 'general' });
    await waiting(m, 'i-2', { queue: 'general' });
    const { tryAssign } = assignmentActivities(m);
    await tryAssign({ ...ref('i-1'), queue: 'general', intent: 'faq-refund-policy' });
    await tryAssign({ ...ref('i-2'), queue: 'general', requiredSkills: ['billing'], intent: 'faq-refund-policy' });
    const skillOf = async (id: string) => ((await m.Conversation.findById(id).lean())?.assignment as { skill?: string } | undefined)?.skill;
    expect(await skillOf('i-1')).toBe('faq-refund-policy');
    expect((await m.Conversation.findById('i-2').lean())?.agentId).toBeNull(); // nobody has billing
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

describe('the waiting list', () => {
  const ref = (conversationId: string, channel = 'webchat') => ({ conversationId, inboxId: 'i', channel, visitorId: conversationId });
  async function started(m: Store['models'], id: string, fields: Record<string, unknown> = {}) {
    const now = new Date();
    await m.Conversation.create({ _id: id, workflowId: `wf-${id}`, inboxId: 'i', channel: 'webchat', visitorId: id, status: 'bot', createdAt: now, updatedAt: now, ...fields });
  }
  async function agent(m: Store['models'], id: string, fields: Record<string, unknown> = {}) {
    await m.Agent.create({ _id: id, name: id, email: `${id}@x`, role: 'agent', tokenHash: `t-${id}`, status: 'online', capacity: 1, ...fields });
  }
  /** Where the conversation's entry is: the partitions (queue, priority, lane) holding it. */
  async function whereIs(m: Store['models'], id: string) {
    const found: string[] = [];
    for (const p of await partitions(m)) if (await m.Conversation.db.db!.collection(p.entries).findOne({ _id: id as never })) found.push(`${p.queue}/${p.priority}/${p.lane}`);
    return found;
  }

  it('follows each conversation through its queue steps, retried ones too', async () => {
    const m = store.models;
    const a = assignmentActivities(m);
    await agent(m, 'wl-agent', { skills: ['wl-skill'], channels: ['wl-chat'] });
    await m.Queue.create({ _id: 'wl-q', name: 'WL', requirement: "skills has 'wl-skill'" });
    await started(m, 'wl-1', { channel: 'wl-chat' });
    const ref = (conversationId: string) => ({ conversationId, inboxId: 'i', channel: 'wl-chat', visitorId: conversationId });
    await a.enqueue({ ...ref('wl-1'), queue: 'wl-q', priority: 0 });
    await a.enqueue({ ...ref('wl-1'), queue: 'wl-q', priority: 0 }); // retried
    expect(await whereIs(m, 'wl-1')).toEqual(['wl-q/0/new']);

    expect((await a.tryAssign({ ...ref('wl-1'), queue: 'wl-q' })).agentId).toBe('wl-agent');
    expect(await whereIs(m, 'wl-1')).toEqual([]);

    // Declined: it waits again, in the lane for those who keep their old queuedAt, never to go back to wl-agent.
    await a.withdrawOffer({ ...ref('wl-1'), agentId: 'wl-agent', reason: 'declined' });
    await a.withdrawOffer({ ...ref('wl-1'), agentId: 'wl-agent', reason: 'declined' }); // retried
    expect(await whereIs(m, 'wl-1')).toEqual(['wl-q/0/again']);
    expect(await waitingFor(m, 'wl-agent')).toEqual([]); // the only conversation on their channel

    await a.transferConversation({ ...ref('wl-1'), queue: 'wl-other', priority: 3 });
    await a.transferConversation({ ...ref('wl-1'), queue: 'wl-other', priority: 3 }); // retried
    expect(await whereIs(m, 'wl-1')).toEqual(['wl-other/3/new']);

    expect(await a.escalate({ ...ref('wl-1'), queue: 'wl-urgent', priority: 9 })).toEqual({ escalated: true });
    expect(await a.escalate({ ...ref('wl-1'), queue: 'wl-urgent', priority: 9 })).toEqual({ escalated: true }); // retried
    expect(await whereIs(m, 'wl-1')).toEqual(['wl-urgent/9/new']);

    await a.leaveQueue(ref('wl-1'));
    await a.leaveQueue(ref('wl-1')); // retried
    expect(await whereIs(m, 'wl-1')).toEqual([]);

    // Closed while it waited: the close step gives back its seats, and it leaves the list.
    await started(m, 'wl-2');
    await a.enqueue({ ...ref('wl-2'), queue: 'wl-q', priority: 0 });
    await conversationActivities(m).closeConversation(ref('wl-2'));
    expect(await whereIs(m, 'wl-2')).toEqual([]);

    // Queued before the list existed (no entry): its next try that finds nobody puts it on.
    await m.Queue.create({ _id: 'wl-nobody', name: 'Nobody', requirement: "skills has 'nobody-has-it'" });
    await started(m, 'wl-3', { status: 'queued', queue: 'wl-nobody', priority: 1, queuedAt: new Date() });
    expect((await a.tryAssign({ ...ref('wl-3'), queue: 'wl-nobody' })).agentId).toBeNull();
    expect(await whereIs(m, 'wl-3')).toEqual(['wl-nobody/1/new']);
  });

  it('hands a freed agent the most urgent conversations they can take, as many as their free seats', async () => {
    const m = store.models;
    const a = assignmentActivities(m);
    await agent(m, 'wf-agent', { capacity: 2, skills: ['wf-skill'], channels: ['webchat'] });
    await m.Queue.create({ _id: 'wf-q', name: 'WF', requirement: "skills has 'wf-skill'" });
    await m.Queue.create({ _id: 'wf-closed', name: 'WF not for them', requirement: "skills has 'other'" });
    const minutes = (n: number) => new Date(Date.now() - n * 60_000);
    // Aging adds a point a minute up to 10: 30 min at priority 0 (10) beats 1 min at priority 5 (6), loses to fresh 20.
    await fillWaitingList(m, [
      { _id: 'wf-old', workflowId: 'w-old', channel: 'webchat', queue: 'wf-q', priority: 0, queuedAt: minutes(30) },
      { _id: 'wf-mid', workflowId: 'w-mid', channel: 'webchat', queue: 'wf-q', priority: 5, queuedAt: minutes(1) },
      { _id: 'wf-vip', workflowId: 'w-vip', channel: 'webchat', queue: 'wf-q', priority: 20, queuedAt: minutes(0) },
      { _id: 'wf-declined', workflowId: 'w-d', channel: 'webchat', queue: 'wf-q', priority: 50, queuedAt: minutes(5), declinedBy: ['wf-agent'] },
      { _id: 'wf-voice', workflowId: 'w-voice', channel: 'voice', queue: 'wf-q', priority: 50, queuedAt: minutes(5) },
      { _id: 'wf-theirs-not', workflowId: 'w-n', channel: 'webchat', queue: 'wf-closed', priority: 90, queuedAt: minutes(5) },
    ]);
    expect(await waitingFor(m, 'wf-agent')).toEqual([{ conversationId: 'wf-vip', workflowId: 'w-vip' }, { conversationId: 'wf-old', workflowId: 'w-old' }]);
    await m.Seat.create({ _id: 'wf-agent#0', agentId: 'wf-agent', conversationId: 'elsewhere', at: new Date() });
    expect(await waitingFor(m, 'wf-agent')).toEqual([{ conversationId: 'wf-vip', workflowId: 'w-vip' }]);
    // An offer withdrawn long after it was queued keeps its place by its age, not behind newer entries.
    await started(m, 'wf-back', { status: 'assigned', agentId: 'x', queue: 'wf-q', priority: 20, queuedAt: minutes(20) });
    await a.withdrawOffer({ ...ref('wf-back'), agentId: 'x', reason: 'timeout' });
    expect(await waitingFor(m, 'wf-agent')).toEqual([{ conversationId: 'wf-back', workflowId: 'wf-wf-back' }]);
  });

  it('offers a freed seat from the hints, and finds agents set online behind the API on the first try', async () => {
    const m = store.models;
    const a = assignmentActivities(m);
    await agent(m, 'h-agent', { skills: ['h-skill'], channels: ['h-chat'] });
    const ref = (conversationId: string) => ({ conversationId, inboxId: 'i', channel: 'h-chat', visitorId: conversationId });
    await m.Queue.create({ _id: 'h-q', name: 'H', requirement: "skills has 'h-skill'" });
    for (const id of ['h-1', 'h-2']) {
      await started(m, id, { channel: 'h-chat' });
      await a.enqueue({ ...ref(id), queue: 'h-q', priority: 0 });
    }
    // Set online in the database, not through the API: no hint, so the first try reads every agent.
    expect((await a.tryAssign({ ...ref('h-1'), queue: 'h-q' })).agentId).toBe('h-agent');
    expect(await m.Vacancy.findById('h-agent').lean()).toBeNull(); // full
    const told = (await a.tryAssign({ ...ref('h-2'), queue: 'h-q' })).standing;
    expect(told).toMatchObject({ position: 1 });
    // h-agent closes h-1: their seat comes back with a hint, and h-2's next try takes it.
    await conversationActivities(m).closeConversation(ref('h-1'));
    expect(await m.Vacancy.findById('h-agent').lean()).toMatchObject({ _id: 'h-agent' });
    expect(await waitingFor(m, 'h-agent')).toEqual([{ conversationId: 'h-2', workflowId: 'wf-h-2' }]);
    expect((await a.tryAssign({ ...ref('h-2'), queue: 'h-q', told })).agentId).toBe('h-agent');
    expect(await m.Vacancy.findById('h-agent').lean()).toBeNull();
    expect(Object.fromEntries(await seatsInUse(m))).toMatchObject({ 'h-agent': 1 });
  });
});

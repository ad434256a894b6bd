// Capacity freed → the most urgent waiting conversation, on the real stack:
// when an agent comes online or closes a conversation, the waiting
// conversations they could take look for an agent at once (not at their next
// periodic try, set to 10 minutes here), the highest priority first.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from '../rules/flow';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
const queueFlow = (priority: number): FlowDefinition => ({
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [
    { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
    { id: 'normalize', type: 'normalize', typeVersion: 1, position: { x: 0, y: 100 }, parameters: {} },
    { id: 'wait-agent', type: 'queue', typeVersion: 2, position: { x: 0, y: 200 }, parameters: { queue: 'general', priority, slaSeconds: 3600, assignRetrySeconds: 600 } },
    { id: 'close', type: 'close', typeVersion: 1, position: { x: 0, y: 300 }, parameters: {} },
  ],
  edges: [['start', 'next', 'normalize'], ['normalize', 'next', 'wait-agent'], ['wait-agent', 'closed', 'close']]
    .map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
});

beforeAll(async () => {
  stack = await startStack();
  const m = stack.store.models;
  for (const [id, priority] of [['plain', 0], ['vip', 10]] as const) {
    await m.FlowVersion.create({ _id: `${id}@1`, flowId: id, version: 1, definition: queueFlow(priority), publishedBy: 'test', message: 'v1' });
    await m.Flow.create({ _id: id, name: id, publishedVersion: 1 });
    await m.Inbox.create({ _id: `${id}-web`, name: id, channel: 'webchat', flowId: id });
  }
  await m.Agent.updateOne({ _id: 'agent-lina' }, { $set: { capacity: 1 } });
});
afterAll(async () => {
  await stack?.stop();
});

const write = async (inbox: string, text: string) => {
  const res = await api(stack, 'POST', `/api/v1/webchat/${inbox}/messages`, { body: { visitorId: randomUUID(), clientMessageId: randomUUID(), text } });
  expect(res.status).toBe(202);
  return res.body.conversationId as string;
};
const conversation = (id: string) => stack.store.models.Conversation.findById(id).lean();

it('an agent coming online gets the most urgent waiting conversation at once, and the next one as soon as a seat frees', async () => {
  const lina = stack.logins['agent-lina'].token;
  const plain = await write('plain-web', 'I need help');
  const vip = await write('vip-web', 'I need help too');
  // Both have made their first try for an agent (nobody online) and told the customer where they stand.
  const told = async (id: string) => (await stack.store.models.Message.countDocuments({ conversationId: id, author: 'system' })) === 2;
  await waitFor('both waiting', async () => (await told(plain)) && (await told(vip)));

  expect((await api(stack, 'POST', '/api/v1/me/status', { token: lina, body: { status: 'online' } })).status).toBe(200);
  await waitFor('the VIP conversation offered to Lina', async () => (await conversation(vip))?.agentId === 'agent-lina', 5000);
  expect((await conversation(plain))?.agentId).toBeNull(); // her one seat is taken
  const mine = await api(stack, 'GET', '/api/v1/me/conversations', { token: lina });
  expect(mine.body.conversations.map((c: { id: string; offered: boolean }) => [c.id, c.offered])).toEqual([[vip, true]]);

  expect((await api(stack, 'POST', `/api/v1/conversations/${vip}/accept`, { token: lina })).status).toBe(200);
  expect((await api(stack, 'POST', `/api/v1/conversations/${vip}/close`, { token: lina })).status).toBe(200);
  const closedAt = Date.now();
  await waitFor('the plain conversation offered to Lina', async () => (await conversation(plain))?.agentId === 'agent-lina', 5000);
  expect(Date.now() - closedAt).toBeLessThan(5000); // long before its next periodic try, 10 minutes away
  expect((await conversation(plain))?.assignment).toMatchObject({ agentId: 'agent-lina', strategy: 'least-busy' });
});

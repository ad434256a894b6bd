// Offers in a running conversation (time-skipping Temporal test server, real
// activities on FerretDB): an offer goes to the agent the queue's strategy
// picks; a decline or a lapsed offer goes to the next agent, never back; the
// customer hears where they stand while nobody can take them.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../rules/flow';
import { waitFor } from '../test/support/env';
import { checkReplay, workflowTestEnv } from '../test/support/workflow-env';
import { acceptUpdate, conversationWorkflowId, declineUpdate } from './messages';

const t = workflowTestEnv('routing-workflow');
const INBOX = 'routing-shop';

const node = (id: string, type: string, parameters: Record<string, unknown> = {}, typeVersion = 1): FlowNode =>
  ({ id, type, typeVersion, position: { x: 0, y: 0 }, parameters });
const flow: FlowDefinition = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [node('start', 'start'), node('normalize', 'normalize'), node('to-agent', 'queue', { queue: 'general', slaSeconds: 3600 }, 2), node('close', 'close')],
  edges: [['start', 'next', 'normalize'], ['normalize', 'next', 'to-agent'], ['to-agent', 'closed', 'close']]
    .map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
};

const transcript = async (conversationId: string) =>
  (await t.m.Message.find({ conversationId, direction: 'out' }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => x.text);
const conversation = (id: string) => t.m.Conversation.findById(id).lean();

describe('offers', () => {
  it('a decline and a lapsed offer go to the next agent, never back; meanwhile the customer hears where they stand', async () => {
    await t.m.FlowVersion.create({ _id: 'offers@1', flowId: 'offers', version: 1, definition: flow, publishedBy: 'test', message: 'v1' });
    await t.m.Flow.create({ _id: 'offers', name: 'offers', publishedVersion: 1 });
    await t.m.Inbox.create({ _id: INBOX, name: 'Routing shop', channel: 'webchat', flowId: 'offers' });
    await t.m.Queue.updateOne({ _id: 'general' }, { $set: { strategy: 'round-robin', offerTimeoutSeconds: 20 } });
    for (const id of ['agent-lina', 'agent-wang']) await t.m.Agent.updateOne({ _id: id }, { $set: { status: 'online' } });

    const visitor = randomUUID();
    const workflowId = conversationWorkflowId(INBOX, visitor);
    const { conversationId } = await t.gateway.deliver({ inboxId: INBOX, channel: 'webchat', visitorId: visitor }, { providerMessageId: randomUUID(), text: 'I need a person please', receivedAt: Date.now() });
    const handle = t.env.client.workflow.getHandle(workflowId);

    // Round robin from the start of the list: agent-lina, then agent-wang.
    const first = await waitFor('offered', async () => (await conversation(conversationId))?.agentId);
    expect(first).toBe('agent-lina');
    expect((await conversation(conversationId))?.assignment).toMatchObject({ agentId: 'agent-lina', strategy: 'round-robin' });
    // Only the agent it is offered to can decline it.
    await expect(handle.executeUpdate(declineUpdate, { args: [{ conversationId, agentId: 'agent-wang' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(declineUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await waitFor('offered to the next agent', async () => (await conversation(conversationId))?.agentId === 'agent-wang');

    // agent-wang lets the 20 s offer lapse: nobody else may have it, so it waits, and the customer is told.
    await t.env.sleep('25 seconds');
    await waitFor('withdrawn', async () => (await conversation(conversationId))?.status === 'queued');
    expect((await conversation(conversationId))?.declinedBy).toEqual(['agent-lina', 'agent-wang']);
    expect(await t.m.Seat.countDocuments({ conversationId })).toBe(0);
    await waitFor('told where they stand', async () => (await transcript(conversationId)).length === 2);
    expect(await transcript(conversationId)).toEqual(['Connecting you to an agent, please wait.', 'You are next; the wait cannot be estimated yet.']);

    // An agent who declined can still take it from the queue themselves.
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    expect(await conversation(conversationId)).toMatchObject({ status: 'assigned', agentId: 'agent-lina' });
    await checkReplay(t, workflowId, 'routing-offers');
  });
});

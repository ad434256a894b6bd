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
import { acceptUpdate, agentReplyUpdate, closeUpdate, conversationWorkflowId, declineUpdate, transferUpdate } from './messages';

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

/** The shop's inbox on the queue flow, the general queue set up as given, both agents online; a customer writes. */
async function customerWaits(queueSettings: Record<string, unknown>) {
  await t.m.FlowVersion.create({ _id: 'offers@1', flowId: 'offers', version: 1, definition: flow, publishedBy: 'test', message: 'v1' });
  await t.m.Flow.create({ _id: 'offers', name: 'offers', publishedVersion: 1 });
  await t.m.Inbox.create({ _id: INBOX, name: 'Routing shop', channel: 'webchat', flowId: 'offers' });
  await t.m.Queue.updateOne({ _id: 'general' }, { $set: { strategy: 'round-robin', ...queueSettings } });
  for (const id of ['agent-lina', 'agent-wang']) await t.m.Agent.updateOne({ _id: id }, { $set: { status: 'online' } });
  const visitor = randomUUID();
  const say = (text: string) => t.gateway.deliver({ inboxId: INBOX, channel: 'webchat', visitorId: visitor }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });
  const { conversationId } = await say('I need a person please');
  const workflowId = conversationWorkflowId(INBOX, visitor);
  return { conversationId, workflowId, say, handle: t.env.client.workflow.getHandle(workflowId) };
}

describe('offers', () => {
  it('a decline and a lapsed offer go to the next agent, never back; meanwhile the customer hears where they stand', async () => {
    const { conversationId, workflowId, handle } = await customerWaits({ offerTimeoutSeconds: 20 });

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

  it('an accepted conversation whose customer waits too long for a reply goes to another agent', async () => {
    const { conversationId, workflowId, handle, say } = await customerWaits({ silenceReassignMinutes: 2, offerTimeoutSeconds: 600 });
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await say('hello? anyone?');
    await waitFor('the question stored', async () => (await t.m.Message.countDocuments({ conversationId, direction: 'in' })) === 2);
    await t.env.sleep('3 minutes');
    await waitFor('offered to Wang', async () => (await conversation(conversationId))?.agentId === 'agent-wang');
    expect(await conversation(conversationId)).toMatchObject({ status: 'assigned', acceptedAt: null, declinedBy: ['agent-lina'] });
    expect(await transcript(conversationId)).toEqual(['Connecting you to an agent, please wait.', 'Transferring you to the right team, please wait.']);
    expect(await t.m.Seat.find({ conversationId }).lean()).toMatchObject([{ agentId: 'agent-wang' }]);
    await checkReplay(t, workflowId, 'routing-silence');
  });

  it('an agent transfers an accepted conversation to a colleague with a note the colleague sees', async () => {
    const { conversationId, workflowId, handle } = await customerWaits({ offerTimeoutSeconds: 600 });
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    // Only the agent who has it can transfer it, to exactly one place.
    await expect(handle.executeUpdate(transferUpdate, { args: [{ conversationId, agentId: 'agent-wang', toAgentId: 'agent-lina' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(transferUpdate, { args: [{ conversationId, agentId: 'agent-lina', queue: 'escalation', toAgentId: 'agent-wang' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.executeUpdate(transferUpdate, { args: [{ conversationId, agentId: 'agent-lina', toAgentId: 'agent-wang', note: 'VIP; refund already approved' }] });
    const offered = await waitFor('offered to Wang', async () => {
      const c = await conversation(conversationId);
      return c?.agentId === 'agent-wang' && c;
    });
    expect(offered).toMatchObject({ status: 'assigned', acceptedAt: null, declinedBy: ['agent-lina'], transferNote: { from: 'agent-lina', text: 'VIP; refund already approved' } });
    expect(offered.assignment).toMatchObject({ agentId: 'agent-wang', strategy: 'named' });
    expect(await transcript(conversationId)).toEqual(['Connecting you to an agent, please wait.', 'Transferring you to the right team, please wait.']);
    await checkReplay(t, workflowId, 'routing-transfer');
  });

  it('records each SLA target missed once: the first reply, a next reply; resolution met', async () => {
    const sla = { firstResponseSeconds: 60, nextResponseSeconds: 30, resolutionSeconds: 3600 };
    const { conversationId, workflowId, handle, say } = await customerWaits({ sla, offerTimeoutSeconds: 600 });
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await t.env.sleep('2 minutes');
    await waitFor('first response missed', async () => (await conversation(conversationId))?.slaBreached === true);
    await handle.executeUpdate(agentReplyUpdate, { args: [{ conversationId, agentId: 'agent-lina', text: 'Sorry for the wait!' }] });
    await say('ok, my order is late');
    await waitFor('the question stored', async () => (await t.m.Message.countDocuments({ conversationId, direction: 'in' })) === 2);
    await t.env.sleep('1 minute');
    await waitFor('next response missed', async () => ((await conversation(conversationId))?.slaBreaches as unknown[] | undefined)?.length === 2);
    await handle.executeUpdate(agentReplyUpdate, { args: [{ conversationId, agentId: 'agent-lina', text: 'Checking now.' }] });
    await handle.executeUpdate(closeUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    const breaches = (await conversation(conversationId))?.slaBreaches as { kind: string; due: Date; at: Date }[];
    expect(breaches.map((b) => b.kind)).toEqual(['firstResponse', 'nextResponse']);
    for (const b of breaches) expect(b.at.getTime()).toBeGreaterThanOrEqual(b.due.getTime());
    await checkReplay(t, workflowId, 'routing-sla');
  });
});

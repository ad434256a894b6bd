// What operators see and do inside a conversation (time-skipping Temporal test
// server, real activities on FerretDB): the search attributes it keeps, a step
// that keeps failing shown as stuck and retried on request, and reroutes to
// another queue and to another flow step.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { plugins } from '../activities/registry';
import type { Plugin } from '../activities/plugins/types';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../rules/flow';
import { waitFor } from '../test/support/env';
import { checkReplay, workflowTestEnv } from '../test/support/workflow-env';
import { conversationWorkflowId, opsRerouteUpdate, opsRetryUpdate } from './messages';

// An order system that is down until the test says otherwise.
let orderSystemUp = false;
const flakyPlugin: Plugin = {
  definition: {
    type: 'order-lookup', typeVersion: 1, category: 'integration',
    title: { zh: '查订单', en: 'Order lookup' }, description: { zh: '测试用', en: 'Test only' },
    parameters: { type: 'object', properties: {} },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
  },
  createHandler: () => async () => {
    if (!orderSystemUp) throw new Error('order system answered 503');
    return { handle: 'next', note: { zh: '已查到', en: 'found' } };
  },
};

const t = workflowTestEnv('ops-workflow', () => ({ plugins: [...plugins, flakyPlugin] }));
const INBOX = 'ops-shop';

const node = (id: string, type: string, parameters: Record<string, unknown> = {}, typeVersion = 1): FlowNode =>
  ({ id, type, typeVersion, position: { x: 0, y: 0 }, parameters });
const flowOf = (nodes: FlowNode[], links: [string, string, string][]): FlowDefinition => ({
  schemaVersion: FLOW_SCHEMA_VERSION, nodes,
  edges: links.map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
});

async function publish(flowId: string, definition: FlowDefinition) {
  await t.m.FlowVersion.create({ _id: `${flowId}@1`, flowId, version: 1, definition, publishedBy: 'test', message: 'v1' });
  await t.m.Flow.create({ _id: flowId, name: flowId, publishedVersion: 1 });
  await t.m.Inbox.create({ _id: INBOX, name: 'Ops shop', channel: 'webchat', flowId });
}

const say = (visitorId: string, text: string) =>
  t.gateway.deliver({ inboxId: INBOX, channel: 'webchat', visitorId }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });
const transcript = async (conversationId: string) =>
  (await t.m.Message.find({ conversationId, direction: 'out' }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => x.text);
// The time-skipping test server keeps a removed attribute as [null], or the
// epoch for a date; the real server drops it (test/ops.e2e.test.ts).
const unset = (attribute: unknown) => {
  const value = attribute as unknown[] | undefined;
  return value === undefined || value[0] === null || (value[0] instanceof Date && value[0].getTime() === 0);
};
const attributes = async (workflowId: string) => (await t.env.client.workflow.getHandle(workflowId).describe()).searchAttributes;

describe('a conversation for operators', () => {
  it('shows where it is, shows a step that keeps failing as stuck with its error, and retries it when asked', async () => {
    orderSystemUp = false;
    await publish('lookup', flowOf([
      node('start', 'start'), node('normalize', 'normalize'), node('lookup', 'order-lookup'),
      node('answer', 'reply', { text: { zh: '订单已找到。', en: 'Found your order.' } }),
      node('idle', 'wait', { timeoutSeconds: 600 }), node('close', 'close'),
    ], [['start', 'next', 'normalize'], ['normalize', 'next', 'lookup'], ['lookup', 'next', 'answer'], ['answer', 'next', 'idle'],
      ['idle', 'message', 'normalize'], ['idle', 'timeout', 'close']]));
    const visitor = randomUUID();
    const workflowId = conversationWorkflowId(INBOX, visitor);
    const { conversationId } = await say(visitor, 'where is my order?');
    const handle = t.env.client.workflow.getHandle(workflowId);

    const stuck = await waitFor('stuck shown', async () => {
      const sa = await attributes(workflowId);
      return sa.HuiliuStuck?.[0] === 'activity-failing' && sa;
    });
    expect(stuck).toMatchObject({
      HuiliuInbox: [INBOX], HuiliuChannel: ['webchat'], HuiliuConversation: [conversationId],
      HuiliuFlow: ['lookup'], HuiliuFlowVersion: [1], HuiliuStep: ['lookup'], HuiliuStatus: ['bot'],
    });
    expect(stuck.HuiliuStuckSince?.[0]).toBeInstanceOf(Date);
    const { memo } = await handle.describe();
    expect(memo).toMatchObject({ lastError: 'lookup: order system answered 503', attempts: 5 });
    expect(await transcript(conversationId)).toEqual([]);

    // Still down: the retry reports the failure and the conversation stays stuck.
    expect(await handle.executeUpdate(opsRetryUpdate)).toEqual({ recovered: false, error: 'order system answered 503' });
    expect((await handle.describe()).memo).toMatchObject({ attempts: 10 });

    orderSystemUp = true;
    expect(await handle.executeUpdate(opsRetryUpdate)).toEqual({ recovered: true });
    await waitFor('answer sent', async () => (await transcript(conversationId)).length === 1);
    await waitFor('stuck cleared', async () => unset((await attributes(workflowId)).HuiliuStuck));
    expect(unset((await attributes(workflowId)).HuiliuStuckSince)).toBe(true);
    expect((await attributes(workflowId)).HuiliuStep).toEqual(['idle']);
    expect((await handle.describe()).memo?.lastError).toBeUndefined();
    expect(await transcript(conversationId)).toEqual(['Found your order.']);
    // Nothing is failing now: a retry is refused with the reason.
    await expect(handle.executeUpdate(opsRetryUpdate)).rejects.toThrow(WorkflowUpdateFailedError);
    await checkReplay(t, workflowId, 'ops-stuck-retry');
  });

  it('is rerouted to another queue, to a named agent and then to another flow step, telling the customer each time', async () => {
    await publish('routing', flowOf([
      node('start', 'start'), node('normalize', 'normalize'),
      node('wait-agent', 'queue', { queue: 'general', slaSeconds: 300, requiredSkills: ['vip-care'] }, 2),
      node('sorry', 'reply', { text: { zh: '抱歉久等，我们会通过邮件联系您。', en: 'Sorry for the wait; we will email you.' } }),
      node('close', 'close'),
    ], [['start', 'next', 'normalize'], ['normalize', 'next', 'wait-agent'], ['wait-agent', 'closed', 'close'], ['sorry', 'next', 'close']]));
    const visitor = randomUUID();
    const workflowId = conversationWorkflowId(INBOX, visitor);
    const { conversationId } = await say(visitor, 'I need a person please');
    const handle = t.env.client.workflow.getHandle(workflowId);
    const queued = await waitFor('queued', async () => {
      const sa = await attributes(workflowId);
      return sa.HuiliuStatus?.[0] === 'queued' && sa;
    });
    expect(queued.HuiliuStep).toEqual(['wait-agent']);
    expect(queued.HuiliuSlaDueAt?.[0]).toBeInstanceOf(Date);

    // A step that is not in the flow, or two targets at once, are refused with the reason.
    await expect(handle.executeUpdate(opsRerouteUpdate, { args: [{ nodeId: 'nowhere' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(opsRerouteUpdate, { args: [{ queue: 'escalation', nodeId: 'sorry' }] })).rejects.toThrow(WorkflowUpdateFailedError);

    await handle.executeUpdate(opsRerouteUpdate, { args: [{ queue: 'escalation' }] });
    await waitFor('moved to escalation', async () => (await t.m.Conversation.findById(conversationId).lean())?.queue === 'escalation');

    // Nobody has the skill the step requires; an agent the operator names gets it anyway.
    await t.m.Agent.updateOne({ _id: 'agent-wang' }, { $set: { status: 'online' } });
    await handle.executeUpdate(opsRerouteUpdate, { args: [{ agentId: 'agent-wang' }] });
    const offered = await waitFor('offered to agent-wang', async () => {
      const c = await t.m.Conversation.findById(conversationId).lean();
      return c?.agentId === 'agent-wang' && c;
    });
    expect(offered).toMatchObject({ status: 'assigned', queue: 'escalation' });

    await handle.executeUpdate(opsRerouteUpdate, { args: [{ nodeId: 'sorry' }] });
    await waitFor('closed', async () => (await t.m.Conversation.findById(conversationId).lean())?.status === 'closed');
    expect(await transcript(conversationId)).toEqual([
      // Nobody online serves the queue: the customer is told they are next, without an estimate, once.
      'Connecting you to an agent, please wait.', 'You are next; the wait cannot be estimated yet.',
      'Transferring you to the right team, please wait.', 'Transferring you to the right team, please wait.', 'Sorry for the wait; we will email you.',
    ]);
    expect(await t.m.Seat.countDocuments({ conversationId })).toBe(0); // agent-wang's seat is free again
    await waitFor('closed in visibility', async () => (await attributes(workflowId)).HuiliuStatus?.[0] === 'closed');
    expect(unset((await attributes(workflowId)).HuiliuSlaDueAt)).toBe(true);
    await checkReplay(t, workflowId, 'ops-reroute');
  });
});

// Escalation steps, SLAs in business hours and surveys in a running
// conversation (time-skipping Temporal test server, real activities on
// FerretDB): every timer here is durable workflow time.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { addBusinessSeconds } from '../rules/business-calendar';
import { timeFacts } from '../rules/facts';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../rules/flow';
import { waitFor } from '../test/support/env';
import { checkReplay, workflowTestEnv } from '../test/support/workflow-env';
import { acceptUpdate, agentReplyUpdate, closeUpdate, conversationWorkflowId, requestSurveyUpdate, transferUpdate } from './messages';
import { surveyChoices } from './texts';

const t = workflowTestEnv('escalation-workflow');
const INBOX = 'escalation-shop';

const node = (id: string, type: string, parameters: Record<string, unknown> = {}, typeVersion = 1): FlowNode =>
  ({ id, type, typeVersion, position: { x: 0, y: 0 }, parameters });
const flowOf = (nodes: FlowNode[], edges: string[][]): FlowDefinition => ({
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [node('start', 'start'), node('normalize', 'normalize'), ...nodes, node('close', 'close')],
  edges: [['start', 'next', 'normalize'], ...edges].map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
});

const outbound = async (conversationId: string) =>
  (await t.m.Message.find({ conversationId, direction: 'out' }).sort({ storedAt: 1, _id: 1 }).lean());
const transcript = async (conversationId: string) => (await outbound(conversationId)).map((x) => x.text);
const conversation = (id: string) => t.m.Conversation.findById(id).lean();

/** The shop's inbox on `flow`, the given agents online; a customer writes. */
async function customerWrites(flow: FlowDefinition, online: string[], first = 'I need a person please') {
  await t.m.FlowVersion.create({ _id: 'esc@1', flowId: 'esc', version: 1, definition: flow, publishedBy: 'test', message: 'v1' });
  await t.m.Flow.create({ _id: 'esc', name: 'esc', publishedVersion: 1 });
  await t.m.Inbox.create({ _id: INBOX, name: 'Escalation shop', channel: 'webchat', flowId: 'esc' });
  for (const id of online) await t.m.Agent.updateOne({ _id: id }, { $set: { status: 'online' } });
  const visitor = randomUUID();
  const say = (text: string) => t.gateway.deliver({ inboxId: INBOX, channel: 'webchat', visitorId: visitor }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });
  const { conversationId } = await say(first);
  const workflowId = conversationWorkflowId(INBOX, visitor);
  return { conversationId, workflowId, say, handle: t.env.client.workflow.getHandle(workflowId) };
}

describe('escalation steps', () => {
  it('raise priority and alert supervisors, then move to another queue, then take a message for a call back', async () => {
    const flow = flowOf([
      node('to-agent', 'queue', { queue: 'general', slaSeconds: 60, assignRetrySeconds: 30 }, 2),
      node('urgent', 'escalate', { queue: '', priority: 50, notify: false, notifySupervisor: true, slaSeconds: 60, assignRetrySeconds: 30 }),
      node('seniors', 'escalate', { queue: 'escalation', priority: 80, slaSeconds: 60, assignRetrySeconds: 30 }),
      node('leave-message', 'callback', { timeoutSeconds: 600 }),
    ], [
      ['normalize', 'next', 'to-agent'], ['to-agent', 'sla', 'urgent'], ['urgent', 'sla', 'seniors'], ['seniors', 'sla', 'leave-message'],
      ['to-agent', 'closed', 'close'], ['urgent', 'closed', 'close'], ['seniors', 'closed', 'close'], ['leave-message', 'left', 'close'],
    ]);
    const { conversationId, workflowId, say } = await customerWrites(flow, []);
    await waitFor('queued', async () => (await conversation(conversationId))?.status === 'queued');

    await t.env.sleep('65 seconds');
    await waitFor('priority raised', async () => (await conversation(conversationId))?.priority === 50);
    expect(await conversation(conversationId)).toMatchObject({ queue: 'general', status: 'queued', escalated: true });
    const alerts = await t.m.Alert.find({ conversationId }).lean();
    expect(alerts).toMatchObject([{ queue: 'general', nodeId: 'urgent' }]);
    expect(alerts[0].reason?.en).toMatch(/waited about 1 min/);

    await t.env.sleep('65 seconds');
    await waitFor('moved to the seniors', async () => (await conversation(conversationId))?.queue === 'escalation');
    expect(await conversation(conversationId)).toMatchObject({ priority: 80, status: 'queued' });

    await t.env.sleep('65 seconds');
    const offer = "Sorry, all our agents are busy. Leave us a message about your question (and a phone number if you'd like a call back), and we'll get back to you soon.";
    await waitFor('asked to leave a message', async () => (await transcript(conversationId)).includes(offer));
    expect(await conversation(conversationId)).toMatchObject({ status: 'bot', queue: null });
    await say('请明天上午回电 138-1234-5678，订单 A1001 的退款');
    await waitFor('closed', async () => (await conversation(conversationId))?.status === 'closed');
    expect(await t.m.Callback.find({ conversationId }).lean()).toMatchObject([
      { queue: 'escalation', phone: '13812345678', status: 'open', text: '请明天上午回电 138-1234-5678，订单 A1001 的退款' },
    ]);
    expect(await transcript(conversationId)).toEqual([
      'Connecting you to an agent, please wait.',
      'You are next; the wait cannot be estimated yet.', // told once, not again at each step
      'Sorry for the wait. You have been moved up to our senior team.',
      offer,
      '已收到您的留言，我们会尽快联系您。',
    ]);
    // Supervisors' event streams heard of the alert and the callback (activities/events.ts).
    const events = (await t.m.Event.find({ conversationId }).lean()).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['conversation.queued', 'conversation.escalated', 'supervisor.alert', 'callback.requested']));
    await checkReplay(t, workflowId, 'routing-escalation-steps');
  });

  it('widening the skill requirement lets an agent without the queue’s skills take the conversation', async () => {
    await t.m.Queue.create({ _id: 'refunds', name: 'Refunds', requirement: "skills has 'refund'" });
    const flow = flowOf([
      node('to-agent', 'queue', { queue: 'refunds', slaSeconds: 60, assignRetrySeconds: 10 }, 2),
      node('anyone', 'escalate', { queue: '', priority: 20, anyAgent: true, notify: false, slaSeconds: 0, assignRetrySeconds: 10 }),
    ], [['normalize', 'next', 'to-agent'], ['to-agent', 'sla', 'anyone'], ['to-agent', 'closed', 'close'], ['anyone', 'closed', 'close']]);
    const { conversationId } = await customerWrites(flow, ['agent-lina']);
    await waitFor('queued', async () => (await conversation(conversationId))?.status === 'queued');
    await t.env.sleep('30 seconds');
    expect((await conversation(conversationId))?.agentId).toBeNull(); // Lina has no refund skill
    await t.env.sleep('40 seconds');
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    expect(await conversation(conversationId)).toMatchObject({ queue: 'refunds', priority: 20, status: 'assigned' });
  });
});

describe('SLA in business hours', () => {
  it('stops the first-response clock while the queue is closed', async () => {
    // Open all day, every day except today (Shanghai time): the queue opens at the next midnight.
    const now = Date.now();
    const today = timeFacts(now, 'Asia/Shanghai').weekday;
    const calendar = { businessHours: { days: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today), from: '00:00', to: '24:00' }, timeZone: 'Asia/Shanghai', holidays: [] };
    await t.m.Queue.updateOne({ _id: 'general' }, { $set: { sla: { firstResponseSeconds: 600 }, ...calendar, offerTimeoutSeconds: 86_400 * 2 } });
    const flow = flowOf([node('to-agent', 'queue', { queue: 'general', slaSeconds: 0 }, 2)], [['normalize', 'next', 'to-agent'], ['to-agent', 'closed', 'close']]);
    const { conversationId, workflowId, handle } = await customerWrites(flow, ['agent-lina']);
    await waitFor('offered', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });

    const since = (await conversation(conversationId))!.queuedAt!.getTime();
    const due = addBusinessSeconds(since, 600, calendar);
    expect(due - since).toBeGreaterThan(600_000); // closed now: wall-clock 10 minutes would be too early
    await t.env.sleep('15 minutes');
    expect((await conversation(conversationId))?.slaBreached ?? false).toBe(false);
    await t.env.sleep(due - Date.now() + 60_000);
    await waitFor('first response missed', async () => (await conversation(conversationId))?.slaBreached === true);
    const breaches = (await conversation(conversationId))?.slaBreaches as { kind: string; due: Date }[];
    expect(breaches.map((b) => [b.kind, b.due.getTime()])).toEqual([['firstResponse', due]]);
    await checkReplay(t, workflowId, 'routing-sla-business-hours');
  });
});

describe('surveys', () => {
  const surveyFlow = (survey: Record<string, unknown>) => flowOf([
    node('to-agent', 'queue', { queue: 'general', slaSeconds: 3600 }, 2),
    node('rate', 'survey', survey),
  ], [['normalize', 'next', 'to-agent'], ['to-agent', 'closed', 'rate'], ['rate', 'next', 'close']]);

  it('asks with buttons, reminds once, asks a low rater why, and rates the agent who served last after a transfer', async () => {
    await t.m.Queue.updateOne({ _id: 'general' }, { $set: { strategy: 'round-robin', offerTimeoutSeconds: 600 } });
    const flow = surveyFlow({ timeoutSeconds: 600, reminderSeconds: 120, followUp: true, followUpBelow: 3 });
    const { conversationId, workflowId, handle, say } = await customerWrites(flow, ['agent-lina', 'agent-wang']);
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await handle.executeUpdate(transferUpdate, { args: [{ conversationId, agentId: 'agent-lina', toAgentId: 'agent-wang', note: 'refund case' }] });
    await waitFor('offered to Wang', async () => (await conversation(conversationId))?.agentId === 'agent-wang');
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-wang' }] });
    await handle.executeUpdate(agentReplyUpdate, { args: [{ conversationId, agentId: 'agent-wang', text: 'Refund done.' }] });
    await handle.executeUpdate(closeUpdate, { args: [{ conversationId, agentId: 'agent-wang' }] });

    const asked = await waitFor('asked', async () => (await outbound(conversationId)).find((m) => m.kind === 'survey'));
    expect(asked.choices).toEqual(surveyChoices.en);
    await t.env.sleep('125 seconds');
    await waitFor('reminded', async () => (await outbound(conversationId)).filter((m) => m.kind === 'survey').length === 2);
    await t.env.sleep('125 seconds'); // once only
    expect((await outbound(conversationId)).filter((m) => m.kind === 'survey')).toHaveLength(2);

    await say('2 Dissatisfied'); // a picked button
    await waitFor('asked why', async () => (await transcript(conversationId)).includes("We're sorry we fell short. What could we have done better? Just reply here."));
    await say('It took two transfers.');
    await waitFor('closed', async () => (await conversation(conversationId))?.status === 'closed');
    expect(await t.m.Survey.findById(conversationId).lean()).toMatchObject({
      agentId: 'agent-wang', servedBy: ['agent-lina', 'agent-wang'], rating: 2, comment: 'It took two transfers.', status: 'answered', reminded: true, trigger: 'flow',
    });
    expect((await transcript(conversationId)).at(-1)).toBe('Thank you for your feedback. Goodbye!');
    await checkReplay(t, workflowId, 'routing-survey');
  });

  it('an agent asks for the rating during the conversation; the flow’s survey then skips it', async () => {
    const { conversationId, handle, say } = await customerWrites(surveyFlow({ timeoutSeconds: 600 }), ['agent-lina']);
    await waitFor('offered to Lina', async () => (await conversation(conversationId))?.agentId === 'agent-lina');
    await expect(handle.executeUpdate(requestSurveyUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] })).rejects.toThrow(WorkflowUpdateFailedError); // not accepted yet
    await handle.executeUpdate(acceptUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await expect(handle.executeUpdate(requestSurveyUpdate, { args: [{ conversationId, agentId: 'agent-wang' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/another agent/) } });
    await handle.executeUpdate(requestSurveyUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await say('5');
    await waitFor('rated', async () => (await t.m.Survey.findById(conversationId).lean())?.rating === 5);
    expect(await t.m.Survey.findById(conversationId).lean()).toMatchObject({ agentId: 'agent-lina', trigger: 'agent', status: 'answered' });
    await expect(handle.executeUpdate(requestSurveyUpdate, { args: [{ conversationId } ] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/rated this conversation already/) } });
    await handle.executeUpdate(closeUpdate, { args: [{ conversationId, agentId: 'agent-lina' }] });
    await waitFor('closed', async () => (await conversation(conversationId))?.status === 'closed');
    expect(await transcript(conversationId)).toEqual([
      'Connecting you to an agent, please wait.', 'Please rate this conversation: reply 1–5 (5 = very satisfied).', 'Thank you for your rating!',
    ]);
  });
});

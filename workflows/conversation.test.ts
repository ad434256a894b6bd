// Scenario tests of the conversation workflow on Temporal's time-skipping test
// server, with the real activities against FerretDB. Each scenario's history
// is replayed at once (and saved for the replay suite with RECORD_HISTORIES=1).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_INBOX_ID } from '../server/seed';
import { waitFor } from '../test/support/env';
import { checkReplay as checkReplayOf, workflowTestEnv } from '../test/support/workflow-env';
import { conversationWorkflowId } from './messages';

const TASK_QUEUE = 'wf-tests';
const t = workflowTestEnv(TASK_QUEUE);

async function say(visitorId: string, text: string, providerMessageId: string = randomUUID()) {
  return t.gateway.deliver({ inboxId: DEMO_INBOX_ID, channel: 'webchat', visitorId }, { providerMessageId, clientMessageId: providerMessageId, text, receivedAt: Date.now() });
}

const transcript = async (conversationId: string) =>
  (await t.m.Message.find({ conversationId }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => `${x.author}: ${x.text}`);

const conversation = (id: string) => t.m.Conversation.findById(id).lean();

async function setAgent(agentId: string, status: 'online', capacity = 5) {
  await t.m.Agent.updateOne({ _id: agentId }, { $set: { status, capacity } });
}
const seatsOf = async (agentId: string) => (await t.m.Seat.find({ agentId }).lean()).map((s) => s.conversationId);

const checkReplay = (scenario: string, visitorId: string) => checkReplayOf(t, conversationWorkflowId(DEMO_INBOX_ID, visitorId), scenario);

describe('conversation workflow', () => {
  it('bot answers from the FAQ, then the idle conversation closes', async () => {
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '你们的营业时间是几点？');
    await waitFor('bot reply', async () => (await transcript(conversationId)).length >= 2);
    expect(await transcript(conversationId)).toEqual(['visitor: 你们的营业时间是几点？', 'bot: 我们的在线客服时间是每天 9:00–21:00。']);
    expect((await conversation(conversationId))?.status).toBe('bot');

    const result = await t.env.client.workflow.getHandle(conversationWorkflowId(DEMO_INBOX_ID, visitor)).result(); // skips the idle timer
    expect(result.status).toBe('closed');
    expect(await conversation(conversationId)).toMatchObject({ status: 'closed', botAnswered: true, flowId: 'default', flowVersion: 1 });
    await checkReplay('bot-answers-and-ends', visitor);
  });

  it('hands off to the queue when the visitor asks for a person', async () => {
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '转人工');
    await waitFor('queued', async () => (await conversation(conversationId))?.status === 'queued');
    expect(await conversation(conversationId)).toMatchObject({ queue: 'general', priority: 0, agentId: null });
    // The queue notice is sent in the step after the status change; then where they stand (nobody is online).
    await waitFor('queue notice and position', async () => (await transcript(conversationId)).length === 3);
    expect((await transcript(conversationId)).slice(-2)).toEqual(['system: 正在为您转接人工客服，请稍候。', 'system: 下一位就是您，暂时无法预估等待时间。']);
    await checkReplay('handoff-to-queue', visitor);
  });

  it('assigns to an online agent with free capacity, who accepts and replies', async () => {
    await setAgent('agent-lina', 'online', 1);
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, 'I want a human please');
    const assigned = await waitFor('assigned', async () => { const c = await conversation(conversationId); return c?.status === 'assigned' && c; });
    expect(assigned.agentId).toBe('agent-lina');
    expect(await seatsOf('agent-lina')).toEqual([conversationId]);

    const workflowId = conversationWorkflowId(DEMO_INBOX_ID, visitor);
    const accepted = await t.gateway.accept(workflowId, { conversationId, agentId: 'agent-lina' });
    expect(accepted).toMatchObject({ status: 'assigned', agentId: 'agent-lina', accepted: true });
    await t.gateway.reply(workflowId, { conversationId, agentId: 'agent-lina', text: 'Hello, how can I help?' });
    expect((await transcript(conversationId)).slice(-2)).toEqual(['system: Connecting you to an agent, please wait.', 'agent: Hello, how can I help?']);
    // The other agent may not act on it.
    await expect(t.gateway.reply(workflowId, { conversationId, agentId: 'agent-wang', text: 'hi' })).rejects.toThrow(/another agent/);
    await checkReplay('assignment', visitor);
  });

  it('escalates to the escalation queue with higher priority when nobody accepts within the SLA', async () => {
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '人工');
    await waitFor('queued', async () => (await conversation(conversationId))?.status === 'queued');
    await t.env.sleep('61 seconds');
    const escalated = await waitFor('escalated', async () => { const c = await conversation(conversationId); return c?.escalated && c; });
    expect(escalated).toMatchObject({ status: 'queued', queue: 'escalation', priority: 10 });
    await waitFor('escalation notice', async () => (await transcript(conversationId)).includes('system: 抱歉让您久等了，已为您优先转接资深客服。'));
    await checkReplay('sla-escalation', visitor);
  });

  async function servedConversation(agentId: string) {
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '人工');
    await waitFor('queued', async () => ['queued', 'assigned'].includes((await conversation(conversationId))?.status ?? ''));
    const workflowId = conversationWorkflowId(DEMO_INBOX_ID, visitor);
    await t.gateway.accept(workflowId, { conversationId, agentId });
    await t.gateway.reply(workflowId, { conversationId, agentId, text: '您好，请问有什么可以帮您？' });
    await t.gateway.close(workflowId, { conversationId, agentId });
    await waitFor('survey asked', async () => (await transcript(conversationId)).at(-1)?.startsWith('system: 请为本次服务打分'));
    return { visitor, conversationId, workflowId };
  }

  it('stores the survey rating with the agent it rates', async () => {
    await setAgent('agent-wang', 'online');
    const { visitor, conversationId, workflowId } = await servedConversation('agent-wang');
    expect(await seatsOf('agent-wang')).toEqual([]); // the seat is free again
    await say(visitor, '很好');
    await waitFor('retry prompt', async () => (await transcript(conversationId)).at(-1) === 'system: 请回复 1 到 5 之间的数字。');
    await say(visitor, '5');
    await t.env.client.workflow.getHandle(workflowId).result();
    expect(await t.m.Survey.findById(conversationId).lean()).toMatchObject({ agentId: 'agent-wang', rating: 5, status: 'answered' });
    expect(await conversation(conversationId)).toMatchObject({ status: 'closed', rating: 5 });
    expect((await transcript(conversationId)).at(-1)).toBe('system: 感谢您的评价，再见！');
    await checkReplay('survey-answered', visitor);
  });

  it('closes without a rating when the survey times out', async () => {
    const { visitor, conversationId, workflowId } = await servedConversation('agent-lina');
    await t.env.client.workflow.getHandle(workflowId).result(); // skips the survey timer
    expect(await t.m.Survey.findById(conversationId).lean()).toMatchObject({ agentId: 'agent-lina', status: 'timeout' });
    expect((await t.m.Survey.findById(conversationId).lean())?.rating).toBeUndefined();
    expect(await conversation(conversationId)).toMatchObject({ status: 'closed', surveyStatus: 'timeout' });
    await checkReplay('survey-timeout', visitor);
  });

  it('drops a duplicated inbound message', async () => {
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '怎么退货？', 'client-msg-1');
    const again = await say(visitor, '怎么退货？', 'client-msg-1');
    expect(again.conversationId).toBe(conversationId);
    await waitFor('first bot reply', async () => (await transcript(conversationId)).length >= 2);
    await say(visitor, '运费多少', 'client-msg-2');
    await waitFor('two bot replies', async () => (await transcript(conversationId)).length >= 4);
    expect(await transcript(conversationId)).toEqual([
      'visitor: 怎么退货？', 'bot: 签收后 7 天内可无理由退货，退款在 3 个工作日内原路退回。',
      'visitor: 运费多少', 'bot: 订单满 99 元包邮，一般 48 小时内发货。',
    ]);
    // The idle timer started after the first answer also serves the second: a
    // message does not cancel and restart it (server work on every message).
    const events = (await t.env.client.workflow.getHandle(conversationWorkflowId(DEMO_INBOX_ID, visitor)).fetchHistory()).events ?? [];
    expect(events.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(0);
    expect(events.filter((e) => e.timerStartedEventAttributes)).toHaveLength(1);
    await checkReplay('duplicate-dropped', visitor);
  });

  it('continues as new in a long conversation and keeps its state', async () => {
    const visitor = randomUUID();
    const workflowId = conversationWorkflowId(DEMO_INBOX_ID, visitor);
    // A low threshold makes the long conversation short enough for a test.
    const handle = await t.env.client.workflow.signalWithStart('conversationWorkflow', {
      workflowId, taskQueue: TASK_QUEUE, memo: { conversationId: `can-${visitor}` },
      args: [{ inboxId: DEMO_INBOX_ID, channel: 'webchat', visitorId: visitor, maxHistoryEvents: 60 }],
      signal: 'inboundMessage', signalArgs: [{ providerMessageId: 'm0', text: '人工', receivedAt: Date.now() }],
    });
    const conversationId = `can-${visitor}`;
    await waitFor('queued', async () => (await conversation(conversationId))?.status === 'queued');
    await t.gateway.accept(workflowId, { conversationId, agentId: 'agent-lina' });
    for (let i = 1; i <= 12; i++) {
      await say(visitor, `question ${i}`, `m${i}`);
      await t.gateway.reply(workflowId, { conversationId, agentId: 'agent-lina', text: `answer ${i}` });
    }
    const described = await handle.describe();
    expect(described.runId).not.toBe(handle.signaledRunId); // it continued as new
    await say(visitor, 'question 1', 'm1'); // a repeat from before the continue-as-new is still dropped
    await t.gateway.close(workflowId, { conversationId, agentId: 'agent-lina' });
    await say(visitor, '4');
    await t.env.client.workflow.getHandle(workflowId).result();
    const lines = await transcript(conversationId);
    for (let i = 1; i <= 12; i++) {
      expect(lines.filter((l) => l === `visitor: question ${i}`)).toHaveLength(1);
      expect(lines.filter((l) => l === `agent: answer ${i}`)).toHaveLength(1);
    }
    expect(await t.m.Survey.findById(conversationId).lean()).toMatchObject({ agentId: 'agent-lina', rating: 4 });
    expect(await t.m.Seat.find({ conversationId }).lean()).toEqual([]); // the agent's seat was given back
  });
});

// Node types through real conversation runs (time-skipping Temporal test
// server, real activities on FerretDB): data and reply nodes, rules over the
// contact with their explanations in the timeline, queue v2 → escalate →
// transfer routing, and a published version change while a conversation runs.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Models } from '../activities/store';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowEdge, type FlowNode } from '../rules/flow';
import { waitFor } from '../test/support/env';
import { checkReplay, workflowTestEnv } from '../test/support/workflow-env';
import { conversationWorkflowId } from './messages';

const t = workflowTestEnv('flow-nodes');
const INBOX = 'shop';

const node = (id: string, type: string, parameters: Record<string, unknown> = {}, typeVersion = 1): FlowNode =>
  ({ id, type, typeVersion, position: { x: 0, y: 0 }, parameters });
const edges = (...list: [string, string, string][]): FlowEdge[] =>
  list.map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } }));
const flowOf = (nodes: FlowNode[], links: FlowEdge[]): FlowDefinition => ({ schemaVersion: FLOW_SCHEMA_VERSION, nodes, edges: links });

/** Publishes `definition` as the next version of flow `flowId` and points the shop inbox at it. */
async function publish(m: Models, flowId: string, definition: FlowDefinition): Promise<number> {
  const version = ((await m.Flow.findById(flowId).lean())?.publishedVersion ?? 0) + 1;
  await m.FlowVersion.create({ _id: `${flowId}@${version}`, flowId, version, definition, publishedBy: 'test', message: `v${version}` });
  await m.Flow.updateOne({ _id: flowId }, { $set: { name: flowId, publishedVersion: version } }, { upsert: true });
  await m.Inbox.updateOne({ _id: INBOX }, { $set: { name: 'Shop', channel: 'webchat', flowId } }, { upsert: true });
  return version;
}

const say = (visitorId: string, text: string) =>
  t.gateway.deliver({ inboxId: INBOX, channel: 'webchat', visitorId }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });

const transcript = async (conversationId: string) =>
  (await t.m.Message.find({ conversationId }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => `${x.author}: ${x.text}`);

/** start → normalize → … → idle wait, back to normalize on a message, closing on timeout. */
const chat = (middle: FlowNode[], links: [string, string, string][]) => flowOf(
  [node('start', 'start'), node('normalize', 'normalize'), ...middle, node('idle', 'wait', { timeoutSeconds: 600 }), node('close', 'close')],
  edges(['start', 'next', 'normalize'], ...links, ['idle', 'message', 'normalize'], ['idle', 'timeout', 'close']),
);

describe('flow node types in a running conversation', () => {
  it('sets contact attributes and tags, routes on them with rules, replies with variables, and explains each decision', async () => {
    await publish(t.m, 'members', chat([
      node('tag', 'set-attribute', { attributes: { lastQuestion: '{{message.text}}' }, addTags: ['asked'] }),
      node('route', 'rules', {
        rules: [{
          name: 'member-asks', priority: 10, event: { type: 'vip' },
          conditions: { all: [
            { fact: 'message', path: '$.text', operator: 'containsAny', value: ['vip', '会员'] },
            { fact: 'contact', path: '$.tags', operator: 'contains', value: 'asked' },
          ] },
        }],
        defaultHandle: 'plain',
      }),
      node('vipReply', 'reply', { text: { zh: '尊敬的会员，您的问题“{{contact.attributes.lastQuestion}}”已收到。', en: 'Dear member, we got your question "{{contact.attributes.lastQuestion}}".' } }),
      node('plainReply', 'reply', { text: { zh: '已收到。', en: 'Got it.' } }),
    ], [
      ['normalize', 'next', 'tag'], ['tag', 'next', 'route'], ['route', 'vip', 'vipReply'], ['route', 'plain', 'plainReply'],
      ['vipReply', 'next', 'idle'], ['plainReply', 'next', 'idle'],
    ]));
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, 'I am a VIP, help');
    await waitFor('vip reply', async () => (await transcript(conversationId)).length >= 2);
    await say(visitor, 'hello');
    await waitFor('plain reply', async () => (await transcript(conversationId)).length >= 4);
    expect(await transcript(conversationId)).toEqual([
      'visitor: I am a VIP, help', 'bot: Dear member, we got your question "I am a VIP, help".', 'visitor: hello', 'bot: Got it.',
    ]);
    expect(await t.m.Contact.findById(`${INBOX}:${visitor}`).lean()).toMatchObject({ attributes: { lastQuestion: 'hello' }, tags: ['asked'] });

    const steps = await waitFor('decisions in the timeline', async () => {
      const found = await t.m.FlowStep.find({ conversationId, nodeType: 'rules' }).sort({ at: 1, _id: 1 }).lean();
      return found.length >= 2 && found;
    });
    expect(steps.map((s) => s.handle)).toEqual(['vip', 'plain']);
    expect(steps[0].rules).toMatchObject({ handle: 'vip', fired: ['member-asks'] });
    // Why the second message did not go the VIP way: its text has no member word.
    expect((steps[1].rules as { rules: { name: string; fired: boolean; failed: { pointer: string; fact: string }[] }[] }).rules[0])
      .toMatchObject({ name: 'member-asks', fired: false, failed: [{ pointer: '/conditions/all/0', fact: 'message' }] });
    expect(await t.m.FlowStep.countDocuments({ conversationId, nodeType: 'set-attribute' })).toBe(2);
    await checkReplay(t, conversationWorkflowId(INBOX, visitor), 'flow-data-rules-reply');
  });

  it('routes by skill, escalates when nobody accepts in time, then transfers to a named agent', async () => {
    await publish(t.m, 'billing', flowOf([
      node('start', 'start'), node('normalize', 'normalize'),
      node('queue', 'queue', { queue: 'general', requiredSkills: ['billing'], slaSeconds: 30, assignRetrySeconds: 5 }, 2),
      node('escalate', 'escalate', { queue: 'escalation', priority: 10, notify: true, slaSeconds: 30 }),
      node('transfer', 'transfer', { queue: 'general', agentId: 'agent-wang', slaSeconds: 0 }),
      node('close', 'close'),
    ], edges(
      ['start', 'next', 'normalize'], ['normalize', 'next', 'queue'], ['queue', 'sla', 'escalate'], ['queue', 'closed', 'close'],
      ['escalate', 'sla', 'transfer'], ['escalate', 'closed', 'close'], ['transfer', 'closed', 'close'],
    )));
    await t.m.Agent.updateOne({ _id: 'agent-lina' }, { $set: { status: 'online', skills: [] } });
    const visitor = randomUUID();
    const { conversationId } = await say(visitor, '我的账单有问题');
    const conv = () => t.m.Conversation.findById(conversationId).lean();
    await waitFor('queued', async () => (await conv())?.status === 'queued');
    await t.env.sleep('10 seconds');
    expect(await conv()).toMatchObject({ queue: 'general', agentId: null }); // Li Na lacks the billing skill

    await t.env.sleep('25 seconds');
    const escalated = await waitFor('escalated and offered', async () => { const c = await conv(); return c?.agentId && c; });
    expect(escalated).toMatchObject({ queue: 'escalation', priority: 10, escalated: true, agentId: 'agent-lina' }); // no skill needed there
    expect(await transcript(conversationId)).toContain('system: 抱歉让您久等了，已为您优先转接资深客服。');

    await t.m.Agent.updateOne({ _id: 'agent-wang' }, { $set: { status: 'online' } });
    await t.env.sleep('31 seconds'); // Li Na never accepted
    await waitFor('transferred to Wang', async () => (await conv())?.agentId === 'agent-wang');
    expect(await transcript(conversationId)).toContain('system: 正在为您转接到相关专员，请稍候。');
    expect(await t.m.Seat.find({ agentId: 'agent-lina' }).lean()).toEqual([]);

    const workflowId = conversationWorkflowId(INBOX, visitor);
    await t.gateway.accept(workflowId, { conversationId, agentId: 'agent-wang' });
    await t.gateway.close(workflowId, { conversationId, agentId: 'agent-wang' });
    expect((await t.env.client.workflow.getHandle(workflowId).result()).status).toBe('closed');
    await checkReplay(t, workflowId, 'flow-skills-escalate-transfer');
  });

  it('keeps a running conversation on its version while a new one is published; new conversations take the new one', async () => {
    const replying = (text: string) => chat([node('reply', 'reply', { text: { zh: text, en: text } })], [['normalize', 'next', 'reply'], ['reply', 'next', 'idle']]);
    await publish(t.m, 'pinned', replying('version one'));
    const early = randomUUID();
    const first = await say(early, 'hi');
    await waitFor('first reply', async () => (await transcript(first.conversationId)).length >= 2);

    await publish(t.m, 'pinned', replying('version two'));
    await say(early, 'again');
    await waitFor('second reply', async () => (await transcript(first.conversationId)).length >= 4);
    expect(await transcript(first.conversationId)).toEqual(['visitor: hi', 'bot: version one', 'visitor: again', 'bot: version one']);

    const late = await say(randomUUID(), 'hi');
    await waitFor('new conversation reply', async () => (await transcript(late.conversationId)).length >= 2);
    expect((await transcript(late.conversationId))[1]).toBe('bot: version two');
    expect(await t.m.Conversation.findById(first.conversationId).lean()).toMatchObject({ flowId: 'pinned', flowVersion: 1 });
    expect(await t.m.Conversation.findById(late.conversationId).lean()).toMatchObject({ flowId: 'pinned', flowVersion: 2 });
    await checkReplay(t, conversationWorkflowId(INBOX, early), 'flow-version-pinned');
  });
});

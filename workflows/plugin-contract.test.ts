// The plugin contract, with a plugin that exists only in this test: its
// definition is all the validator needs (its fact becomes usable in rules), and
// a worker given the plugin runs it in a real conversation, its output feeding
// the rules after it. Nothing in the workflow knows the node type.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { definitions, plugins } from '../activities/registry';
import type { Plugin } from '../activities/plugins/types';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../rules/flow';
import { validateFlow } from '../rules/validate-flow';
import { waitFor } from '../test/support/env';
import { workflowTestEnv } from '../test/support/workflow-env';

const wordCountPlugin: Plugin = {
  definition: {
    type: 'word-count', typeVersion: 1, category: 'data',
    title: { zh: '数词', en: 'Word count' },
    description: { zh: '数一数消息里有几个词。', en: 'Counts the words in the message.' },
    parameters: { type: 'object', additionalProperties: false, properties: { minLength: { type: 'integer', minimum: 1, default: 1 } } },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    provides: { fact: 'words', description: { zh: '词数', en: 'Word count' }, schema: { type: 'object', properties: { count: { type: 'number' } } } },
  },
  createHandler: () => async ({ facts, parameters }) => {
    const text = (facts.message as { text: string }).text;
    const count = text.split(/\s+/).filter((w) => w.length >= Number(parameters.minLength ?? 1)).length;
    return { handle: 'next', output: { count }, note: { zh: `${count} 个词`, en: `${count} words` } };
  },
};

const t = workflowTestEnv('plugin-contract', () => ({ plugins: [...plugins, wordCountPlugin] }));

const node = (id: string, type: string, parameters: Record<string, unknown> = {}): FlowNode => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, parameters });
const flow: FlowDefinition = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [
    node('start', 'start'), node('normalize', 'normalize'), node('count', 'word-count', { minLength: 2 }),
    node('route', 'rules', {
      rules: [{ name: 'long', event: { type: 'long' }, conditions: { all: [{ fact: 'words', path: '$.count', operator: 'greaterThan', value: 3 }] } }],
      defaultHandle: 'short',
    }),
    node('longReply', 'reply', { text: { zh: '长消息（{{words.count}} 个词）', en: 'long ({{words.count}} words)' } }),
    node('shortReply', 'reply', { text: { zh: '短消息', en: 'short' } }),
    node('idle', 'wait', { timeoutSeconds: 600 }), node('close', 'close'),
  ],
  edges: ([
    ['start', 'next', 'normalize'], ['normalize', 'next', 'count'], ['count', 'next', 'route'],
    ['route', 'long', 'longReply'], ['route', 'short', 'shortReply'], ['longReply', 'next', 'idle'], ['shortReply', 'next', 'idle'],
    ['idle', 'message', 'normalize'], ['idle', 'timeout', 'close'],
  ] as const).map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
};
const known = { queues: [], inboxes: [], faqSets: [] };

describe('a plugin registered in a test', () => {
  it('is unknown to the validator without its definition, and valid with it', () => {
    const without = validateFlow(flow, { definitions, known }).issues.map((i) => [i.code, i.nodeId]);
    expect(without).toEqual(expect.arrayContaining([['unknown-node-type', 'count'], ['rule-unknown-fact', 'route']]));
    expect(validateFlow(flow, { definitions: [...definitions, wordCountPlugin.definition], known }).issues).toEqual([]);
  });

  it('runs in a conversation: its output is a fact for the rules and the replies after it', async () => {
    await t.m.FlowVersion.create({ _id: 'words@1', flowId: 'words', version: 1, definition: flow, publishedBy: 'test', message: 'v1' });
    await t.m.Flow.create({ _id: 'words', name: 'words', publishedVersion: 1 });
    await t.m.Inbox.create({ _id: 'words-inbox', name: 'Words', channel: 'webchat', flowId: 'words' });
    const visitor = randomUUID();
    const say = (text: string) => t.gateway.deliver({ inboxId: 'words-inbox', channel: 'webchat', visitorId: visitor }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });
    const { conversationId } = await say('could you please check my parcel');
    const replies = async () => (await t.m.Message.find({ conversationId, author: 'bot' }).sort({ storedAt: 1, _id: 1 }).lean()).map((m) => m.text);
    await waitFor('first reply', async () => (await replies()).length >= 1);
    await say('嗯');
    await waitFor('second reply', async () => (await replies()).length >= 2);
    expect(await replies()).toEqual(['long (6 words)', '短消息']); // "嗯" is a word shorter than minLength 2 (and Chinese)
    // Steps reach the timeline when the flow next waits, just after the reply.
    const notes = async () => (await t.m.FlowStep.find({ conversationId, nodeId: 'count' }).sort({ at: 1, _id: 1 }).lean()).map((s) => s.note?.en);
    await waitFor('both steps in the timeline', async () => (await notes()).length >= 2);
    expect(await notes()).toEqual(['6 words', '0 words']);
  });
});

// The reply node: its parameters (with the optional card) as the flow
// validator checks them, and what its handler stores: the message in the
// customer's language with the card, as written (senders adapt it per channel).
import { describe, expect, it } from 'vitest';
import type { NodeRunInput } from '../../../rules/plugin';
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from '../../../rules/flow';
import { validateFlow } from '../../../rules/validate-flow';
import type { StoreMessage } from '../../messages';
import { definitions } from '../../registry';
import type { PluginDeps } from '../types';
import { replyPlugin } from './index';

const CARD = {
  title: { zh: '{{contact.name}}，新品上市', en: '{{contact.name}}, new arrivals' },
  text: { zh: '全场 8 折', en: '20% off' },
  url: 'https://shop.example/new',
  imageUrl: 'https://img.example/new.png',
  buttons: [{ label: { zh: '立即购买', en: 'Buy now' }, url: 'https://shop.example/buy' }, { label: { zh: '联系客服', en: 'Talk to us' } }],
};

function flowWith(parameters: Record<string, unknown>): FlowDefinition {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
      { id: 'hello', type: 'reply', typeVersion: 1, position: { x: 200, y: 0 }, parameters },
      { id: 'close', type: 'close', typeVersion: 1, position: { x: 400, y: 0 }, parameters: {} },
    ],
    edges: [
      { id: 'e1', from: { nodeId: 'start', handle: 'next' }, to: { nodeId: 'hello' } },
      { id: 'e2', from: { nodeId: 'hello', handle: 'next' }, to: { nodeId: 'close' } },
    ],
  };
}
const issues = (parameters: Record<string, unknown>) =>
  validateFlow(flowWith(parameters), { definitions, known: { queues: [], inboxes: [], faqSets: [] } }).issues;

function run(parameters: Record<string, unknown>, more: Partial<NodeRunInput> = {}) {
  const stored: Parameters<StoreMessage>[] = [];
  const storeMessage: StoreMessage = async (...args) => { stored.push(args); };
  const handler = replyPlugin.createHandler!({ storeMessage } as unknown as PluginDeps);
  const result = handler({
    conversationId: 'c1', inboxId: 'wx', channel: 'wechat', visitorId: 'o1', nodeId: 'hello', type: 'reply', typeVersion: 1,
    language: 'en', now: Date.parse('2026-05-01T10:00:00Z'), messageId: 'c1:out:2', dryRun: false,
    facts: { contact: { name: 'Li Lei' } }, parameters, ...more,
  });
  return { result, stored };
}

describe('reply node', () => {
  it('takes a card with a title and optional text, link, picture and buttons', () => {
    expect(issues({ text: { zh: '你好', en: 'Hello' }, card: CARD })).toEqual([]);
    expect(issues({ text: { zh: '你好', en: 'Hello' }, card: { title: { zh: '标题', en: 'Title' } } })).toEqual([]);
  });

  it('refuses a card without a title, a link that is not http(s), and too many buttons', () => {
    const bad = [
      { text: CARD.text },
      { ...CARD, url: 'javascript:alert(1)' },
      { ...CARD, buttons: Array.from({ length: 6 }, () => CARD.buttons[0]) },
    ];
    for (const card of bad) {
      expect(issues({ text: { zh: '你好', en: 'Hello' }, card }).map((i) => [i.code, i.nodeId])).toContainEqual(['invalid-parameters', 'hello']);
    }
  });

  it('stores the message and its card in the customer\'s language, variables filled in', async () => {
    const { result, stored } = run({ text: { zh: '{{contact.name}}，您好', en: 'Hi {{contact.name}}' }, card: CARD });
    expect(await result).toEqual({ handle: 'next', sent: 'Hi Li Lei', note: undefined });
    expect(stored).toHaveLength(1);
    const [id, fields] = stored[0]!;
    expect(id).toBe('c1:out:2');
    expect(fields).toMatchObject({
      direction: 'out', author: 'bot', channel: 'wechat', text: 'Hi Li Lei',
      card: {
        title: 'Li Lei, new arrivals', text: '20% off', url: CARD.url, imageUrl: CARD.imageUrl,
        buttons: [{ label: 'Buy now', url: 'https://shop.example/buy' }, { label: 'Talk to us' }],
      },
    });
  });

  it('stores a long text whole (the channel splits or cuts it), names empty variables, and stores nothing in a dry run', async () => {
    const long = 'x'.repeat(4000);
    const first = run({ text: { zh: long, en: `${long}{{contact.phone}}` } });
    expect(await first.result).toMatchObject({ sent: long, note: { en: 'Variables without a value, left empty: contact.phone' } });
    expect(first.stored[0]![1]).toMatchObject({ text: long });
    expect(first.stored[0]![1]).not.toHaveProperty('card');
    const dry = run({ text: { zh: '你好', en: 'Hello' }, card: CARD }, { dryRun: true });
    expect(await dry.result).toMatchObject({ sent: 'Hello' });
    expect(dry.stored).toEqual([]);
  });
});

// The simulator against the real database: the path the default flow takes,
// the rules' explanations, the replies, and that a dry run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFlow } from '../rules/default-flow';
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from '../rules/flow';
import { seedDemo } from '../server/seed';
import { openTestStore } from '../test/support/env';
import { simulateFlow } from './simulate';
import type { Store } from './store';

let store: Store;
beforeAll(async () => {
  store = await openTestStore();
  await seedDemo(store.models);
});
afterAll(() => store?.close());

const simulate = (flow: FlowDefinition, text: string, extra: Partial<Parameters<typeof simulateFlow>[2]> = {}) =>
  simulateFlow(store.models, flow, { message: { text }, channel: 'webchat', ...extra });

describe('flow simulator', () => {
  it('shows a question the bot answers: the answer, the rules that did not fire and why, and the wait for the next message', async () => {
    const result = await simulate(defaultFlow, '运费多少');
    expect(result.path.map((s) => `${s.nodeId}→${s.handle ?? '…'}`)).toEqual(['start→next', 'normalize→next', 'bot→next', 'route→end', 'idle→…']);
    expect(result.replies).toEqual(['订单满 99 元包邮，一般 48 小时内发货。']);
    expect(result.stoppedAt).toEqual({ nodeId: 'idle', reason: 'waiting' });
    const route = result.path.find((s) => s.nodeId === 'route')!.rules!;
    expect(route.fired).toEqual([]);
    expect(route.rules.find((r) => r.name === 'asks-for-agent')).toMatchObject({ fired: false, failed: [{ fact: 'message', operator: 'containsAny' }] });
    expect(result.facts).toMatchObject({ message: { text: '运费多少', language: 'zh' }, conversation: { channel: 'webchat', botAnswered: true } });
  });

  it('stops in the queue when the visitor asks for a person, naming the rule that fired', async () => {
    const result = await simulate(defaultFlow, '我要转人工');
    expect(result.stoppedAt).toEqual({ nodeId: 'queue', reason: 'queued' });
    expect(result.path.find((s) => s.nodeId === 'route')).toMatchObject({ handle: 'queue', rules: { fired: ['asks-for-agent', 'bot-could-not-answer'] } });
  });

  it('knows business hours from the start node, in its time zone, with holidays closed', async () => {
    const flow = structuredClone(defaultFlow);
    flow.nodes.find((n) => n.type === 'start')!.parameters = {
      timeZone: 'Asia/Shanghai', businessHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, holidays: ['2026-12-01'],
    };
    const open = async (clock: string) => ((await simulate(flow, 'hi', { clock })).facts.time as { open: boolean }).open;
    expect(await open('2026-11-30T02:30:00Z')).toBe(true); // Monday 10:30 in Shanghai
    expect(await open('2026-11-30T11:00:00Z')).toBe(false); // Monday 19:00
    expect(await open('2026-11-28T02:30:00Z')).toBe(false); // Saturday
    expect(await open('2026-12-01T02:30:00Z')).toBe(false); // a holiday
  });

  it('runs data and reply nodes in dry-run mode: the contact and the transcript stay untouched', async () => {
    const n = (id: string, type: string, parameters: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, parameters });
    const flow: FlowDefinition = {
      schemaVersion: FLOW_SCHEMA_VERSION,
      nodes: [
        n('start', 'start'), n('normalize', 'normalize'),
        n('tag', 'set-attribute', { attributes: { topic: '{{message.text}}' }, addTags: ['simulated'] }),
        n('route', 'rules', {
          rules: [{ name: 'vip', event: { type: 'vip' }, conditions: { all: [{ fact: 'contact', path: '$.vip', operator: 'equal', value: true }] } }],
          defaultHandle: 'other',
        }),
        n('vipReply', 'reply', { text: { zh: '贵宾您好，关于“{{contact.attributes.topic}}”……', en: 'Hello VIP, about "{{contact.attributes.topic}}"...' } }),
        n('close', 'close'),
      ],
      edges: [
        { id: 'a', from: { nodeId: 'start', handle: 'next' }, to: { nodeId: 'normalize' } },
        { id: 'b', from: { nodeId: 'normalize', handle: 'next' }, to: { nodeId: 'tag' } },
        { id: 'c', from: { nodeId: 'tag', handle: 'next' }, to: { nodeId: 'route' } },
        { id: 'd', from: { nodeId: 'route', handle: 'vip' }, to: { nodeId: 'vipReply' } },
        { id: 'e', from: { nodeId: 'route', handle: 'other' }, to: { nodeId: 'close' } },
        { id: 'f', from: { nodeId: 'vipReply', handle: 'next' }, to: { nodeId: 'close' } },
      ],
    };
    const vip = await simulate(flow, 'refund please', { contact: { vip: true } });
    expect(vip.replies).toEqual(['Hello VIP, about "refund please"...']);
    expect(vip.stoppedAt).toEqual({ reason: 'closed' });
    expect(vip.facts).toMatchObject({ contact: { vip: true, attributes: { topic: 'refund please' }, tags: ['simulated'] } });

    const other = await simulate(flow, 'refund please');
    expect(other.path.map((s) => s.nodeId)).toEqual(['start', 'normalize', 'tag', 'route', 'close']);
    expect(other.replies).toEqual([]);
    expect(await store.models.Contact.countDocuments()).toBe(0);
    expect(await store.models.Message.countDocuments()).toBe(0);
  });
});

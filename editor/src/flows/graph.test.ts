import { describe, expect, it } from 'vitest';
import { defaultFlow } from '../../../rules/default-flow';
import type { NodeCategory, NodeTypeDefinition } from '../../../rules/plugin';
import {
  addNode, autoLayout, connect, connectionProblem, copy, freshId, handlesOf, issueCounts, makeCatalog, moveNodes, parseFlowJson, paste,
  removeElements, syncNodes,
} from './graph';

// The node types of the default flow, as the registry defines their handles
// (the registry itself pulls in server code this tsconfig cannot type-check).
const def = (type: string, category: NodeCategory, handles: string[], more: Partial<NodeTypeDefinition> = {}): NodeTypeDefinition => ({
  type, typeVersion: 1, category, title: { zh: type, en: type }, description: { zh: '', en: '' },
  parameters: { type: 'object', properties: {} }, handles: handles.map((id) => ({ id, title: { zh: id, en: id }, required: true })), ...more,
});
const catalog = makeCatalog([
  def('start', 'flow', ['next']),
  def('normalize', 'messaging', ['next']),
  def('bot', 'bot', ['next']),
  def('rules', 'logic', [], { ruleHandles: true }),
  def('wait', 'flow', ['message', 'timeout'], { parameters: { type: 'object', properties: { timeoutSeconds: { type: 'integer', default: 600 } } } }),
  def('queue', 'routing', ['closed'], { superseded: true }),
  def('queue', 'routing', ['closed', 'sla'], { typeVersion: 2 }),
  def('survey', 'messaging', ['next']),
  def('close', 'flow', []),
]);
const byType = (type: string) => catalog.palette.find((d) => d.type === type)!;

describe('makeCatalog', () => {
  it('offers only the newest version of a type in the palette', () => {
    expect(catalog.palette.filter((d) => d.type === 'queue').map((d) => d.typeVersion)).toEqual([2]);
    expect(catalog.byKey.get('queue@1')?.superseded).toBe(true);
  });
});

describe('handlesOf', () => {
  it('gives a rules node one handle per event type and the default handle', () => {
    const route = defaultFlow.nodes.find((n) => n.id === 'route')!;
    expect(handlesOf(route, catalog.byKey.get('rules@1'), defaultFlow).map((h) => h.id)).toEqual(['queue', 'end']);
  });

  it('gives a node of an unknown type the handles its edges use, so they stay drawn', () => {
    const flow = { ...defaultFlow, nodes: defaultFlow.nodes.map((n) => (n.id === 'bot' ? { ...n, type: 'gone' } : n)) };
    expect(handlesOf(flow.nodes.find((n) => n.id === 'bot')!, undefined, flow).map((h) => h.id)).toEqual(['next']);
  });
});

describe('connectionProblem', () => {
  it('refuses a self loop, a missing node, an unknown handle and a handle already connected', () => {
    const c = (source: string, sourceHandle: string, target: string) => connectionProblem(defaultFlow, catalog, { source, sourceHandle, target });
    expect(c('bot', 'next', 'bot')).toBe('self-loop');
    expect(c('bot', 'next', 'nowhere')).toBe('missing-node');
    expect(c('bot', 'nope', 'close')).toBe('unknown-handle');
    expect(c('bot', 'next', 'close')).toBe('handle-taken');
  });

  it('accepts a free handle of an existing node', () => {
    const flow = removeElements(defaultFlow, new Set(), new Set(['e3']));
    expect(connectionProblem(flow, catalog, { source: 'bot', sourceHandle: 'next', target: 'close' })).toBeUndefined();
    expect(connect(flow, { source: 'bot', sourceHandle: 'next', target: 'close' }).edges.at(-1)).toEqual({
      id: 'e-1', from: { nodeId: 'bot', handle: 'next' }, to: { nodeId: 'close' },
    });
  });
});

describe('editing', () => {
  it('adds a node with a fresh `<type>-<n>` id and its schema defaults', () => {
    const first = addNode(defaultFlow, byType('wait'), { x: 10.4, y: 20.6 });
    const second = addNode(first.flow, byType('wait'), { x: 0, y: 0 });
    expect([first.id, second.id]).toEqual(['wait-1', 'wait-2']);
    expect(first.flow.nodes.at(-1)).toMatchObject({ type: 'wait', typeVersion: 1, position: { x: 10, y: 21 }, parameters: { timeoutSeconds: 600 } });
  });

  it('removes a node with every edge touching it', () => {
    const flow = removeElements(defaultFlow, new Set(['queue']), new Set());
    expect(flow.nodes.some((n) => n.id === 'queue')).toBe(false);
    expect(flow.edges.some((e) => e.from.nodeId === 'queue' || e.to.nodeId === 'queue')).toBe(false);
  });

  it('pastes copies with new ids, keeping the edges between them, offset from the originals', () => {
    const clip = copy(defaultFlow, new Set(['survey', 'close']));
    const { flow, ids } = paste(defaultFlow, clip);
    expect(ids).toEqual(['survey-1', 'close-1']);
    expect(flow.edges.at(-1)).toMatchObject({ from: { nodeId: 'survey-1', handle: 'next' }, to: { nodeId: 'close-1' } });
    expect(flow.nodes.find((n) => n.id === 'close-1')!.position).toEqual({ x: 1360, y: 40 });
  });

  it('returns the same document when nothing moved', () => {
    expect(moveNodes(defaultFlow, new Map([['bot', { x: 440, y: 0 }]]))).toBe(defaultFlow);
  });

  it('lays out left to right, changing positions only', () => {
    const flow = autoLayout(defaultFlow, new Map());
    const x = (id: string) => flow.nodes.find((n) => n.id === id)!.position.x;
    expect(x('start')).toBeLessThan(x('normalize'));
    expect(x('normalize')).toBeLessThan(x('bot'));
    expect(flow.edges).toBe(defaultFlow.edges);
    expect(flow.nodes.map(({ position: _, ...n }) => n)).toEqual(defaultFlow.nodes.map(({ position: _, ...n }) => n));
  });

  it('uses ids that are not taken', () => {
    expect(freshId('e', new Set(['e-1', 'e-2']))).toBe('e-3');
  });
});

describe('syncNodes', () => {
  it('keeps the previous node object (and its selection and size) when nothing about it changed', () => {
    const first = syncNodes([], defaultFlow, catalog, new Map());
    const measured = first.map((n) => ({ ...n, measured: { width: 190, height: 80 }, selected: n.id === 'bot' }));
    const moved = moveNodes(defaultFlow, new Map([['close', { x: 0, y: 300 }]]));
    const next = syncNodes(measured, moved, catalog, new Map());
    expect(next.find((n) => n.id === 'bot')).toBe(measured.find((n) => n.id === 'bot'));
    expect(next.find((n) => n.id === 'close')).toMatchObject({ position: { x: 0, y: 300 }, measured: { width: 190, height: 80 }, selected: false });
  });

  it('marks nodes with problems, the simulated path and the diff through their class', () => {
    const marks = new Map([['bot', { issues: 2, diff: 'changed' as const }]]);
    expect(syncNodes([], defaultFlow, catalog, marks).find((n) => n.id === 'bot')!.className).toBe('has-issues diff-changed');
  });
});

describe('issueCounts', () => {
  it('counts a busy loop on each of its nodes', () => {
    const counts = issueCounts([
      { code: 'busy-loop', nodeId: 'a', nodeIds: ['a', 'b'], pointer: '/nodes/0', message: { zh: '', en: '' } },
      { code: 'unconnected-handle', nodeId: 'a', pointer: '/nodes/0', message: { zh: '', en: '' } },
    ]);
    expect(Object.fromEntries(counts)).toEqual({ a: 2, b: 1 });
  });
});

describe('parseFlowJson', () => {
  it('reads a flow document', () => {
    expect(parseFlowJson(JSON.stringify(defaultFlow))).toEqual(defaultFlow);
  });

  it.each([
    ['not JSON', '{nodes:'],
    ['no edges', '{"nodes": []}'],
    ['a node without a position', '{"nodes": [{"id": "a", "type": "start"}], "edges": []}'],
  ])('refuses %s', (_, text) => {
    expect(() => parseFlowJson(text)).toThrow();
  });
});

// The flow document as React Flow sees it, and the edits the canvas makes to
// it. Pure functions: the document is the only state that is saved; React
// Flow's own state (selection, measured sizes, viewport) never goes into it.
import { Graph, layout } from '@dagrejs/dagre';
import type { Connection, Edge, Node } from '@xyflow/react';
import type { FlowEdge, FlowNode, RulesNodeParameters } from '../../../rules/flow';
import type { Bilingual, NodeCategory } from '../../../rules/plugin';
import type { FlowDefinition, FlowIssue, NodeTypeDefinition, SimulatedStep } from './api';
import { withDefaults } from './schema-form';

export type NodeKind = NodeCategory | 'unknown';

export interface HandleView {
  id: string;
  /** Rule handles are named by the analyst, so they have no translation. */
  title: Bilingual | string;
}

/** What the editor shows on a node besides the node itself: problems, the simulated step, the diff. */
export interface NodeMarks {
  issues: number;
  step?: SimulatedStep;
  diff?: 'added' | 'changed';
}

export interface StepNodeData extends Record<string, unknown> {
  node: FlowNode;
  definition?: NodeTypeDefinition;
  handles: HandleView[];
  marks: NodeMarks;
}

export type EditorNode = { [K in NodeKind]: Node<StepNodeData, K> }[NodeKind];

/** The node types by `type@version`, and the palette (the newest, non-superseded ones). */
export interface Catalog {
  byKey: Map<string, NodeTypeDefinition>;
  palette: NodeTypeDefinition[];
}

const key = (type: string, version: number) => `${type}@${version}`;

export function makeCatalog(definitions: NodeTypeDefinition[]): Catalog {
  return {
    byKey: new Map(definitions.map((d) => [key(d.type, d.typeVersion), d])),
    palette: definitions.filter((d) => !d.superseded),
  };
}

export const definitionOf = (catalog: Catalog, node: FlowNode) => catalog.byKey.get(key(node.type, node.typeVersion));

const unique = (ids: string[]) => [...new Set(ids)];

/** A node's outgoing handles: its type's, or for a rules node each rule's event type and the default handle. */
export function handlesOf(node: FlowNode, definition: NodeTypeDefinition | undefined, flow: FlowDefinition): HandleView[] {
  if (!definition) {
    // An unknown type still shows the edges it has, so nothing disappears from the canvas.
    return unique(flow.edges.filter((e) => e.from.nodeId === node.id).map((e) => e.from.handle)).map((id) => ({ id, title: id }));
  }
  if (!definition.ruleHandles) return definition.handles.map(({ id, title }) => ({ id, title }));
  const { rules, defaultHandle } = node.parameters as Partial<RulesNodeParameters>;
  const events = (Array.isArray(rules) ? rules : []).map((r) => r?.event?.type).filter((t): t is string => typeof t === 'string' && t !== '');
  const ids = unique([...events, ...(typeof defaultHandle === 'string' && defaultHandle ? [defaultHandle] : [])]);
  return [...definition.handles.map(({ id, title }) => ({ id, title })), ...ids.map((id) => ({ id, title: id }))];
}

const NO_MARKS: NodeMarks = { issues: 0 };

const sameMarks = (a: NodeMarks, b: NodeMarks) => a.issues === b.issues && a.step === b.step && a.diff === b.diff;

export function markClass(marks: NodeMarks): string {
  return [marks.issues > 0 && 'has-issues', marks.step && 'on-path', marks.diff && `diff-${marks.diff}`].filter(Boolean).join(' ');
}

/**
 * React Flow's nodes for the document. Nodes whose document node, type and
 * marks did not change are the previous objects, so they do not re-render;
 * React Flow's selection and measured size carry over.
 */
export function syncNodes(
  prev: readonly EditorNode[], flow: FlowDefinition, catalog: Catalog, marks: ReadonlyMap<string, NodeMarks>, select?: ReadonlySet<string>,
): EditorNode[] {
  const prevById = new Map(prev.map((n) => [n.id, n]));
  return flow.nodes.map((node) => {
    const old = prevById.get(node.id);
    const definition = definitionOf(catalog, node);
    const nodeMarks = marks.get(node.id) ?? NO_MARKS;
    const selected = select ? select.has(node.id) : (old?.selected ?? false);
    if (old && old.data.node === node && old.data.definition === definition && sameMarks(old.data.marks, nodeMarks) && old.selected === selected) {
      return old;
    }
    return {
      id: node.id,
      type: definition?.category ?? 'unknown',
      position: node.position,
      data: { node, definition, handles: handlesOf(node, definition, flow), marks: nodeMarks },
      selected,
      measured: old?.measured,
      className: markClass(nodeMarks),
    } as EditorNode;
  });
}

export interface EdgeMarks {
  taken: ReadonlySet<string>;
  issues: ReadonlySet<string>;
}

export function toEdges(flow: FlowDefinition, marks: EdgeMarks, selected: ReadonlySet<string>): Edge[] {
  return flow.edges.map((e) => ({
    id: e.id,
    source: e.from.nodeId,
    sourceHandle: e.from.handle,
    target: e.to.nodeId,
    selected: selected.has(e.id),
    animated: marks.taken.has(e.id),
    className: [marks.taken.has(e.id) && 'on-path', marks.issues.has(e.id) && 'has-issues'].filter(Boolean).join(' ') || undefined,
  }));
}

/** Nodes with issues (a busy loop names each of its nodes) and how many each has. */
export function issueCounts(issues: readonly FlowIssue[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const issue of issues) {
    for (const id of issue.nodeIds ?? (issue.nodeId ? [issue.nodeId] : [])) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

// ------------------------------------------------------------ edits

/** A source handle leads to one node; no self loops; both ends exist and the handle is the node's. */
export function connectionProblem(flow: FlowDefinition, catalog: Catalog, c: Pick<Connection, 'source' | 'target' | 'sourceHandle'>): string | undefined {
  if (!c.source || !c.target || !c.sourceHandle) return 'incomplete';
  if (c.source === c.target) return 'self-loop';
  const source = flow.nodes.find((n) => n.id === c.source);
  if (!source || !flow.nodes.some((n) => n.id === c.target)) return 'missing-node';
  if (!handlesOf(source, definitionOf(catalog, source), flow).some((h) => h.id === c.sourceHandle)) return 'unknown-handle';
  if (flow.edges.some((e) => e.from.nodeId === c.source && e.from.handle === c.sourceHandle)) return 'handle-taken';
  return undefined;
}

/** `<prefix>-<n>` with the smallest n ≥ 1 not in `taken`. */
export function freshId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function connect(flow: FlowDefinition, c: { source: string; target: string; sourceHandle: string }): FlowDefinition {
  const id = freshId('e', new Set(flow.edges.map((e) => e.id)));
  const edge: FlowEdge = { id, from: { nodeId: c.source, handle: c.sourceHandle }, to: { nodeId: c.target } };
  return { ...flow, edges: [...flow.edges, edge] };
}

export function addNode(flow: FlowDefinition, definition: NodeTypeDefinition, position: { x: number; y: number }): { flow: FlowDefinition; id: string } {
  const id = freshId(definition.type, new Set(flow.nodes.map((n) => n.id)));
  const node: FlowNode = {
    id, type: definition.type, typeVersion: definition.typeVersion,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    parameters: withDefaults(definition.parameters, {}), // what the schema declares as defaults
  };
  return { flow: { ...flow, nodes: [...flow.nodes, node] }, id };
}

export function removeElements(flow: FlowDefinition, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): FlowDefinition {
  return {
    ...flow,
    nodes: flow.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: flow.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.from.nodeId) && !nodeIds.has(e.to.nodeId)),
  };
}

export function moveNodes(flow: FlowDefinition, positions: ReadonlyMap<string, { x: number; y: number }>): FlowDefinition {
  let changed = false;
  const nodes = flow.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p) return n;
    const position = { x: Math.round(p.x), y: Math.round(p.y) };
    if (position.x === n.position.x && position.y === n.position.y) return n;
    changed = true;
    return { ...n, position };
  });
  return changed ? { ...flow, nodes } : flow;
}

export function updateNode(flow: FlowDefinition, nodeId: string, parameters: Record<string, unknown>): FlowDefinition {
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === nodeId ? { ...n, parameters } : n)) };
}

/** What Ctrl+C keeps: the selected nodes and the edges between them. */
export interface Clip {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function copy(flow: FlowDefinition, nodeIds: ReadonlySet<string>): Clip {
  return {
    nodes: flow.nodes.filter((n) => nodeIds.has(n.id)),
    edges: flow.edges.filter((e) => nodeIds.has(e.from.nodeId) && nodeIds.has(e.to.nodeId)),
  };
}

const PASTE_OFFSET = 40;

/** Adds a copy of the clip with new node and edge ids, offset so it does not hide the original. */
export function paste(flow: FlowDefinition, clip: Clip): { flow: FlowDefinition; ids: string[] } {
  const nodeIds = new Set(flow.nodes.map((n) => n.id));
  const edgeIds = new Set(flow.edges.map((e) => e.id));
  const renamed = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(n.type, nodeIds);
    nodeIds.add(id);
    renamed.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + PASTE_OFFSET, y: n.position.y + PASTE_OFFSET } };
  });
  const edges = clip.edges.map((e) => {
    const id = freshId('e', edgeIds);
    edgeIds.add(id);
    return { id, from: { nodeId: renamed.get(e.from.nodeId)!, handle: e.from.handle }, to: { nodeId: renamed.get(e.to.nodeId)! } };
  });
  return { flow: { ...flow, nodes: [...flow.nodes, ...nodes], edges: [...flow.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

const DEFAULT_SIZE = { width: 190, height: 90 };

/** Left-to-right layout with dagre; `sizes` are the measured node sizes where known. */
export function autoLayout(flow: FlowDefinition, sizes: ReadonlyMap<string, { width: number; height: number }>): FlowDefinition {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of flow.nodes) g.setNode(n.id, { ...(sizes.get(n.id) ?? DEFAULT_SIZE) });
  for (const e of flow.edges) {
    if (g.hasNode(e.from.nodeId) && g.hasNode(e.to.nodeId)) g.setEdge(e.from.nodeId, e.to.nodeId);
  }
  layout(g);
  const positions = new Map(flow.nodes.map((n) => {
    const { x, y, width, height } = g.node(n.id);
    return [n.id, { x: x - width / 2, y: y - height / 2 }];
  }));
  return moveNodes(flow, positions);
}

/** A document that at least has the shape the canvas needs (the server validates the rest). */
export function parseFlowJson(text: string): FlowDefinition {
  const doc: unknown = JSON.parse(text);
  const looksLikeFlow = typeof doc === 'object' && doc !== null && Array.isArray((doc as FlowDefinition).nodes) && Array.isArray((doc as FlowDefinition).edges);
  if (!looksLikeFlow) throw new Error('not a flow: expected an object with "nodes" and "edges" arrays');
  const flow = doc as FlowDefinition;
  const nodesOk = flow.nodes.every((n) => typeof n?.id === 'string' && typeof n.type === 'string' && typeof n.position?.x === 'number' && typeof n.position?.y === 'number');
  const edgesOk = flow.edges.every((e) => typeof e?.id === 'string' && typeof e.from?.nodeId === 'string' && typeof e.from.handle === 'string' && typeof e.to?.nodeId === 'string');
  if (!nodesOk || !edgesOk) throw new Error('not a flow: every node needs an id, a type and a position; every edge an id, from and to');
  return flow;
}

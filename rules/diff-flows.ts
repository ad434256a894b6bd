// What changed between two versions of a flow, for a reviewer before publish
// or rollback. Nodes and edges are matched by id, rules by name.
import type { FlowDefinition, FlowEdge, FlowNode } from './flow';
import { isRecord } from './migrations';

export type NodeField = 'type' | 'typeVersion' | 'parameters' | 'position';

export interface FlowDiff {
  nodes: {
    added: string[];
    removed: string[];
    /** Nodes that changed in what they do; `fields` also lists `position` when the node moved too. */
    changed: { nodeId: string; fields: NodeField[] }[];
    /** Nodes that only moved on the canvas: nothing changes in how the flow runs. */
    moved: string[];
  };
  edges: { added: string[]; removed: string[]; changed: string[] };
  /** Per node with rules in both versions, when its rules differ. */
  rules: { nodeId: string; added: string[]; removed: string[]; changed: string[] }[];
}

const NODE_FIELDS: NodeField[] = ['type', 'typeVersion', 'parameters', 'position'];

export function diffFlows(before: FlowDefinition, after: FlowDefinition): FlowDiff {
  const nodes = matchById(before.nodes, after.nodes);
  const edges = matchById(before.edges, after.edges);
  const nodeChanges = nodes.both.map(([b, a]) => ({ nodeId: a.id, fields: NODE_FIELDS.filter((f) => !jsonEqual(b[f], a[f])) }));
  const isMove = (fields: NodeField[]) => fields.length === 1 && fields[0] === 'position';
  return {
    nodes: {
      added: nodes.added.map((n) => n.id),
      removed: nodes.removed.map((n) => n.id),
      changed: nodeChanges.filter(({ fields }) => fields.length > 0 && !isMove(fields)),
      moved: nodeChanges.filter(({ fields }) => isMove(fields)).map((c) => c.nodeId),
    },
    edges: {
      added: edges.added.map((e) => e.id),
      removed: edges.removed.map((e) => e.id),
      changed: edges.both.filter(([b, a]) => !sameEnds(b, a)).map(([, a]) => a.id),
    },
    rules: nodes.both.flatMap(([b, a]) => diffRules(b, a) ?? []),
  };
}

/** Items only in `before`, only in `after` (each in its document order), and in both. */
function matchById<T extends { id: string }>(before: T[], after: T[]) {
  const beforeById = new Map(before.map((item) => [item.id, item]));
  const afterIds = new Set(after.map((item) => item.id));
  return {
    added: after.filter((item) => !beforeById.has(item.id)),
    removed: before.filter((item) => !afterIds.has(item.id)),
    both: after.flatMap((item) => {
      const old = beforeById.get(item.id);
      return old ? [[old, item] as [T, T]] : [];
    }),
  };
}

const sameEnds = (b: FlowEdge, a: FlowEdge) => jsonEqual(b.from, a.from) && jsonEqual(b.to, a.to);

function diffRules(before: FlowNode, after: FlowNode): FlowDiff['rules'][number] | undefined {
  const b = namedRules(before.parameters.rules);
  const a = namedRules(after.parameters.rules);
  if (!b || !a) return undefined;
  const diff = {
    nodeId: after.id,
    added: [...a.keys()].filter((name) => !b.has(name)),
    removed: [...b.keys()].filter((name) => !a.has(name)),
    changed: [...a.keys()].filter((name) => b.has(name) && !jsonEqual(b.get(name), a.get(name))),
  };
  return diff.added.length + diff.removed.length + diff.changed.length > 0 ? diff : undefined;
}

// Unnamed rules are named as rules/evaluate.ts names them (`rule-<n>`); a name
// used twice gets its position appended so neither rule hides the other.
function namedRules(rules: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(rules)) return undefined;
  const byName = new Map<string, unknown>();
  rules.forEach((rule: unknown, index) => {
    const name = isRecord(rule) && typeof rule.name === 'string' ? rule.name : `rule-${index + 1}`;
    byName.set(byName.has(name) ? `${name} (${index + 1})` : name, rule);
  });
  return byName;
}

/** Deep equality of JSON values, ignoring the order of object keys. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

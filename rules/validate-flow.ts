// Validation of a flow document before it is published: its shape (the JSON
// Schema), its nodes against their types' definitions, the graph, the rules
// and the records its parameters name. Every issue points at a JSON pointer
// (and a node or edge id when it concerns one), because the editor shows it on
// the canvas.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from './ajv';
import { checkRules, type RuleIssueCode } from './check-rules';
import { factsCatalog, type FactDefinition, type FactProperty, type FactType } from './facts';
import type { FlowDefinition, FlowEdge, FlowNode } from './flow';
import { checkFlowSchema } from './flow-schema';
import { FlowMigrationError, isRecord, migrateFlow, type FlowMigrationErrorCode } from './migrations';
import type { Bilingual, JsonSchema, NodeTypeDefinition, ReferenceKind } from './plugin';

export type FlowIssueCode =
  | FlowMigrationErrorCode
  | 'schema'
  | 'duplicate-node-id'
  | 'duplicate-edge-id'
  | 'unknown-node-type'
  | 'unknown-type-version'
  | 'invalid-parameters'
  | 'edge-from-missing-node'
  | 'edge-to-missing-node'
  | 'unknown-handle'
  | 'duplicate-edge'
  | 'handle-connected-twice'
  | 'unconnected-handle'
  | 'no-start-node'
  | 'multiple-start-nodes'
  | 'unreachable-node'
  | 'busy-loop'
  | `rule-${RuleIssueCode}`
  | 'unknown-queue'
  | 'unknown-inbox'
  | 'unknown-faq-set';

export interface FlowIssue {
  code: FlowIssueCode;
  nodeId?: string;
  edgeId?: string;
  /** Every node concerned when there are several (a busy loop); `nodeId` is the first of them. */
  nodeIds?: string[];
  /** JSON pointer into the flow document. */
  pointer: string;
  message: Bilingual;
}

export interface FlowValidationContext {
  definitions: NodeTypeDefinition[];
  /** Names that exist now, for references from parameters. */
  known: { queues: string[]; inboxes: string[]; faqSets: string[] };
}

export interface FlowValidation {
  ok: boolean;
  issues: FlowIssue[];
  /** The document migrated to the current schema version, when it passed the JSON Schema. */
  flow?: FlowDefinition;
}

/** The node type a flow starts at (what startNodeId in rules/flow.ts looks for). */
const START_TYPE = 'start';

export function validateFlow(doc: unknown, ctx: FlowValidationContext): FlowValidation {
  let migrated: unknown;
  try {
    migrated = migrateFlow(doc).flow;
  } catch (error) {
    if (!(error instanceof FlowMigrationError)) throw error;
    return { ok: false, issues: [{ code: error.code, pointer: '/schemaVersion', message: error.bilingual }] };
  }
  // The graph checks below trust the shape, so a document that breaks the schema stops here.
  if (!checkFlowSchema(migrated)) return { ok: false, issues: schemaIssues(migrated, checkFlowSchema.errors) };
  const index = indexFlow(migrated, ctx.definitions);
  const issues = graphChecks.flatMap((check) => check(index, ctx));
  return { ok: issues.length === 0, issues, flow: migrated };
}

type FlowCheck = (index: FlowIndex, ctx: FlowValidationContext) => FlowIssue[];

/** Every check runs, in the order their issues are listed. */
const graphChecks: FlowCheck[] = [
  duplicateIds, nodeTypes, parameters, edgeEnds, duplicateEdges, unconnectedHandles,
  startNodes, unreachableNodes, busyLoops, rules, references,
];

// ---------------------------------------------------------------- the index

interface FlowIndex {
  flow: FlowDefinition;
  /** Array index of the first node with each id; later duplicates are reported and otherwise ignored. */
  nodeAt: Map<string, number>;
  /** Known versions of each known node type. */
  types: Map<string, Map<number, NodeTypeDefinition>>;
  /** Each node's definition, by array index; undefined for an unknown type or version. */
  definitions: (NodeTypeDefinition | undefined)[];
  /** Where each node's edges lead, leaving out edges with a missing end. */
  successors: Map<string, string[]>;
}

function indexFlow(flow: FlowDefinition, definitions: NodeTypeDefinition[]): FlowIndex {
  const nodeAt = firstIndexByKey(flow.nodes, (node) => node.id);
  const types = new Map<string, Map<number, NodeTypeDefinition>>();
  for (const def of definitions) types.set(def.type, (types.get(def.type) ?? new Map()).set(def.typeVersion, def));
  const successors = new Map(flow.nodes.map((node) => [node.id, [] as string[]]));
  for (const edge of flow.edges) {
    if (nodeAt.has(edge.to.nodeId)) successors.get(edge.from.nodeId)?.push(edge.to.nodeId);
  }
  return {
    flow, nodeAt, types, successors,
    definitions: flow.nodes.map((node) => types.get(node.type)?.get(node.typeVersion)),
  };
}

/** The known node with this id and its definition, when both exist. */
function definedNode(index: FlowIndex, nodeId: string): { node: FlowNode; i: number; def: NodeTypeDefinition } | undefined {
  const i = index.nodeAt.get(nodeId);
  const def = i === undefined ? undefined : index.definitions[i];
  return def && i !== undefined ? { node: index.flow.nodes[i], i, def } : undefined;
}

/** Nodes with a known definition, with their array index (first occurrence of each id only). */
function definedNodes(index: FlowIndex) {
  return [...index.nodeAt.keys()].flatMap((id) => definedNode(index, id) ?? []);
}

// ---------------------------------------------------------------- messages

const nodeName = (node: FlowNode): Bilingual => ({ zh: `节点「${node.id}」（${node.type}）`, en: `node "${node.id}" (${node.type})` });
const edgeName = (edge: FlowEdge): Bilingual => ({ zh: `连线「${edge.id}」`, en: `edge "${edge.id}"` });
const say = (subject: Bilingual, zh: string, en: string): Bilingual => ({ zh: `${subject.zh}${zh}`, en: `${subject.en} ${en}` });
const list = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** What an ajv error says, in both languages (ajv's own messages are English only). */
function describeAjvError(e: ErrorObject): Bilingual {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return { zh: `缺少必填字段「${String(p.missingProperty)}」`, en: `is missing required field "${String(p.missingProperty)}"` };
    case 'additionalProperties': return { zh: `有不允许的字段「${String(p.additionalProperty)}」`, en: `has unknown field "${String(p.additionalProperty)}"` };
    case 'type': return { zh: `应为 ${String(p.type)} 类型`, en: `must be of type ${String(p.type)}` };
    case 'const': return { zh: `必须等于 ${JSON.stringify(p.allowedValue)}`, en: `must equal ${JSON.stringify(p.allowedValue)}` };
    case 'enum': return { zh: `必须是其中之一：${list(p.allowedValues as unknown[])}`, en: `must be one of ${list(p.allowedValues as unknown[])}` };
    case 'pattern': return { zh: `格式不符合 ${String(p.pattern)}`, en: `must match ${String(p.pattern)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { zh: `必须 ${String(p.comparison)} ${String(p.limit)}`, en: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'minLength': case 'minItems': return { zh: `长度不能少于 ${String(p.limit)}`, en: `must have at least ${String(p.limit)} characters or items` };
    case 'maxLength': case 'maxItems': return { zh: `长度不能超过 ${String(p.limit)}`, en: `must have at most ${String(p.limit)} characters or items` };
    default: return { zh: `不符合约束 ${e.keyword}（${e.message ?? ''}）`, en: e.message ?? `breaks "${e.keyword}"` };
  }
}

type IssueTarget = Pick<FlowIssue, 'nodeId' | 'edgeId'>;

/** An ajv error as an issue; its instance path is relative to `base`, which `subject` names. */
function ajvIssue(code: FlowIssueCode, e: ErrorObject, base: string, subject: Bilingual, target: IssueTarget = {}): FlowIssue {
  const what = describeAjvError(e);
  const path = e.instancePath;
  const message = say(subject, `${path && ` ${path}`}：${what.zh}`, `${path && `${path} `}${what.en}`);
  return { code, ...target, pointer: base + path, message };
}

// ---------------------------------------------------------------- the schema

function schemaIssues(doc: unknown, errors: ErrorObject[] | null | undefined): FlowIssue[] {
  return (errors ?? []).map((e) => {
    const item = /^\/(nodes|edges)\/(\d+)/.exec(e.instancePath);
    const id = item ? idAt(doc, `/${item[1]}/${item[2]}/id`) : undefined;
    if (item?.[1] === 'nodes' && id) return ajvIssue('schema', e, '', { zh: `节点「${id}」`, en: `node "${id}":` }, { nodeId: id });
    if (item?.[1] === 'edges' && id) return ajvIssue('schema', e, '', { zh: `连线「${id}」`, en: `edge "${id}":` }, { edgeId: id });
    return ajvIssue('schema', e, '', { zh: '流程', en: 'flow' });
  });
}

function idAt(doc: unknown, pointer: string): string | undefined {
  const id = valueAt(doc, pointer);
  return typeof id === 'string' ? id : undefined;
}

// ---------------------------------------------------------------- the checks


function duplicateIds({ flow }: FlowIndex): FlowIssue[] {
  return [
    ...laterDuplicates(flow.nodes).map((i): FlowIssue => ({
      code: 'duplicate-node-id', nodeId: flow.nodes[i].id, pointer: `/nodes/${i}/id`,
      message: say(nodeName(flow.nodes[i]), '的 id 与另一个节点重复', 'has the same id as another node'),
    })),
    ...laterDuplicates(flow.edges).map((i): FlowIssue => ({
      code: 'duplicate-edge-id', edgeId: flow.edges[i].id, pointer: `/edges/${i}/id`,
      message: say(edgeName(flow.edges[i]), '的 id 与另一条连线重复', 'has the same id as another edge'),
    })),
  ];
}

/** Array indexes of the items whose id an earlier item already has. */
function laterDuplicates(items: { id: string }[]): number[] {
  const firstAt = firstIndexByKey(items, (item) => item.id);
  return items.flatMap((item, i) => (firstAt.get(item.id) === i ? [] : [i]));
}

/** The array index of the first item with each key. */
function firstIndexByKey<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    if (!firstAt.has(key(item))) firstAt.set(key(item), i);
  });
  return firstAt;
}

function nodeTypes(index: FlowIndex): FlowIssue[] {
  return index.flow.nodes.flatMap((node, i): FlowIssue[] => {
    const versions = index.types.get(node.type);
    if (!versions) {
      return [{ code: 'unknown-node-type', nodeId: node.id, pointer: `/nodes/${i}/type`, message: say(nodeName(node), '的类型未知', 'has an unknown type') }];
    }
    if (versions.has(node.typeVersion)) return [];
    const known = [...versions.keys()].join(', ');
    return [{
      code: 'unknown-type-version', nodeId: node.id, pointer: `/nodes/${i}/typeVersion`,
      message: say(nodeName(node), `的类型版本 ${node.typeVersion} 未知（已知：${known}）`, `has unknown typeVersion ${node.typeVersion} (known: ${known})`),
    }];
  });
}

function parameters(index: FlowIndex): FlowIssue[] {
  return definedNodes(index).flatMap(({ node, i, def }) => {
    const check = parametersValidator(def.parameters);
    if (check(node.parameters)) return [];
    const subject = say(nodeName(node), '的参数', 'parameters');
    return (check.errors ?? []).map((e) => ajvIssue('invalid-parameters', e, `/nodes/${i}/parameters`, subject, { nodeId: node.id }));
  });
}

// Compiled once per schema object: definitions are constants from the registry.
const parameterValidators = new WeakMap<JsonSchema, ValidateFunction>();

function parametersValidator(schema: JsonSchema): ValidateFunction {
  let check = parameterValidators.get(schema);
  if (!check) {
    declareEditorHints(schema);
    check = ajv.compile(schema);
    parameterValidators.set(schema, check);
  }
  return check;
}

// The shared ajv is strict, so it refuses keywords it does not know; the
// editor's `x-` hints in parameter schemas (rules/plugin.ts) are annotations
// with nothing to validate, so they are declared as such when first seen.
function declareEditorHints(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') && !ajv.RULES.keywords[key]) ajv.addKeyword(key);
    declareEditorHints(value);
  }
}

interface NodeHandle {
  id: string;
  required: boolean;
  /** Where the handle is declared in the document: the node, or the rule / defaultHandle that names it. */
  pointer: string;
}

/** The handles a node can exit through, each once. */
function handlesOf(node: FlowNode, i: number, def: NodeTypeDefinition): NodeHandle[] {
  const fixed = def.handles.map((h) => ({ id: h.id, required: h.required ?? false, pointer: `/nodes/${i}` }));
  const all = def.ruleHandles ? [...fixed, ...ruleHandles(node, i)] : fixed;
  return all.filter((h, k) => all.findIndex((other) => other.id === h.id) === k);
}

// A rules node's parameters are RulesNodeParameters (rules/flow.ts), as the
// interpreter reads them. Every one of its handles is required: a rule whose
// handle leads nowhere would end the conversation silently when it fires.
function ruleHandles(node: FlowNode, i: number): NodeHandle[] {
  const { rules, defaultHandle } = node.parameters;
  const fromRules = (Array.isArray(rules) ? rules : []).flatMap((rule: unknown, k) => {
    const type = valueAt(rule, '/event/type');
    return typeof type === 'string' ? [{ id: type, required: true, pointer: `/nodes/${i}/parameters/rules/${k}/event/type` }] : [];
  });
  const fallback = typeof defaultHandle === 'string' ? [{ id: defaultHandle, required: true, pointer: `/nodes/${i}/parameters/defaultHandle` }] : [];
  return [...fromRules, ...fallback];
}

function edgeEnds(index: FlowIndex): FlowIssue[] {
  return index.flow.edges.flatMap((edge, j) => [
    ...missingEnd(index, edge, j, 'from'), ...missingEnd(index, edge, j, 'to'), ...unknownHandle(index, edge, j),
  ]);
}

const EDGE_ENDS = {
  from: { code: 'edge-from-missing-node', zh: '起点', en: 'starts' },
  to: { code: 'edge-to-missing-node', zh: '终点', en: 'ends' },
} as const;

function missingEnd(index: FlowIndex, edge: FlowEdge, j: number, end: 'from' | 'to'): FlowIssue[] {
  const { nodeId } = edge[end];
  if (index.nodeAt.has(nodeId)) return [];
  const { code, zh, en } = EDGE_ENDS[end];
  return [{
    code, edgeId: edge.id, pointer: `/edges/${j}/${end}/nodeId`,
    message: say(edgeName(edge), `的${zh}节点「${nodeId}」不存在`, `${en} at node "${nodeId}", which does not exist`),
  }];
}

function unknownHandle(index: FlowIndex, edge: FlowEdge, j: number): FlowIssue[] {
  const from = definedNode(index, edge.from.nodeId);
  if (!from) return [];
  const handles = handlesOf(from.node, from.i, from.def).map((h) => h.id);
  if (handles.includes(edge.from.handle)) return [];
  return [{
    code: 'unknown-handle', nodeId: from.node.id, edgeId: edge.id, pointer: `/edges/${j}/from/handle`,
    message: say(nodeName(from.node), `没有出口「${edge.from.handle}」（出口：${handles.join(', ') || '无'}）`, `has no handle "${edge.from.handle}" (handles: ${handles.join(', ') || 'none'})`),
  }];
}

// Two edges from one handle: the interpreter would follow the first only.
function duplicateEdges({ flow }: FlowIndex): FlowIssue[] {
  const fromKey = (edge: FlowEdge) => handleKey(edge.from.nodeId, edge.from.handle);
  const firstFrom = firstIndexByKey(flow.edges, fromKey);
  return flow.edges.flatMap((edge, j): FlowIssue[] => {
    const firstAt = firstFrom.get(fromKey(edge)) ?? j;
    if (firstAt === j) return [];
    const first = flow.edges[firstAt];
    const about = { nodeId: edge.from.nodeId, edgeId: edge.id };
    const handle = `「${edge.from.nodeId}」的出口「${edge.from.handle}」`;
    const handleEn = `handle "${edge.from.handle}" of node "${edge.from.nodeId}"`;
    return first.to.nodeId === edge.to.nodeId
      ? [{ code: 'duplicate-edge', ...about, pointer: `/edges/${j}`, message: say(edgeName(edge), `与连线「${first.id}」相同（${handle}）`, `repeats edge "${first.id}" (${handleEn})`) }]
      : [{ code: 'handle-connected-twice', ...about, pointer: `/edges/${j}/from/handle`, message: say(edgeName(edge), `与连线「${first.id}」都从${handle}出发`, `leaves ${handleEn}, which edge "${first.id}" already connects`) }];
  });
}

const handleKey = (nodeId: string, handle: string) => JSON.stringify([nodeId, handle]);

function unconnectedHandles(index: FlowIndex): FlowIssue[] {
  const connected = new Set(index.flow.edges.map((e) => handleKey(e.from.nodeId, e.from.handle)));
  return definedNodes(index).flatMap(({ node, i, def }) => handlesOf(node, i, def)
    .filter((h) => h.required && !connected.has(handleKey(node.id, h.id)))
    .map((h): FlowIssue => ({
      code: 'unconnected-handle', nodeId: node.id, pointer: h.pointer,
      message: say(nodeName(node), `的出口「${h.id}」没有连线`, `has handle "${h.id}" connected to nothing`),
    })));
}

function startNodes({ flow }: FlowIndex): FlowIssue[] {
  const starts = flow.nodes.flatMap((node, i) => (node.type === START_TYPE ? [{ node, i }] : []));
  if (starts.length === 0) {
    return [{ code: 'no-start-node', pointer: '/nodes', message: { zh: `流程没有开始节点（${START_TYPE}）`, en: `the flow has no start node (${START_TYPE})` } }];
  }
  return starts.slice(1).map(({ node, i }): FlowIssue => ({
    code: 'multiple-start-nodes', nodeId: node.id, pointer: `/nodes/${i}`,
    message: say(nodeName(node), `是多余的开始节点（已有「${starts[0].node.id}」）`, `is a second start node ("${starts[0].node.id}" is the first)`),
  }));
}

function unreachableNodes(index: FlowIndex): FlowIssue[] {
  const start = index.flow.nodes.find((n) => n.type === START_TYPE);
  if (!start) return [];
  const reached = new Set([start.id]);
  // A Set's iteration also visits what is added during it: a breadth-first walk.
  for (const id of reached) for (const next of index.successors.get(id) ?? []) reached.add(next);
  return index.flow.nodes.flatMap((node, i): FlowIssue[] => reached.has(node.id) ? [] : [{
    code: 'unreachable-node', nodeId: node.id, pointer: `/nodes/${i}`,
    message: say(nodeName(node), `从开始节点「${start.id}」无法到达`, `cannot be reached from start node "${start.id}"`),
  }]);
}

// A loop without a node that waits (for the customer or a timer) would spin
// forever inside one workflow task. Loops through an unknown node type are
// left alone: that node is reported already and may well wait.
function busyLoops(index: FlowIndex): FlowIssue[] {
  return loops(index.successors).flatMap((ids): FlowIssue[] => {
    const nodes = ids.flatMap((id) => definedNode(index, id) ?? []).sort((a, b) => a.i - b.i);
    if (nodes.length < ids.length || nodes.some(({ def }) => def.waits)) return [];
    const inOrder = nodes.map(({ node }) => node.id);
    return [{
      code: 'busy-loop', nodeId: inOrder[0], nodeIds: inOrder, pointer: `/nodes/${nodes[0].i}`,
      message: { zh: `节点 ${inOrder.join('、')} 构成循环，但其中没有等待的节点，会无限空转`, en: `nodes ${inOrder.join(', ')} form a loop in which no node waits, so it would spin forever` },
    }];
  });
}

/** The strongly connected components that contain a cycle (Tarjan's algorithm). */
function loops(successors: Map<string, string[]>): string[][] {
  const visited = new Map<string, { order: number; low: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (id: string) => {
    const self = { order: visited.size, low: visited.size };
    visited.set(id, self);
    stack.push(id);
    onStack.add(id);
    for (const next of successors.get(id) ?? []) {
      if (!visited.has(next)) visit(next);
      const reached = visited.get(next);
      if (reached && onStack.has(next)) self.low = Math.min(self.low, reached.low);
    }
    if (self.low !== self.order) return;
    const component = stack.splice(stack.indexOf(id));
    component.forEach((member) => onStack.delete(member));
    if (component.length > 1 || successors.get(id)?.includes(id)) found.push(component);
  };
  for (const id of successors.keys()) if (!visited.has(id)) visit(id);
  return found;
}

function rules(index: FlowIndex): FlowIssue[] {
  const facts = [...factsCatalog, ...providedFacts(index)];
  return definedNodes(index).flatMap(({ node, i, def }) => {
    if (def.rulesAt === undefined) return [];
    const rulesArray = valueAt(node.parameters, def.rulesAt);
    // A missing rules array is the parameters schema's to report.
    if (rulesArray === undefined) return [];
    return checkRules(rulesArray, { facts }).map((issue): FlowIssue => ({
      code: `rule-${issue.code}`, nodeId: node.id, pointer: `/nodes/${i}/parameters${def.rulesAt}${issue.pointer}`,
      message: say(nodeName(node), `的规则：${issue.message.zh}`, `rules: ${issue.message.en}`),
    }));
  });
}

/** The facts this flow's nodes add (their outputs), once each, in the facts catalog's shape. */
function providedFacts(index: FlowIndex): FactDefinition[] {
  const byFact = new Map<string, FactDefinition>();
  for (const { def } of definedNodes(index)) {
    if (def.provides && !byFact.has(def.provides.fact)) byFact.set(def.provides.fact, factFromProvides(def.provides));
  }
  return [...byFact.values()];
}

function factFromProvides({ fact, description, schema }: NonNullable<NodeTypeDefinition['provides']>): FactDefinition {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  return {
    fact, description,
    properties: Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, factProperty(property, description)])),
  };
}

const FACT_TYPES: FactType[] = ['string', 'number', 'boolean', 'array', 'object'];

// JSON Schema descriptions are one string; it stands for both languages, and
// the fact's own description for a property that has none. A property of no
// single fact type counts as an object.
function factProperty(schema: unknown, factDescription: Bilingual): FactProperty {
  const { type, description, enum: values } = isRecord(schema) ? schema : {};
  const factType = FACT_TYPES.find((t) => t === (type === 'integer' ? 'number' : type)) ?? 'object';
  return {
    type: factType,
    description: typeof description === 'string' ? { zh: description, en: description } : factDescription,
    ...(Array.isArray(values) && values.every((v) => typeof v === 'string') ? { enum: values } : {}),
  };
}

const REFERENCE_KINDS: Record<ReferenceKind, { known: keyof FlowValidationContext['known']; code: FlowIssueCode; zh: string; en: string }> = {
  queue: { known: 'queues', code: 'unknown-queue', zh: '队列', en: 'queue' },
  inbox: { known: 'inboxes', code: 'unknown-inbox', zh: '收件箱', en: 'inbox' },
  faqSet: { known: 'faqSets', code: 'unknown-faq-set', zh: 'FAQ 集', en: 'FAQ set' },
};

function references(index: FlowIndex, ctx: FlowValidationContext): FlowIssue[] {
  return definedNodes(index).flatMap(({ node, i, def }) => (def.references ?? []).flatMap(({ pointer, kind }) => {
    const { known, code, zh, en } = REFERENCE_KINDS[kind];
    return referencedValues(node.parameters, pointer)
      .filter(({ value }) => typeof value === 'string' && !ctx.known[known].includes(value))
      .map(({ value, at }): FlowIssue => ({
        code, nodeId: node.id, pointer: `/nodes/${i}/parameters${at}`,
        message: say(nodeName(node), `引用的${zh}「${String(value)}」不存在`, `names ${en} "${String(value)}", which does not exist`),
      }));
  }));
}

/** The values a reference pointer names: one, or each item of an array for a pointer ending in `/*`. */
function referencedValues(parameters: Record<string, unknown>, pointer: string): { value: unknown; at: string }[] {
  if (!pointer.endsWith('/*')) return [{ value: valueAt(parameters, pointer), at: pointer }];
  const arrayAt = pointer.slice(0, -2);
  const items = valueAt(parameters, arrayAt);
  return Array.isArray(items) ? items.map((value: unknown, k) => ({ value, at: `${arrayAt}/${k}` })) : [];
}

// ---------------------------------------------------------------- JSON pointers

/** The value a JSON pointer (RFC 6901) names in `doc`, or undefined. */
function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let value = doc;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

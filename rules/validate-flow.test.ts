import { describe, expect, it, vi } from 'vitest';
import { ajv } from './ajv';
import { defaultFlow } from './default-flow';
import { FLOW_SCHEMA_VERSION, findNode, type FlowDefinition, type FlowNode } from './flow';
import type { HandleDefinition, JsonSchema, NodeTypeDefinition } from './plugin';
import { validateFlow, type FlowValidationContext } from './validate-flow';

// Node types as rules/default-flow.ts uses them, with editor hints (`x-`) as
// plugins carry them. A factory, so a test can get schemas ajv has not seen.
function testDefinitions(): NodeTypeDefinition[] {
  const handle = (id: string): HandleDefinition => ({ id, title: { zh: id, en: id }, required: true });
  const params = (properties: Record<string, JsonSchema> = {}, required = Object.keys(properties)): JsonSchema =>
    ({ type: 'object', additionalProperties: false, required, properties });
  const seconds = { type: 'integer', minimum: 1, 'x-title': { zh: '秒', en: 'Seconds' } };
  const queueName = { type: 'string', 'x-widget': 'queue' };
  const define = (type: string, rest: Partial<NodeTypeDefinition>): NodeTypeDefinition => ({
    type, typeVersion: 1, title: { zh: type, en: type }, description: { zh: type, en: type }, category: 'flow',
    parameters: params(), handles: [handle('next')], ...rest,
  });
  return [
    define('start', {}),
    define('normalize', {}),
    define('bot', {
      category: 'bot',
      parameters: params({ faqSet: { type: 'string', 'x-widget': 'faqSet' }, minConfidence: { type: 'number', minimum: 0, maximum: 1 } }, ['faqSet']),
      references: [{ pointer: '/faqSet', kind: 'faqSet' }],
      provides: {
        fact: 'bot', description: { zh: '机器人应答', en: 'The bot answer' },
        schema: { type: 'object', properties: { answered: { type: 'boolean' }, confidence: { type: 'number' } } },
      },
    }),
    define('rules', {
      category: 'logic',
      parameters: params({ rules: { type: 'array', items: { type: 'object' }, 'x-widget': 'rules' }, defaultHandle: { type: 'string' } }),
      handles: [], ruleHandles: true, rulesAt: '/rules',
    }),
    define('wait', { parameters: params({ timeoutSeconds: seconds }), handles: [handle('message'), handle('timeout')], waits: true }),
    define('queue', {
      category: 'routing',
      parameters: params({
        queue: queueName, priority: { type: 'integer' }, slaSeconds: seconds,
        escalationQueue: queueName, escalationPriority: { type: 'integer' }, assignRetrySeconds: seconds,
      }),
      handles: [handle('closed')], waits: true,
      references: [{ pointer: '/queue', kind: 'queue' }, { pointer: '/escalationQueue', kind: 'queue' }],
    }),
    define('survey', { parameters: params({ timeoutSeconds: seconds }), waits: true }),
    define('close', { handles: [] }),
    // Not in the default flow: for array references and facts a node provides.
    define('notify', { parameters: params({ inboxes: { type: 'array', items: { type: 'string' } } }), references: [{ pointer: '/inboxes/*', kind: 'inbox' }] }),
    define('ticket', {
      provides: {
        fact: 'crmTicket', description: { zh: 'CRM 工单', en: 'The CRM ticket' },
        schema: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'solved'] } } },
      },
    }),
  ];
}

const ctx: FlowValidationContext = {
  definitions: testDefinitions(),
  known: { queues: ['general', 'escalation'], inboxes: ['web', 'wechat'], faqSets: ['default'] },
};

// Default flow indexes: nodes start 0, normalize 1, bot 2, route 3, idle 4,
// queue 5, survey 6, close 7; edges e1…e9 at 0…8.
function changed(change: (flow: FlowDefinition) => void): FlowDefinition {
  const flow = structuredClone(defaultFlow);
  change(flow);
  return flow;
}

const at = (flow: FlowDefinition, id: string) => findNode(flow, id);
const newNode = (id: string, type: string, parameters: Record<string, unknown> = {}): FlowNode => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, parameters });
const newEdge = (id: string, from: string, handle: string, to: string) => ({ id, from: { nodeId: from, handle }, to: { nodeId: to } });
const routeRules = (flow: FlowDefinition) => at(flow, 'route').parameters.rules as Record<string, unknown>[];

/** The issues without their messages (asserted separately), for exact comparison. */
const issuesOf = (doc: unknown, context = ctx) => validateFlow(doc, context).issues.map(({ message: _message, ...issue }) => issue);

describe('validateFlow: a valid flow', () => {
  it('passes the default flow, whose loop goes through a waiting node, and returns it', () => {
    expect(validateFlow(defaultFlow, ctx)).toEqual({ ok: true, issues: [], flow: defaultFlow });
  });

  it('compiles each node type parameters schema once, however many flows it validates', () => {
    const definitions = testDefinitions();
    const compile = vi.spyOn(ajv, 'compile');
    validateFlow(defaultFlow, { ...ctx, definitions });
    validateFlow(defaultFlow, { ...ctx, definitions });
    expect(compile).toHaveBeenCalledTimes(new Set(defaultFlow.nodes.map((n) => n.type)).size);
    compile.mockRestore();
  });
});

describe('validateFlow: the document', () => {
  it('reports a schemaVersion newer than the code at /schemaVersion, without a flow', () => {
    const result = validateFlow({ ...defaultFlow, schemaVersion: FLOW_SCHEMA_VERSION + 1 }, ctx);
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'schema-version-newer', pointer: '/schemaVersion' }] });
    expect(result.flow).toBeUndefined();
  });

  it('reports a document without a schemaVersion instead of crashing', () => {
    expect(issuesOf({ nodes: [] })).toEqual([{ code: 'schema-version-missing', pointer: '/schemaVersion' }]);
    expect(issuesOf('flow')).toEqual([{ code: 'schema-version-missing', pointer: '/schemaVersion' }]);
  });

  it('reports schema errors at their instance path, naming the node, and stops there', () => {
    const flow = changed((f) => {
      (at(f, 'bot') as unknown as Record<string, unknown>).typeVersion = '1';
      f.edges.push(newEdge('bad edge', 'bot', 'next', 'route'));
    });
    const result = validateFlow(flow, ctx);
    expect(result.flow).toBeUndefined();
    expect(result.issues.map(({ message: _message, ...issue }) => issue)).toEqual([
      { code: 'schema', nodeId: 'bot', pointer: '/nodes/2/typeVersion' },
      { code: 'schema', edgeId: 'bad edge', pointer: '/edges/9/id' },
    ]);
    expect(result.issues[0].message).toEqual({ zh: '节点「bot」 /nodes/2/typeVersion：应为 integer 类型', en: 'node "bot": /nodes/2/typeVersion must be of type integer' });
  });

  it('reports duplicate node ids at the later node', () => {
    const flow = changed((f) => f.nodes.push(newNode('close', 'close')));
    expect(issuesOf(flow)).toEqual([{ code: 'duplicate-node-id', nodeId: 'close', pointer: '/nodes/8/id' }]);
  });

  it('reports duplicate edge ids at the later edge', () => {
    const flow = changed((f) => { f.edges[8].id = 'e8'; });
    expect(issuesOf(flow)).toEqual([{ code: 'duplicate-edge-id', edgeId: 'e8', pointer: '/edges/8/id' }]);
  });
});

describe('validateFlow: nodes against their types', () => {
  it('reports an unknown node type', () => {
    const flow = changed((f) => { at(f, 'close').type = 'hangup'; });
    expect(issuesOf(flow)).toEqual([{ code: 'unknown-node-type', nodeId: 'close', pointer: '/nodes/7/type' }]);
  });

  it('reports an unknown typeVersion of a known type, listing the known ones', () => {
    const flow = changed((f) => { at(f, 'survey').typeVersion = 2; });
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([{ code: 'unknown-type-version', nodeId: 'survey', pointer: '/nodes/6/typeVersion' }]);
    expect(issues[0].message.en).toBe('node "survey" (survey) has unknown typeVersion 2 (known: 1)');
  });

  it("reports parameters that break the node type's schema under the node's parameters", () => {
    const flow = changed((f) => {
      at(f, 'bot').parameters.minConfidence = 2;
      delete at(f, 'queue').parameters.slaSeconds;
    });
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([
      { code: 'invalid-parameters', nodeId: 'bot', pointer: '/nodes/2/parameters/minConfidence' },
      { code: 'invalid-parameters', nodeId: 'queue', pointer: '/nodes/5/parameters' },
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      { zh: '节点「bot」（bot）的参数 /minConfidence：必须 <= 1', en: 'node "bot" (bot) parameters /minConfidence must be <= 1' },
      { zh: '节点「queue」（queue）的参数：缺少必填字段「slaSeconds」', en: 'node "queue" (queue) parameters is missing required field "slaSeconds"' },
    ]);
  });
});

describe('validateFlow: edges and handles', () => {
  it('reports an edge from a missing node', () => {
    const flow = changed((f) => f.edges.push(newEdge('e10', 'ghost', 'next', 'close')));
    expect(issuesOf(flow)).toEqual([{ code: 'edge-from-missing-node', edgeId: 'e10', pointer: '/edges/9/from/nodeId' }]);
  });

  it('reports an edge to a missing node', () => {
    const flow = changed((f) => { f.edges[8].to.nodeId = 'ghost'; });
    expect(issuesOf(flow)).toEqual([{ code: 'edge-to-missing-node', edgeId: 'e9', pointer: '/edges/8/to/nodeId' }]);
  });

  it('reports an edge from a handle the node does not have, naming the handles it has', () => {
    const flow = changed((f) => f.edges.push(newEdge('e10', 'bot', 'answered', 'close')));
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([{ code: 'unknown-handle', nodeId: 'bot', edgeId: 'e10', pointer: '/edges/9/from/handle' }]);
    expect(issues[0].message).toEqual({ zh: '节点「bot」（bot）没有出口「answered」（出口：next）', en: 'node "bot" (bot) has no handle "answered" (handles: next)' });
  });

  it("takes a rules node's handles from its rules' event types and its default handle", () => {
    const flow = changed((f) => f.edges.push(newEdge('e10', 'route', 'vip', 'queue')));
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([{ code: 'unknown-handle', nodeId: 'route', edgeId: 'e10', pointer: '/edges/9/from/handle' }]);
    expect(issues[0].message.en).toBe('node "route" (rules) has no handle "vip" (handles: queue, end)');
  });

  it('reports an edge that repeats another', () => {
    const flow = changed((f) => f.edges.push(newEdge('e10', 'survey', 'next', 'close')));
    expect(issuesOf(flow)).toEqual([{ code: 'duplicate-edge', nodeId: 'survey', edgeId: 'e10', pointer: '/edges/9' }]);
  });

  it('reports a second edge from the same handle to another node', () => {
    const flow = changed((f) => f.edges.push(newEdge('e10', 'survey', 'next', 'idle')));
    expect(issuesOf(flow)).toEqual([{ code: 'handle-connected-twice', nodeId: 'survey', edgeId: 'e10', pointer: '/edges/9/from/handle' }]);
  });

  it('reports a required handle left unconnected, at the node', () => {
    const flow = changed((f) => { f.edges.splice(6, 1); });
    expect(issuesOf(flow)).toEqual([{ code: 'unconnected-handle', nodeId: 'idle', pointer: '/nodes/4' }]);
  });

  it("reports a rules node's unconnected handles at the rule or default handle that names them", () => {
    const flow = changed((f) => {
      routeRules(f).push({ name: 'vip', conditions: { all: [{ fact: 'bot', path: '$.confidence', operator: 'lessThan', value: 0.2 }] }, event: { type: 'vip' } });
      f.edges.splice(4, 1);
    });
    expect(issuesOf(flow)).toEqual([
      { code: 'unconnected-handle', nodeId: 'route', pointer: '/nodes/3/parameters/rules/2/event/type' },
      { code: 'unconnected-handle', nodeId: 'route', pointer: '/nodes/3/parameters/defaultHandle' },
      { code: 'unreachable-node', nodeId: 'idle', pointer: '/nodes/4' },
    ]);
  });
});

describe('validateFlow: the graph', () => {
  it('reports a flow without a start node', () => {
    const flow = changed((f) => { at(f, 'start').type = 'normalize'; });
    expect(issuesOf(flow)).toEqual([{ code: 'no-start-node', pointer: '/nodes' }]);
  });

  it('reports every start node after the first', () => {
    const flow = changed((f) => {
      f.nodes.push(newNode('start2', 'start'));
      f.edges.push(newEdge('e10', 'start2', 'next', 'normalize'));
    });
    expect(issuesOf(flow)).toEqual([
      { code: 'multiple-start-nodes', nodeId: 'start2', pointer: '/nodes/8' },
      { code: 'unreachable-node', nodeId: 'start2', pointer: '/nodes/8' },
    ]);
  });

  it('reports nodes the start node cannot reach', () => {
    const flow = changed((f) => f.nodes.push(newNode('orphan', 'close')));
    expect(issuesOf(flow)).toEqual([{ code: 'unreachable-node', nodeId: 'orphan', pointer: '/nodes/8' }]);
  });

  it('reports a loop in which no node waits once, with all its nodes in document order', () => {
    const flow = changed((f) => { f.edges[4].to.nodeId = 'normalize'; });
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([
      { code: 'unreachable-node', nodeId: 'idle', pointer: '/nodes/4' },
      { code: 'busy-loop', nodeId: 'normalize', nodeIds: ['normalize', 'bot', 'route'], pointer: '/nodes/1' },
    ]);
    expect(issues[1].message.en).toBe('nodes normalize, bot, route form a loop in which no node waits, so it would spin forever');
  });

  it('reports a node whose edge leads back to itself', () => {
    const flow = changed((f) => {
      at(f, 'route').parameters.defaultHandle = 'again';
      f.edges[4] = newEdge('e5', 'route', 'again', 'route');
    });
    expect(issuesOf(flow)).toEqual([
      { code: 'unreachable-node', nodeId: 'idle', pointer: '/nodes/4' },
      { code: 'busy-loop', nodeId: 'route', nodeIds: ['route'], pointer: '/nodes/3' },
    ]);
  });
});

describe('validateFlow: rules and references', () => {
  it("reports rule problems under the node's rules, naming the node and the fact", () => {
    const flow = changed((f) => { routeRules(f)[0].conditions = { all: [{ fact: 'mesage', path: '$.text', operator: 'containsAny', value: ['人工'] }] }; });
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([
      { code: 'rule-unknown-fact', nodeId: 'route', pointer: '/nodes/3/parameters/rules/0/conditions/all/0/fact' },
    ]);
    expect(issues[0].message.en).toMatch(/^node "route" \(rules\) rules: .*"mesage"/);
    expect(issues[0].message.zh).toMatch(/^节点「route」（rules）的规则：.*mesage/);
  });

  it('lets rules use the facts that nodes of this flow provide, with their properties', () => {
    const overTicket = (path: string) => changed((f) => {
      f.nodes.push(newNode('ticket', 'ticket'));
      f.edges[2].to.nodeId = 'ticket';
      f.edges.push(newEdge('e10', 'ticket', 'next', 'route'));
      routeRules(f)[1].conditions = { all: [{ fact: 'crmTicket', path, operator: 'equal', value: 'open' }] };
    });
    expect(issuesOf(overTicket('$.status'))).toEqual([]);
    expect(issuesOf(overTicket('$.stauts'))).toEqual([{ code: 'rule-unknown-property', nodeId: 'route', pointer: '/nodes/3/parameters/rules/1/conditions/all/0/path' }]);
    const withoutTicket = changed((f) => { routeRules(f)[1].conditions = { all: [{ fact: 'crmTicket', path: '$.status', operator: 'equal', value: 'open' }] }; });
    expect(issuesOf(withoutTicket)).toEqual([{ code: 'rule-unknown-fact', nodeId: 'route', pointer: '/nodes/3/parameters/rules/1/conditions/all/0/fact' }]);
  });

  it('reports a queue that does not exist, at the parameter that names it', () => {
    const flow = changed((f) => { at(f, 'queue').parameters.escalationQueue = 'vip'; });
    const { issues } = validateFlow(flow, ctx);
    expect(issues.map(({ message: _message, ...issue }) => issue)).toEqual([{ code: 'unknown-queue', nodeId: 'queue', pointer: '/nodes/5/parameters/escalationQueue' }]);
    expect(issues[0].message).toEqual({ zh: '节点「queue」（queue）引用的队列「vip」不存在', en: 'node "queue" (queue) names queue "vip", which does not exist' });
  });

  it('reports an FAQ set that does not exist', () => {
    const flow = changed((f) => { at(f, 'bot').parameters.faqSet = 'sales'; });
    expect(issuesOf(flow)).toEqual([{ code: 'unknown-faq-set', nodeId: 'bot', pointer: '/nodes/2/parameters/faqSet' }]);
  });

  it('reports each missing inbox of an array reference at its index', () => {
    const flow = changed((f) => {
      f.nodes.push(newNode('notify', 'notify', { inboxes: ['web', 'sms', 'wechat', 'mail'] }));
      f.edges[8].to.nodeId = 'notify';
      f.edges.push(newEdge('e10', 'notify', 'next', 'close'));
    });
    expect(issuesOf(flow)).toEqual([
      { code: 'unknown-inbox', nodeId: 'notify', pointer: '/nodes/8/parameters/inboxes/1' },
      { code: 'unknown-inbox', nodeId: 'notify', pointer: '/nodes/8/parameters/inboxes/3' },
    ]);
  });
});

describe('validateFlow: everything at once', () => {
  it('reports every problem of a broken flow in one pass, each with a message in both languages', () => {
    const flow = changed((f) => {
      at(f, 'close').type = 'hangup';
      at(f, 'bot').parameters.faqSet = 'sales';
      f.nodes.push(newNode('orphan', 'normalize'));
      f.edges.push(newEdge('e10', 'survey', 'next', 'ghost'));
    });
    const { ok, issues } = validateFlow(flow, ctx);
    expect(ok).toBe(false);
    expect(issues.map((i) => i.code)).toEqual(['unknown-node-type', 'edge-to-missing-node', 'handle-connected-twice', 'unconnected-handle', 'unreachable-node', 'unknown-faq-set']);
    for (const { message } of issues) {
      expect(message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(message.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});

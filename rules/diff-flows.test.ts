import { describe, expect, it } from 'vitest';
import { defaultFlow } from './default-flow';
import { diffFlows } from './diff-flows';
import { findNode, type FlowDefinition } from './flow';

function changed(change: (flow: FlowDefinition) => void): FlowDefinition {
  const flow = structuredClone(defaultFlow);
  change(flow);
  return flow;
}

const routeRules = (flow: FlowDefinition) => findNode(flow, 'route').parameters.rules as Record<string, unknown>[];
const noChange = { nodes: { added: [], removed: [], changed: [], moved: [] }, edges: { added: [], removed: [], changed: [] }, rules: [] };

describe('diffFlows', () => {
  it('finds nothing between a flow and its copy, whatever the order of object keys', () => {
    const reordered = changed((f) => {
      const bot = findNode(f, 'bot');
      bot.parameters = { minConfidence: 0.5, faqSet: 'default' };
      bot.position = { y: 0, x: 440 };
    });
    expect(diffFlows(defaultFlow, reordered)).toEqual(noChange);
  });

  it('lists nodes and edges added and removed by id', () => {
    const after = changed((f) => {
      f.nodes = f.nodes.filter((n) => n.id !== 'survey');
      f.nodes.push({ id: 'thanks', type: 'reply', typeVersion: 1, position: { x: 1100, y: -120 }, parameters: { text: '谢谢' } });
      f.edges = f.edges.filter((e) => e.id !== 'e8' && e.id !== 'e9');
      f.edges.push({ id: 'e10', from: { nodeId: 'queue', handle: 'closed' }, to: { nodeId: 'thanks' } });
    });
    expect(diffFlows(defaultFlow, after)).toEqual({
      ...noChange,
      nodes: { ...noChange.nodes, added: ['thanks'], removed: ['survey'] },
      edges: { ...noChange.edges, added: ['e10'], removed: ['e8', 'e9'] },
    });
  });

  it('names the fields of a changed node, and lists nodes that only moved apart', () => {
    const after = changed((f) => {
      findNode(f, 'bot').parameters.minConfidence = 0.7;
      findNode(f, 'queue').typeVersion = 2;
      findNode(f, 'queue').position.x += 40;
      findNode(f, 'close').position = { x: 1400, y: 20 };
    });
    expect(diffFlows(defaultFlow, after).nodes).toEqual({
      added: [], removed: [],
      changed: [{ nodeId: 'bot', fields: ['parameters'] }, { nodeId: 'queue', fields: ['typeVersion', 'position'] }],
      moved: ['close'],
    });
  });

  it('reports an edge changed when either end moves to another node or handle', () => {
    const after = changed((f) => {
      f.edges[4].to.nodeId = 'close';
      f.edges[3].from.handle = 'agent';
    });
    expect(diffFlows(defaultFlow, after).edges).toEqual({ added: [], removed: [], changed: ['e4', 'e5'] });
  });

  it('lists rules added, removed and changed by name in a rules node present in both versions', () => {
    const after = changed((f) => {
      const rules = routeRules(f);
      rules[0].priority = 20;
      rules.splice(1, 1);
      rules.push({ name: 'vip', conditions: { all: [{ fact: 'contact', path: '$.vip', operator: 'equal', value: true }] }, event: { type: 'queue' } });
    });
    expect(diffFlows(defaultFlow, after)).toEqual({
      ...noChange,
      nodes: { ...noChange.nodes, changed: [{ nodeId: 'route', fields: ['parameters'] }] },
      rules: [{ nodeId: 'route', added: ['vip'], removed: ['bot-could-not-answer'], changed: ['asks-for-agent'] }],
    });
  });

  it('names unnamed rules by position, as the rules engine does, and keeps rules that share a name apart', () => {
    const rule = (type: string) => ({ conditions: { all: [] }, event: { type } });
    const before = changed((f) => { findNode(f, 'route').parameters.rules = [rule('a'), { ...rule('b'), name: 'x' }, { ...rule('c'), name: 'x' }]; });
    const after = changed((f) => { findNode(f, 'route').parameters.rules = [rule('a2'), { ...rule('b'), name: 'x' }, { ...rule('c2'), name: 'x' }]; });
    expect(diffFlows(before, after).rules).toEqual([{ nodeId: 'route', added: [], removed: [], changed: ['rule-1', 'x (3)'] }]);
  });

  it('says nothing about rules when only the default handle changed', () => {
    const after = changed((f) => { findNode(f, 'route').parameters.defaultHandle = 'idle'; });
    expect(diffFlows(defaultFlow, after)).toMatchObject({ nodes: { changed: [{ nodeId: 'route', fields: ['parameters'] }] }, rules: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { defaultFlow } from './default-flow';
import { FLOW_SCHEMA_VERSION } from './flow';
import { checkFlowSchema, flowSchema } from './flow-schema';

const node = { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} };
const edge = { id: 'e1', from: { nodeId: 'start', handle: 'next' }, to: { nodeId: 'bot' } };
const flow = (patch: Record<string, unknown>) => ({ schemaVersion: FLOW_SCHEMA_VERSION, nodes: [node], edges: [edge], ...patch });
const errorsOf = (doc: unknown) => (checkFlowSchema(doc) ? [] : (checkFlowSchema.errors ?? []).map((e) => ({ at: e.instancePath, keyword: e.keyword })));

describe('flow JSON Schema', () => {
  it('is a published 2020-12 schema of the current version', () => {
    expect(flowSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(flowSchema.$id).toBe('https://huiliu.dev/schemas/flow.json');
    expect(flowSchema.properties.schemaVersion.const).toBe(FLOW_SCHEMA_VERSION);
    expect(JSON.parse(JSON.stringify(flowSchema))).toEqual(flowSchema);
  });

  it('accepts the default flow and a minimal flow', () => {
    expect(errorsOf(defaultFlow)).toEqual([]);
    expect(errorsOf(flow({}))).toEqual([]);
  });

  it('rejects another schemaVersion, missing parts and editor-only state at the top level', () => {
    expect(errorsOf(flow({ schemaVersion: FLOW_SCHEMA_VERSION + 1 }))).toEqual([{ at: '/schemaVersion', keyword: 'const' }]);
    expect(errorsOf({ schemaVersion: FLOW_SCHEMA_VERSION, nodes: [] })).toEqual([{ at: '', keyword: 'required' }]);
    expect(errorsOf(flow({ viewport: { x: 0, y: 0, zoom: 1 } }))).toEqual([{ at: '', keyword: 'additionalProperties' }]);
  });

  it('rejects ids outside [A-Za-z0-9_-]{1,64}, for nodes, edges and edge ends', () => {
    const bad = ['', 'a b', 'x'.repeat(65), '节点'];
    for (const id of bad) {
      expect(errorsOf(flow({ nodes: [{ ...node, id }] }))).toEqual([{ at: '/nodes/0/id', keyword: 'pattern' }]);
    }
    expect(errorsOf(flow({ edges: [{ ...edge, id: 'e/1' }] }))).toEqual([{ at: '/edges/0/id', keyword: 'pattern' }]);
    expect(errorsOf(flow({ edges: [{ ...edge, to: { nodeId: 'a.b' } }] }))).toEqual([{ at: '/edges/0/to/nodeId', keyword: 'pattern' }]);
    expect(errorsOf(flow({ nodes: [{ ...node, id: 'A-z_09' }] }))).toEqual([]);
  });

  it('rejects malformed nodes: fractional typeVersion, non-object parameters, unknown fields, missing position', () => {
    expect(errorsOf(flow({ nodes: [{ ...node, typeVersion: 1.5 }] }))).toEqual([{ at: '/nodes/0/typeVersion', keyword: 'type' }]);
    expect(errorsOf(flow({ nodes: [{ ...node, typeVersion: 0 }] }))).toEqual([{ at: '/nodes/0/typeVersion', keyword: 'minimum' }]);
    expect(errorsOf(flow({ nodes: [{ ...node, parameters: [] }] }))).toEqual([{ at: '/nodes/0/parameters', keyword: 'type' }]);
    expect(errorsOf(flow({ nodes: [{ ...node, selected: true }] }))).toEqual([{ at: '/nodes/0', keyword: 'additionalProperties' }]);
    const unplaced: Record<string, unknown> = { ...node };
    delete unplaced.position;
    expect(errorsOf(flow({ nodes: [unplaced] }))).toEqual([{ at: '/nodes/0', keyword: 'required' }]);
    expect(errorsOf(flow({ nodes: [{ ...node, position: { x: 0, y: '1' } }] }))).toEqual([{ at: '/nodes/0/position/y', keyword: 'type' }]);
  });

  it('lets parameters be any object: their node type checks them', () => {
    expect(errorsOf(flow({ nodes: [{ ...node, parameters: { anything: [1, { deep: true }] } }] }))).toEqual([]);
  });

  it('holds handles to the id pattern (rule event types name them) and refuses unknown edge parts', () => {
    expect(errorsOf(flow({ edges: [{ ...edge, from: { nodeId: 'start', handle: 'no-answer_2' } }] }))).toEqual([]);
    expect(errorsOf(flow({ edges: [{ ...edge, from: { nodeId: 'start', handle: '转人工' } }] }))).toEqual([{ at: '/edges/0/from/handle', keyword: 'pattern' }]);
    expect(errorsOf(flow({ edges: [{ ...edge, to: { nodeId: 'bot', handle: 'in' } }] }))).toEqual([{ at: '/edges/0/to', keyword: 'additionalProperties' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultFlow } from './default-flow';
import { FLOW_SCHEMA_VERSION } from './flow';
import { FlowMigrationError, flowMigrations, migrateFlow, type FlowMigrationChain } from './migrations';

type Doc = Record<string, unknown> & { nodes: { type: string; parameters: Record<string, unknown> }[] };

// A made-up history of two breaking changes: v1 → v2 renames node type
// "router" to "rules"; v2 → v3 moves `timeout` (minutes) to `timeoutSeconds`.
const twoSteps: FlowMigrationChain = {
  1: (doc) => {
    const routers = (doc as Doc).nodes.filter((n) => n.type === 'router');
    for (const node of routers) node.type = 'rules';
    return routers.length > 0;
  },
  2: (doc) => {
    const timed = (doc as Doc).nodes.filter((n) => 'timeout' in n.parameters);
    for (const node of timed) {
      node.parameters.timeoutSeconds = Number(node.parameters.timeout) * 60;
      delete node.parameters.timeout;
    }
    return timed.length > 0;
  },
};

const v1 = () => ({
  schemaVersion: 1,
  nodes: [
    { id: 'r', type: 'router', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
    { id: 'w', type: 'wait', typeVersion: 1, position: { x: 0, y: 0 }, parameters: { timeout: 10 } },
  ],
  edges: [],
});

const migrationError = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof FlowMigrationError) return { code: error.code, en: error.message, zh: error.bilingual.zh };
    throw error;
  }
  throw new Error('expected a FlowMigrationError');
};

describe('migrateFlow', () => {
  it('has a step for every version below the current one', () => {
    for (let version = 1; version < FLOW_SCHEMA_VERSION; version++) expect(flowMigrations[version]).toBeTypeOf('function');
  });

  it('returns a current document as it is, unchanged', () => {
    expect(migrateFlow(defaultFlow)).toEqual({ flow: defaultFlow, from: FLOW_SCHEMA_VERSION, changed: false });
  });

  it('applies every step in order from the saved version to the target, without touching the input', () => {
    const saved = v1();
    const { flow, from, changed } = migrateFlow(saved, twoSteps, 3);
    expect({ from, changed }).toEqual({ from: 1, changed: true });
    expect(flow).toEqual({
      schemaVersion: 3,
      nodes: [
        { id: 'r', type: 'rules', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
        { id: 'w', type: 'wait', typeVersion: 1, position: { x: 0, y: 0 }, parameters: { timeoutSeconds: 600 } },
      ],
      edges: [],
    });
    expect(saved).toEqual(v1());
  });

  it('starts from the saved version: a v2 document only runs the v2 → v3 step', () => {
    const v2 = { ...v1(), schemaVersion: 2 };
    expect(migrateFlow(v2, twoSteps, 3).flow).toMatchObject({ schemaVersion: 3, nodes: [{ type: 'router' }, { parameters: { timeoutSeconds: 600 } }] });
  });

  it('bumps the version but reports no change when no step had anything to rewrite', () => {
    const plain = { schemaVersion: 1, nodes: [], edges: [] };
    expect(migrateFlow(plain, twoSteps, 3)).toEqual({ flow: { schemaVersion: 3, nodes: [], edges: [] }, from: 1, changed: false });
  });

  it('refuses a document from a newer version than the code, in both languages', () => {
    expect(migrationError(() => migrateFlow({ ...v1(), schemaVersion: 4 }, twoSteps, 3))).toEqual({
      code: 'schema-version-newer',
      en: 'the flow has schemaVersion 4, newer than 3, which this version supports: upgrade to open it',
      zh: '流程的 schemaVersion 为 4，比本系统支持的 3 更新：请升级后再打开',
    });
  });

  it('refuses anything without a positive integer schemaVersion instead of crashing', () => {
    for (const doc of [null, 'flow', [], {}, { schemaVersion: '1' }, { schemaVersion: 1.5 }, { schemaVersion: 0 }]) {
      expect(migrationError(() => migrateFlow(doc)).code).toBe('schema-version-missing');
    }
  });

  it('names the missing step when the chain has a gap', () => {
    const gap: FlowMigrationChain = { 1: twoSteps[1] };
    expect(migrationError(() => migrateFlow(v1(), gap, 3))).toMatchObject({ code: 'migration-missing', en: 'no migration from schemaVersion 2 to 3' });
  });
});

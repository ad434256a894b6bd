// Chained migrations of flow documents (Typebot style): a flow saved under an
// older schemaVersion is brought up to FLOW_SCHEMA_VERSION one step at a time,
// so each step only knows two adjacent versions.
import { FLOW_SCHEMA_VERSION } from './flow';
import type { Bilingual } from './plugin';

/**
 * Turns a document of version n into version n + 1 in place, and says whether
 * it changed anything. The runner sets `schemaVersion`, so a step only touches
 * content, and `false` means the document had nothing this step rewrites.
 */
export type FlowMigration = (doc: Record<string, unknown>) => boolean;

/** Steps keyed by the version they migrate from. */
export type FlowMigrationChain = Readonly<Record<number, FlowMigration>>;

// Version 1 is the first published version: nothing to migrate yet. The next
// breaking change adds `1: migrateV1ToV2` here and bumps FLOW_SCHEMA_VERSION.
export const flowMigrations: FlowMigrationChain = {};

export type FlowMigrationErrorCode = 'schema-version-missing' | 'schema-version-newer' | 'migration-missing';

/** A document this code cannot bring to the current version; `message` is the English half of `bilingual`. */
export class FlowMigrationError extends Error {
  readonly code: FlowMigrationErrorCode;
  readonly bilingual: Bilingual;

  constructor(code: FlowMigrationErrorCode, bilingual: Bilingual) {
    super(bilingual.en);
    this.name = 'FlowMigrationError';
    this.code = code;
    this.bilingual = bilingual;
  }
}

export interface MigratedFlow {
  /** The document at the target version; a copy when any step ran, the input itself otherwise. */
  flow: unknown;
  /** The version the document was saved with. */
  from: number;
  /** Whether any step rewrote content (beyond the version number), i.e. whether an analyst should review it. */
  changed: boolean;
}

/**
 * Brings a flow document to `target` (the current version unless a test
 * injects its own chain). The input is never mutated. Throws a
 * FlowMigrationError for a document without a version, from a newer version
 * than this code, or from a version the chain has no step for.
 */
export function migrateFlow(doc: unknown, chain: FlowMigrationChain = flowMigrations, target: number = FLOW_SCHEMA_VERSION): MigratedFlow {
  const from = readSchemaVersion(doc);
  if (from > target) {
    throw new FlowMigrationError('schema-version-newer', {
      zh: `流程的 schemaVersion 为 ${from}，比本系统支持的 ${target} 更新：请升级后再打开`,
      en: `the flow has schemaVersion ${from}, newer than ${target}, which this version supports: upgrade to open it`,
    });
  }
  if (from === target) return { flow: doc, from, changed: false };
  // Flow documents are plain JSON; a JSON copy also works inside the workflow sandbox.
  const flow = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  let changed = false;
  for (let version = from; version < target; version++) {
    changed = runStep(chain, version, flow) || changed;
    flow.schemaVersion = version + 1;
  }
  return { flow, from, changed };
}

function readSchemaVersion(doc: unknown): number {
  const version = isRecord(doc) ? doc.schemaVersion : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new FlowMigrationError('schema-version-missing', {
      zh: '这不是流程文档：缺少正整数 schemaVersion',
      en: 'not a flow document: schemaVersion must be a positive integer',
    });
  }
  return version;
}

function runStep(chain: FlowMigrationChain, version: number, flow: Record<string, unknown>): boolean {
  const step = chain[version];
  if (!step) {
    throw new FlowMigrationError('migration-missing', {
      zh: `没有从 schemaVersion ${version} 迁移到 ${version + 1} 的步骤`,
      en: `no migration from schemaVersion ${version} to ${version + 1}`,
    });
  }
  return step(flow);
}

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

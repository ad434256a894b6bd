// The published JSON Schema of a flow document (GET /api/v1/schemas/flow.json).
// It checks the document's shape only; what the shape means (node types,
// handles, the graph, rules) is rules/validate-flow.ts's job.
import type { ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { ajv } from './ajv';
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from './flow';

export const FLOW_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const id = { type: 'string', pattern: FLOW_ID_PATTERN } as const;

const node = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'typeVersion', 'position', 'parameters'],
  properties: {
    id: { ...id, description: 'Unique among the nodes of the flow; activity ids and timelines carry it' },
    type: { ...id, description: 'The node type (a plugin), e.g. "rules"' },
    typeVersion: { type: 'integer', minimum: 1, description: 'The node type version the node was drawn with' },
    position: {
      type: 'object',
      additionalProperties: false,
      required: ['x', 'y'],
      properties: { x: { type: 'number' }, y: { type: 'number' } },
      description: 'Where the node sits on the canvas; no effect on how the flow runs',
    },
    // Open on purpose: each node type's own parameters schema governs it.
    parameters: { type: 'object', description: "Checked against the node type's parameters schema" },
  },
} as const;

const edge = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'from', 'to'],
  properties: {
    id: { ...id, description: 'Unique among the edges of the flow' },
    from: {
      type: 'object',
      additionalProperties: false,
      required: ['nodeId', 'handle'],
      properties: {
        nodeId: id,
        // Also an id: a rules node's handles are its rules' event types, which rules/check-rules.ts holds to the same pattern.
        handle: { ...id, description: 'The outgoing handle of the source node' },
      },
    },
    to: {
      type: 'object',
      additionalProperties: false,
      required: ['nodeId'],
      properties: { nodeId: id },
    },
  },
} as const;

export const flowSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://huiliu.dev/schemas/flow.json',
  title: 'Huiliu flow (汇流流程)',
  description:
    'An executable conversation flow: nodes (steps of a node type) joined by edges from an outgoing handle to the next node. ' +
    'Editor-only state (viewport, selection) is not part of it.',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'nodes', 'edges'],
  properties: {
    schemaVersion: { const: FLOW_SCHEMA_VERSION, description: 'Older documents are migrated to this version before they are checked' },
    nodes: { type: 'array', items: node },
    edges: { type: 'array', items: edge },
  },
} as const;

// Typed as FlowDefinition through the schema's own type, so the schema and
// rules/flow.ts cannot drift apart without a compile error here.
export const checkFlowSchema: ValidateFunction<FlowDefinition> = ajv.compile<FromSchema<typeof flowSchema>>(flowSchema);

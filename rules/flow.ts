// The executable flow document: what an analyst draws and a conversation runs.
// Editor-only state (viewport, selection) is deliberately not part of it.
import type { RuleProperties } from 'json-rules-engine';

export const FLOW_SCHEMA_VERSION = 1;

export interface FlowNode<P = Record<string, unknown>> {
  id: string;
  type: string;
  typeVersion: number;
  position: { x: number; y: number };
  parameters: P;
}

export interface FlowEdge {
  id: string;
  from: { nodeId: string; handle: string };
  to: { nodeId: string };
}

export interface FlowDefinition {
  schemaVersion: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** A published, immutable flow version, pinned by a conversation when it starts. */
export interface PinnedFlow {
  flowId: string;
  version: number;
  definition: FlowDefinition;
}

export interface RulesNodeParameters {
  rules: RuleProperties[];
  /** Handle taken when no rule fires. */
  defaultHandle: string;
}

export function findNode(flow: FlowDefinition, nodeId: string): FlowNode {
  const node = flow.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`flow has no node "${nodeId}"`);
  return node;
}

export function startNodeId(flow: FlowDefinition): string {
  const start = flow.nodes.find((n) => n.type === 'start');
  if (!start) throw new Error('flow has no start node');
  return start.id;
}

/** The node an outgoing handle leads to, or undefined when the handle is unconnected (the flow ends). */
export function nextNodeId(flow: FlowDefinition, nodeId: string, handle: string): string | undefined {
  return flow.edges.find((e) => e.from.nodeId === nodeId && e.from.handle === handle)?.to.nodeId;
}

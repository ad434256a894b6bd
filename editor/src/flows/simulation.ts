// Turning the simulator's answer into canvas marks, and the panel's inputs
// into its request.
import type { FlowDefinition, SimulatedStep, SimulationInput, SimulationResult } from './api';

/** The last step each node took (a node can run more than once in a loop). */
export function stepsByNode(result: SimulationResult): Map<string, SimulatedStep> {
  return new Map(result.path.map((step) => [step.nodeId, step]));
}

/** The edges the path went along: from each step's handle to the next step's node. */
export function takenEdges(flow: FlowDefinition, result: SimulationResult): Set<string> {
  const taken = new Set<string>();
  result.path.forEach((step, i) => {
    const next = result.path[i + 1];
    if (!next || !step.handle) return;
    const edge = flow.edges.find((e) => e.from.nodeId === step.nodeId && e.from.handle === step.handle && e.to.nodeId === next.nodeId);
    if (edge) taken.add(edge.id);
  });
  return taken;
}

const scalar = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** Contact attributes written as a JSON object or as `key: value` / `key=value` lines (values read as JSON when they are). */
export function parseAttributes(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith('{')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  }
  const entries = trimmed.split('\n').filter((line) => line.trim()).map((line) => {
    const match = /^\s*([^:=]+?)\s*[:=]\s*(.*?)\s*$/.exec(line);
    if (!match) throw new Error(`expected "key: value", got "${line.trim()}"`);
    return [match[1], scalar(match[2])] as const;
  });
  return Object.fromEntries(entries);
}

export interface SimulationForm {
  text: string;
  channel: string;
  contact: string;
  /** A datetime-local value (the browser's time zone), or empty for now. */
  clock: string;
}

export function simulationRequest(form: SimulationForm): SimulationInput {
  const attributes = parseAttributes(form.contact);
  return {
    message: { text: form.text },
    channel: form.channel,
    ...(Object.keys(attributes).length ? { contact: { attributes } } : {}),
    ...(form.clock ? { clock: new Date(form.clock).toISOString() } : {}),
  };
}

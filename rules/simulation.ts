// What the flow simulator takes and returns (activities/simulate.ts runs it).
// Types only, shared with the editor, which shows the path on the canvas.
import type { RulesOutcome } from './evaluate';
import type { Bilingual } from './plugin';

export interface SimulationInput {
  message: { text: string };
  channel: string;
  inboxId?: string;
  contact?: { attributes?: Record<string, unknown>; tags?: string[]; vip?: boolean; segments?: string[] };
  /** ISO time the simulated message arrives at; defaults to now. */
  clock?: string;
  language?: 'zh' | 'en';
}

export interface SimulatedStep {
  nodeId: string;
  type: string;
  handle?: string;
  note?: Bilingual;
  rules?: RulesOutcome;
  sent?: string;
}

export type StopReason = 'waiting' | 'queued' | 'closed' | 'step-limit' | 'error';

export interface SimulationResult {
  path: SimulatedStep[];
  /** The facts as the last step saw them. */
  facts: Record<string, unknown>;
  replies: string[];
  /** Where it stopped: waiting for the customer, queued for an agent, closed, the step limit, or an error. */
  stoppedAt: { nodeId?: string; reason: StopReason; message?: Bilingual };
}

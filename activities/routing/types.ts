// The routing vocabulary shared by the pure routing modules (expression,
// strategies, learning, estimate, simulator). Nothing here does I/O: the
// caller loads agents and history from the database and passes them in.

export type Presence = 'online' | 'away' | 'offline';

export interface AgentProfile {
  id: string;
  skills: { name: string; level: number }[]; // level 1..5
  languages: string[]; // e.g. ['zh', 'en']
  channels: string[]; // channels served; empty = every channel
  capacity: Record<string, number>; // per channel, e.g. { webchat: 5, voice: 1, default: 3 }; a channel not listed uses `default` (0 when absent)
  teams: string[];
  presence: Presence;
  load: Record<string, number>; // conversations held now, per channel
  lastAssignedAt?: number; // epoch ms
  lastIdleSince?: number; // epoch ms since which they have had nothing to do (for longest idle); undefined = busy
}

export const STRATEGIES = ['round-robin', 'least-busy', 'longest-idle', 'best-skill', 'sticky', 'named', 'learned'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export interface RoutingRequest {
  channel: string;
  language: string;
  /** Eligibility: a requirement expression (see expression.ts), or undefined = anyone. */
  requirement?: string;
  /** The conversation's intent or skill, for best-skill and learned. */
  skill?: string;
  strategy: StrategyName;
  /** named: the agent from the flow or the contact's owner. sticky: the customer's last agent (with lastAgentAt). */
  namedAgentId?: string;
  lastAgentId?: string;
  lastAgentAt?: number;
  stickyWindowMs?: number; // default 7 days
  /** Agents who declined or let an offer time out: never offered again for this conversation. */
  excluded?: string[];
}

export interface RankedAgent {
  agentId: string;
  /** Higher is better within one ranking; its unit depends on the strategy (see strategies.ts). */
  score: number;
  why: { en: string; zh: string };
  scores: Record<string, number>;
}

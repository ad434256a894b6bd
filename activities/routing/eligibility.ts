// Who may be offered a conversation at all, before any strategy orders them.
// Language is enforced only through the requirement expression (languages has
// 'zh'), not from request.language: a queue that does not ask for a language
// accepts everyone, and there is a single rule for admins to reason about.
import { matches, parseRequirement, type Requirement } from './expression';
import type { AgentProfile, RoutingRequest } from './types';

/** Seats on a channel: the channel's own capacity, else `default`, else 0. */
export function capacityFor(agent: AgentProfile, channel: string): number {
  return agent.capacity[channel] ?? agent.capacity.default ?? 0;
}

export function loadOn(agent: AgentProfile, channel: string): number {
  return agent.load[channel] ?? 0;
}

/** Share of the channel's seats in use, 0..1 (1 when the agent has no seat there). */
export function utilization(agent: AgentProfile, channel: string): number {
  const capacity = capacityFor(agent, channel);
  return capacity > 0 ? Math.min(1, loadOn(agent, channel) / capacity) : 1;
}

/** Parses the request's requirement; an invalid one is a configuration error, reported as such. */
export function requirementOf(request: Pick<RoutingRequest, 'requirement'>): Requirement | undefined {
  if (request.requirement === undefined || request.requirement.trim() === '') return undefined;
  const parsed = parseRequirement(request.requirement);
  if (!parsed.ok) throw new Error(`invalid routing requirement "${request.requirement}": ${parsed.error}`);
  return parsed.ast;
}

/**
 * Agents who could serve this conversation once a seat is free: online, not
 * excluded, serving the channel, matching the requirement. Seats are not
 * checked, so this is also the "agents serving the queue" of the wait estimate.
 */
export function servingAgents(request: RoutingRequest, agents: readonly AgentProfile[], requirement = requirementOf(request)): AgentProfile[] {
  const excluded = new Set(request.excluded ?? []);
  return agents.filter((agent) =>
    agent.presence === 'online'
    && !excluded.has(agent.id)
    && (agent.channels.length === 0 || agent.channels.includes(request.channel))
    && (requirement === undefined || matches(requirement, agent)));
}

/** Agents who can take this conversation now: serving it and with a free seat on its channel. */
export function eligibleAgents(request: RoutingRequest, agents: readonly AgentProfile[], requirement = requirementOf(request)): AgentProfile[] {
  return servingAgents(request, agents, requirement).filter((agent) => loadOn(agent, request.channel) < capacityFor(agent, request.channel));
}

/** Whether the agent meets the request's requirement alone (skills, languages, …), whatever the channel and seats. */
export function meetsRequirement(request: Pick<RoutingRequest, 'requirement'>, agent: AgentProfile): boolean {
  const requirement = requirementOf(request);
  return requirement === undefined || matches(requirement, agent);
}

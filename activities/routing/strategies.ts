// Ranking the eligible agents for one conversation, best first. Each strategy
// turns an agent into a sort key (compared left to right, lower first) plus
// the score, figures and bilingual reason shown as "why this agent" to agents
// and supervisors. Ties always end on the agent id (plain code-unit order, not
// locale order) so the same inputs give the same ranking on every worker.
import { requiredSkills, skillLevel, type Requirement } from './expression';
import { capacityFor, eligibleAgents, loadOn, requirementOf, utilization } from './eligibility';
import { EMPTY_MODEL, explorationBonus, predict, type LearnedModel } from './learning';
import type { AgentProfile, RankedAgent, RoutingRequest, StrategyName } from './types';

/**
 * learned: score = predicted outcome + exploration bonus − LOAD_WEIGHT × utilization.
 * Outcomes live in [0, 1]; 0.25 means a full agent pays a quarter of the outcome
 * scale, so a strong agent (0.85) at 80% load scores 0.65 and loses to a good
 * idle one (0.70): quality wins ties of load, load wins small quality gaps.
 */
export const LOAD_WEIGHT = 0.25;
export const DEFAULT_STICKY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Aging never adds more than this, so waiting alone cannot outrank a much more urgent conversation. */
export const MAX_AGING = 10;

export interface RankingContext {
  now: number;
  /** round-robin: the agent assigned last in this queue. */
  roundRobinAfter?: string;
  /** learned: the model from learning.ts; without one every agent predicts the same and load decides. */
  model?: LearnedModel;
}

interface Candidate extends RankedAgent {
  order: number[];
}

type Ranker = (agents: AgentProfile[], request: RoutingRequest, ctx: RankingContext, requirement: Requirement | undefined) => Candidate[];

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const percent = (share: number) => Math.round(share * 100);
/** Never assigned sorts as the least recently assigned. */
const lastAssigned = (agent: AgentProfile) => agent.lastAssignedAt ?? Number.NEGATIVE_INFINITY;

function compareOrder(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.order.length; i++) {
    if (a.order[i] < b.order[i]) return -1;
    if (a.order[i] > b.order[i]) return 1;
  }
  return byId(a.agentId, b.agentId);
}

function ago(ms: number): { en: string; zh: string } {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return { en: 'just now', zh: '刚刚' };
  if (minutes < 60) return { en: `${minutes} min ago`, zh: `${minutes} 分钟前` };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { en: `${hours} h ago`, zh: `${hours} 小时前` };
  return { en: `${Math.floor(hours / 24)} days ago`, zh: `${Math.floor(hours / 24)} 天前` };
}

/** The least-busy ranking of one agent: also the fallback order of best-skill, sticky and named. */
function leastBusy(agent: AgentProfile, channel: string): Candidate {
  const load = loadOn(agent, channel);
  const capacity = capacityFor(agent, channel);
  const share = utilization(agent, channel);
  return {
    agentId: agent.id,
    order: [share, lastAssigned(agent)],
    score: 1 - share,
    scores: { utilization: share, load, capacity },
    why: { en: `least busy: ${load} of ${capacity} seats used`, zh: `最空闲：${capacity} 个席位已用 ${load} 个` },
  };
}

const roundRobin: Ranker = (agents, _request, ctx) => {
  const ids = agents.map((a) => a.id).sort(byId);
  const after = ctx.roundRobinAfter;
  // The first id after the last assigned one, even if that agent has since left the queue.
  const found = after === undefined ? 0 : ids.findIndex((id) => id > after);
  const start = found < 0 ? 0 : found;
  return ids.map((agentId, i) => {
    const turn = ((i - start + ids.length) % ids.length) + 1;
    const why = after === undefined
      ? { en: `round robin: turn ${turn} of ${ids.length}`, zh: `轮询：第 ${turn} 位（共 ${ids.length} 位）` }
      : { en: `round robin: turn ${turn} of ${ids.length} after ${after}`, zh: `轮询：${after} 之后第 ${turn} 位（共 ${ids.length} 位）` };
    return { agentId, order: [turn], score: (ids.length - turn + 1) / ids.length, scores: { turn, agents: ids.length }, why };
  });
};

const leastBusyRanker: Ranker = (agents, request) => agents.map((agent) => leastBusy(agent, request.channel));

const longestIdle: Ranker = (agents, request, ctx) => agents.map((agent) => {
  if (agent.lastIdleSince === undefined) {
    const busy = leastBusy(agent, request.channel);
    return {
      ...busy,
      order: [1, ...busy.order],
      score: -busy.scores.utilization,
      why: { en: `longest idle: busy, ${busy.scores.load} of ${busy.scores.capacity} seats used`, zh: `空闲最久：忙碌中，${busy.scores.capacity} 个席位已用 ${busy.scores.load} 个` },
    };
  }
  const idleMs = Math.max(0, ctx.now - agent.lastIdleSince);
  const since = ago(idleMs);
  return {
    agentId: agent.id,
    order: [0, agent.lastIdleSince, lastAssigned(agent)],
    score: idleMs / 1000,
    scores: { idleSeconds: idleMs / 1000 },
    why: { en: `longest idle: idle since ${since.en}`, zh: `空闲最久：${since.zh}开始空闲` },
  };
});

const bestSkill: Ranker = (agents, request, _ctx, requirement) => {
  const fromRequirement = requirement === undefined ? [] : requiredSkills(requirement);
  const skills = fromRequirement.length > 0 ? fromRequirement : request.skill !== undefined ? [request.skill] : [];
  return agents.map((agent) => {
    const busy = leastBusy(agent, request.channel);
    if (skills.length === 0) {
      return { ...busy, why: { en: `best skill: no skill to compare; ${busy.why.en}`, zh: `技能最佳：无可比较的技能；${busy.why.zh}` } };
    }
    const levels = skills.map((skill) => ({ skill, level: skillLevel(agent, skill) }));
    const total = levels.reduce((sum, l) => sum + l.level, 0);
    return {
      agentId: agent.id,
      order: [-total, ...busy.order],
      score: total,
      scores: { levelSum: total, ...Object.fromEntries(levels.map((l) => [`level:${l.skill}`, l.level])), utilization: busy.scores.utilization },
      why: {
        en: `best skill: levels ${levels.map((l) => `${l.skill} ${l.level}`).join(', ')} (total ${total}); ${busy.why.en}`,
        zh: `技能最佳：${levels.map((l) => `${l.skill} ${l.level} 级`).join('、')}（合计 ${total} 级）；${busy.why.zh}`,
      },
    };
  });
};

/** The preferred agent first (score bonus 1 over the least-busy score), everyone else least busy. */
function preferring(preferredId: string | undefined, reason: { en: string; zh: string }): Ranker {
  return (agents, request) => agents.map((agent) => {
    const busy = leastBusy(agent, request.channel);
    if (agent.id !== preferredId) return { ...busy, order: [1, ...busy.order] };
    return { ...busy, order: [0, ...busy.order], score: 1 + busy.score, scores: { ...busy.scores, preferred: 1 }, why: reason };
  });
}

const sticky: Ranker = (agents, request, ctx, requirement) => {
  const window = request.stickyWindowMs ?? DEFAULT_STICKY_WINDOW_MS;
  const since = request.lastAgentAt === undefined ? undefined : ctx.now - request.lastAgentAt;
  const fresh = since !== undefined && since <= window;
  const when = ago(since ?? 0);
  const reason = { en: `sticky: served this customer ${when.en}`, zh: `粘性分配：${when.zh}服务过该客户` };
  return preferring(fresh ? request.lastAgentId : undefined, reason)(agents, request, ctx, requirement);
};

const named: Ranker = (agents, request, ctx, requirement) => {
  const reason = { en: "named: chosen by the flow or the contact's owner", zh: '指定坐席：流程指定或联系人的负责人' };
  return preferring(request.namedAgentId, reason)(agents, request, ctx, requirement);
};

const learned: Ranker = (agents, request, ctx, requirement) => {
  const model = ctx.model ?? EMPTY_MODEL;
  // Without an explicit skill, the first one the queue asks for stands for the conversation.
  const skill = request.skill ?? (requirement === undefined ? undefined : requiredSkills(requirement)[0]) ?? '';
  return agents.map((agent) => {
    const { outcome, n } = predict(model, agent.id, skill);
    const bonus = explorationBonus(n);
    const share = utilization(agent, request.channel);
    const score = outcome + bonus - LOAD_WEIGHT * share;
    const topic = skill === '' ? '' : ` on ${skill}`;
    return {
      agentId: agent.id,
      order: [-score, lastAssigned(agent)],
      score,
      scores: { predicted: outcome, conversations: n, explorationBonus: bonus, utilization: share, loadWeight: LOAD_WEIGHT },
      why: {
        en: `learned: predicted outcome ${outcome.toFixed(2)}${topic} from ${n} conversations, ${percent(share)}% load`,
        zh: `学习推荐：${skill === '' ? '' : `${skill} `}预测结果 ${outcome.toFixed(2)}（基于 ${n} 次会话），负载 ${percent(share)}%`,
      },
    };
  });
};

const RANKERS: Record<StrategyName, Ranker> = {
  'round-robin': roundRobin,
  'least-busy': leastBusyRanker,
  'longest-idle': longestIdle,
  'best-skill': bestSkill,
  sticky,
  named,
  learned,
};

/** The agents who can take the conversation now, best first; empty when nobody can. */
export function rankAgents(request: RoutingRequest, agents: readonly AgentProfile[], ctx: RankingContext): RankedAgent[] {
  const requirement = requirementOf(request);
  const eligible = eligibleAgents(request, agents, requirement);
  return RANKERS[request.strategy](eligible, request, ctx, requirement)
    .sort(compareOrder)
    .map(({ agentId, score, why, scores }) => ({ agentId, score, why, scores }));
}

/**
 * A queued conversation's priority aged by its wait: + agingPerMinute for each
 * minute waited (continuously, so order changes smoothly), capped at
 * MAX_AGING, so a long-waiting normal conversation eventually overtakes newer
 * ones a few points more urgent, but never one more than MAX_AGING above it.
 */
export function agedPriority(priority: number, waitedMs: number, agingPerMinute = 1): number {
  return priority + Math.min(MAX_AGING, (Math.max(0, waitedMs) / 60_000) * agingPerMinute);
}

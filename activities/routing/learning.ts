// Learning from history how well each agent does on each skill, for the
// `learned` strategy. The model is plain JSON so the caller can store it.
//
// Outcome of one closed conversation, in [0, 1]:
//   0.5 × CSAT scaled to [0, 1] ((csat − 1) / 4)
// + 0.3 × resolved (1 or 0)
// + 0.2 × speed, where speed = median / (median + handle seconds): 0.5 at the
//         median handle time of the conversation's skill on its channel (voice
//         and chat durations are not comparable), towards 1 when faster and
//         towards 0 when slower, never dominating the other two.
// Without CSAT (most customers skip the survey) the other two weights are
// scaled up to keep their 3:2 ratio, so the outcome stays in [0, 1].
//
// Per agent × skill, the prediction is a Bayesian average: the agent's mean
// outcome smoothed toward the skill's mean as if the agent had PRIOR_WEIGHT
// extra conversations at that mean, so a new agent predicts the skill mean
// instead of 0 (not starved), and one lucky conversation does not make a star.
// The learned strategy adds an exploration bonus that shrinks with evidence,
// EXPLORATION_WEIGHT / √(1 + n), so new agents get conversations to learn from.
import { median } from './stats';

export interface ClosedConversation {
  agentId: string;
  skill: string;
  channel: string;
  handleSeconds: number;
  resolved: boolean;
  csat?: number; // 1..5
  closedAt: number;
}

export interface LearnedModel {
  version: 1;
  priorWeight: number;
  /** Mean outcome over all history: the prediction for a skill never seen. */
  globalMean: number;
  skills: Record<string, { mean: number; n: number }>;
  /** agents[agentId][skill]: the agent's raw mean outcome and count. */
  agents: Record<string, Record<string, { mean: number; n: number }>>;
}

export const OUTCOME_WEIGHTS = { csat: 0.5, resolved: 0.3, speed: 0.2 } as const;
export const DEFAULT_PRIOR_WEIGHT = 5;
export const EXPLORATION_WEIGHT = 0.1;
/** The prediction with no history at all: neither good nor bad. */
const NEUTRAL_OUTCOME = 0.5;

export function conversationOutcome(conversation: ClosedConversation, medianHandleSeconds: number): number {
  const total = medianHandleSeconds + Math.max(0, conversation.handleSeconds);
  const speed = total > 0 ? medianHandleSeconds / total : 0.5;
  const resolved = conversation.resolved ? 1 : 0;
  if (conversation.csat === undefined) {
    const weight = OUTCOME_WEIGHTS.resolved + OUTCOME_WEIGHTS.speed;
    return (OUTCOME_WEIGHTS.resolved * resolved + OUTCOME_WEIGHTS.speed * speed) / weight;
  }
  const csat = (Math.min(5, Math.max(1, conversation.csat)) - 1) / 4;
  return OUTCOME_WEIGHTS.csat * csat + OUTCOME_WEIGHTS.resolved * resolved + OUTCOME_WEIGHTS.speed * speed;
}

/** Running sums keyed by name, turned into plain JSON records (Object.fromEntries: safe for any key). */
class Means {
  private readonly sums = new Map<string, { total: number; n: number }>();
  add(key: string, value: number) {
    const entry = this.sums.get(key) ?? { total: 0, n: 0 };
    entry.total += value;
    entry.n += 1;
    this.sums.set(key, entry);
  }
  toRecord(): Record<string, { mean: number; n: number }> {
    return Object.fromEntries([...this.sums].map(([key, { total, n }]) => [key, { mean: total / n, n }]));
  }
}

export function learnModel(history: readonly ClosedConversation[], opts: { priorWeight?: number } = {}): LearnedModel {
  const handleTimes = new Map<string, number[]>();
  const queueOf = (c: ClosedConversation) => `${c.skill}\u0000${c.channel}`;
  for (const c of history) {
    const times = handleTimes.get(queueOf(c)) ?? [];
    times.push(c.handleSeconds);
    handleTimes.set(queueOf(c), times);
  }
  const medians = new Map([...handleTimes].map(([queue, times]) => [queue, median(times)]));

  const skills = new Means();
  const agents = new Map<string, Means>();
  let total = 0;
  for (const c of history) {
    const outcome = conversationOutcome(c, medians.get(queueOf(c)) ?? 0);
    total += outcome;
    skills.add(c.skill, outcome);
    const agent = agents.get(c.agentId) ?? new Means();
    agent.add(c.skill, outcome);
    agents.set(c.agentId, agent);
  }
  return {
    version: 1,
    priorWeight: opts.priorWeight ?? DEFAULT_PRIOR_WEIGHT,
    globalMean: history.length > 0 ? total / history.length : NEUTRAL_OUTCOME,
    skills: skills.toRecord(),
    agents: Object.fromEntries([...agents].map(([id, means]) => [id, means.toRecord()])),
  };
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

/** The smoothed outcome expected from this agent on this skill, and how many conversations it rests on. */
export function predict(model: LearnedModel, agentId: string, skill: string): { outcome: number; n: number } {
  const prior = own(model.skills, skill)?.mean ?? model.globalMean;
  const seen = own(own(model.agents, agentId), skill);
  if (seen === undefined) return { outcome: prior, n: 0 };
  const k = model.priorWeight;
  return { outcome: (seen.n * seen.mean + k * prior) / (seen.n + k), n: seen.n };
}

export function explorationBonus(n: number): number {
  return EXPLORATION_WEIGHT / Math.sqrt(1 + n);
}

/** A model learned from nothing: every agent predicts the neutral outcome, so `learned` ranks by load. */
export const EMPTY_MODEL: LearnedModel = learnModel([]);

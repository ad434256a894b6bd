import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIOR_WEIGHT, EMPTY_MODEL, conversationOutcome, learnModel, predict, type ClosedConversation, type LearnedModel } from './learning';
import { Random } from './random';
import { LOAD_WEIGHT, rankAgents } from './strategies';
import type { AgentProfile, RoutingRequest } from './types';

const closed = (patch: Partial<ClosedConversation> = {}): ClosedConversation => ({
  agentId: 'a', skill: 'refund', channel: 'webchat', handleSeconds: 300, resolved: true, closedAt: 0, ...patch,
});

const agent = (id: string, load = 0): AgentProfile => ({
  id, skills: [{ name: 'refund', level: 3 }], languages: ['zh'], channels: [], capacity: { webchat: 5 }, teams: [], presence: 'online', load: { webchat: load },
});
const learnedRequest: RoutingRequest = { channel: 'webchat', language: 'zh', skill: 'refund', strategy: 'learned' };

describe('conversationOutcome', () => {
  it('weighs CSAT 0.5, resolution 0.3 and speed 0.2, speed being 0.5 at the median', () => {
    expect(conversationOutcome(closed({ csat: 5 }), 300)).toBeCloseTo(0.5 + 0.3 + 0.1);
    expect(conversationOutcome(closed({ csat: 1, resolved: false, handleSeconds: 900 }), 300)).toBeCloseTo(0.2 * 0.25);
    expect(conversationOutcome(closed({ csat: 3, handleSeconds: 0 }), 300)).toBeCloseTo(0.25 + 0.3 + 0.2);
  });
  it('rescales resolution and speed when there is no CSAT', () => {
    expect(conversationOutcome(closed(), 300)).toBeCloseTo((0.3 + 0.1) / 0.5);
    expect(conversationOutcome(closed({ resolved: false }), 300)).toBeCloseTo(0.1 / 0.5);
  });
});

describe('learnModel and predict', () => {
  const history = [
    ...Array.from({ length: 10 }, () => closed({ agentId: 'good', csat: 5 })),
    ...Array.from({ length: 10 }, () => closed({ agentId: 'poor', csat: 1, resolved: false })),
  ];
  const model = learnModel(history);

  it("gives a new agent the skill's mean, and an unknown skill the overall mean", () => {
    expect(predict(model, 'new', 'refund')).toEqual({ outcome: model.skills.refund.mean, n: 0 });
    expect(predict(model, 'good', 'billing')).toEqual({ outcome: model.globalMean, n: 0 });
    expect(predict(EMPTY_MODEL, 'anyone', 'refund')).toEqual({ outcome: 0.5, n: 0 });
  });

  it('smooths toward the skill mean with the prior weight', () => {
    const raw = model.agents.good.refund.mean;
    const skillMean = model.skills.refund.mean;
    expect(predict(model, 'good', 'refund')).toEqual({ outcome: (10 * raw + DEFAULT_PRIOR_WEIGHT * skillMean) / (10 + DEFAULT_PRIOR_WEIGHT), n: 10 });
    const lucky = learnModel([...history, closed({ agentId: 'lucky', csat: 5, handleSeconds: 1 })]);
    expect(predict(lucky, 'lucky', 'refund').outcome).toBeLessThan(predict(lucky, 'good', 'refund').outcome);
  });

  it('is plain JSON, safe for any agent id', () => {
    const odd = learnModel([closed({ agentId: '__proto__', csat: 4 }), closed({ agentId: 'constructor', csat: 2 })]);
    const stored = JSON.parse(JSON.stringify(odd)) as LearnedModel;
    expect(stored).toEqual(odd);
    expect(predict(stored, '__proto__', 'refund')).toEqual(predict(odd, '__proto__', 'refund'));
    expect(predict(stored, '__proto__', 'refund').n).toBe(1);
    expect(predict(stored, 'toString', 'refund').n).toBe(0);
  });
});

describe('learned routing', () => {
  it('ranks the strong agent first on a seeded history', () => {
    const quality: Record<string, number> = { ana: 0.5, bo: 0.85, cy: 0.4, dee: 0.6 };
    const random = new Random(7);
    const history = Array.from({ length: 400 }, (_, i): ClosedConversation => {
      const agentId = Object.keys(quality)[i % 4];
      const q = quality[agentId];
      return closed({
        agentId,
        resolved: random.chance(q),
        handleSeconds: 300 * (1.4 - q) * Math.exp(0.3 * random.normal()),
        ...(random.chance(0.4) ? { csat: Math.max(1, Math.min(5, Math.round(1 + 4 * q + random.normal()))) } : {}),
      });
    });
    const ranked = rankAgents(learnedRequest, ['ana', 'bo', 'cy', 'dee'].map((id) => agent(id)), { now: 0, model: learnModel(history) });
    expect(ranked.map((r) => r.agentId)).toEqual(['bo', 'dee', 'ana', 'cy']);
    expect(ranked[0].why.en).toMatch(/^learned: predicted outcome 0\.\d\d on refund from 100 conversations, 0% load$/);
  });

  it('weighs load: a strong agent at 80% load loses to a good idle one', () => {
    const model: LearnedModel = {
      version: 1, priorWeight: 5, globalMean: 0.6,
      skills: { refund: { mean: 0.6, n: 2000 } },
      agents: { strong: { refund: { mean: 0.85, n: 1000 } }, good: { refund: { mean: 0.7, n: 1000 } } },
    };
    expect(rankAgents(learnedRequest, [agent('strong', 0), agent('good', 0)], { now: 0, model }).map((r) => r.agentId)).toEqual(['strong', 'good']);
    const loaded = rankAgents(learnedRequest, [agent('strong', 4), agent('good', 0)], { now: 0, model });
    expect(loaded.map((r) => r.agentId)).toEqual(['good', 'strong']);
    const strong = loaded[1];
    expect(strong.score).toBeCloseTo(strong.scores.predicted + strong.scores.explorationBonus - LOAD_WEIGHT * 0.8);
  });

  it('gives new agents an exploration bonus that shrinks with experience', () => {
    const model = learnModel(Array.from({ length: 50 }, () => closed({ agentId: 'veteran', csat: 3 })));
    const [first, second] = rankAgents(learnedRequest, [agent('veteran'), agent('newcomer')], { now: 0, model });
    expect(first.agentId).toBe('newcomer');
    expect(first.scores.predicted).toBeCloseTo(second.scores.predicted);
    expect(first.scores.explorationBonus).toBeGreaterThan(second.scores.explorationBonus);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_STICKY_WINDOW_MS, MAX_AGING, agedPriority, rankAgents } from './strategies';
import type { AgentProfile, RoutingRequest } from './types';

const NOW = Date.UTC(2025, 0, 6, 10);
const MINUTE = 60_000;

const agent = (id: string, patch: Partial<AgentProfile> = {}): AgentProfile => ({
  id,
  skills: [],
  languages: ['zh'],
  channels: [],
  capacity: { webchat: 4, voice: 1, default: 2 },
  teams: [],
  presence: 'online',
  load: {},
  ...patch,
});

const request = (patch: Partial<RoutingRequest> = {}): RoutingRequest => ({ channel: 'webchat', language: 'zh', strategy: 'least-busy', ...patch });
const ids = (req: RoutingRequest, agents: AgentProfile[], ctx: Parameters<typeof rankAgents>[2] = { now: NOW }) =>
  rankAgents(req, agents, ctx).map((r) => r.agentId);

describe('eligibility', () => {
  it('offers only online agents', () => {
    const agents = [agent('a'), agent('b', { presence: 'away' }), agent('c', { presence: 'offline' })];
    expect(ids(request(), agents)).toEqual(['a']);
  });

  it('needs a free seat on the conversation channel, falling back to the default capacity', () => {
    const agents = [
      agent('full-voice', { load: { voice: 1, webchat: 3 } }),
      agent('full-webchat', { load: { webchat: 4 } }),
      agent('default-seats', { load: { wechat: 1 } }),
      agent('default-full', { load: { wechat: 2 } }),
      agent('no-default', { capacity: { webchat: 2 } }),
    ];
    expect(ids(request({ channel: 'voice' }), agents).sort()).toEqual(['default-full', 'default-seats', 'full-webchat']);
    expect(ids(request({ channel: 'webchat' }), agents).sort()).toEqual(['default-full', 'default-seats', 'full-voice', 'no-default']);
    expect(ids(request({ channel: 'wechat' }), agents).sort()).toEqual(['default-seats', 'full-voice', 'full-webchat']);
  });

  it('respects the channels an agent serves (none listed = all) and the excluded agents', () => {
    const agents = [agent('all'), agent('chat-only', { channels: ['webchat', 'wechat'] }), agent('declined')];
    expect(ids(request({ channel: 'voice' }), agents)).toEqual(['all', 'declined']);
    expect(ids(request({ excluded: ['declined'] }), agents)).toEqual(['all', 'chat-only']);
  });

  it('filters by the requirement, and enforces language only through it', () => {
    const agents = [
      agent('zh-refund', { skills: [{ name: 'refund', level: 3 }] }),
      agent('en-refund', { skills: [{ name: 'refund', level: 5 }], languages: ['en'] }),
      agent('zh-billing', { skills: [{ name: 'billing', level: 5 }] }),
    ];
    expect(ids(request({ requirement: "skills has 'refund' and languages has 'zh'" }), agents)).toEqual(['zh-refund']);
    expect(ids(request({ language: 'zh' }), agents)).toEqual(['en-refund', 'zh-billing', 'zh-refund']);
    expect(ids(request({ requirement: '   ' }), agents)).toHaveLength(3);
  });

  it('reports an invalid requirement as a configuration error', () => {
    expect(() => rankAgents(request({ requirement: 'skills has refund' }), [agent('a')], { now: NOW }))
      .toThrow(`invalid routing requirement "skills has refund": expected a quoted skill name after 'has' at 11`);
  });
});

describe('round-robin', () => {
  const agents = [agent('d'), agent('b'), agent('a'), agent('c')];
  it('starts after the agent assigned last, in id order, wrapping', () => {
    expect(ids(request({ strategy: 'round-robin' }), agents, { now: NOW, roundRobinAfter: 'b' })).toEqual(['c', 'd', 'a', 'b']);
    expect(ids(request({ strategy: 'round-robin' }), agents, { now: NOW, roundRobinAfter: 'd' })).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(request({ strategy: 'round-robin' }), agents, { now: NOW })).toEqual(['a', 'b', 'c', 'd']);
  });
  it('continues after an agent who has left the queue', () => {
    const [first] = rankAgents(request({ strategy: 'round-robin' }), agents, { now: NOW, roundRobinAfter: 'bb' });
    expect(first).toMatchObject({ agentId: 'c', scores: { turn: 1, agents: 4 } });
    expect(first.why).toEqual({ en: 'round robin: turn 1 of 4 after bb', zh: '轮询：bb 之后第 1 位（共 4 位）' });
  });
});

describe('least-busy', () => {
  it('orders by utilization on the channel, then least recently assigned, then id', () => {
    const agents = [
      agent('half', { load: { webchat: 2 } }), // 2 of 4
      agent('quarter-recent', { load: { webchat: 1 }, lastAssignedAt: NOW - MINUTE }),
      agent('quarter-earlier', { load: { webchat: 1 }, lastAssignedAt: NOW - 10 * MINUTE }),
      agent('idle-b', { load: { voice: 1 } }), // busy elsewhere: free on webchat
      agent('idle-a'),
    ];
    const ranked = rankAgents(request(), agents, { now: NOW });
    expect(ranked.map((r) => r.agentId)).toEqual(['idle-a', 'idle-b', 'quarter-earlier', 'quarter-recent', 'half']);
    expect(ranked[4]).toMatchObject({ score: 0.5, scores: { utilization: 0.5, load: 2, capacity: 4 } });
    expect(ranked[2].why).toEqual({ en: 'least busy: 1 of 4 seats used', zh: '最空闲：4 个席位已用 1 个' });
  });

  it('ranks the same whatever the input order', () => {
    const agents = ['e', 'c', 'a', 'd', 'b'].map((id) => agent(id));
    expect(ids(request(), agents)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(request(), [...agents].reverse())).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('longest-idle', () => {
  it('puts the earliest idle first and busy agents after, by utilization', () => {
    const agents = [
      agent('busy-more', { load: { webchat: 3 } }),
      agent('busy-less', { load: { webchat: 1 } }),
      agent('idle-recent', { lastIdleSince: NOW - 2 * MINUTE }),
      agent('idle-long', { lastIdleSince: NOW - 30 * MINUTE }),
    ];
    const ranked = rankAgents(request({ strategy: 'longest-idle' }), agents, { now: NOW });
    expect(ranked.map((r) => r.agentId)).toEqual(['idle-long', 'idle-recent', 'busy-less', 'busy-more']);
    expect(ranked[0]).toMatchObject({ score: 1800, why: { en: 'longest idle: idle since 30 min ago', zh: '空闲最久：30 分钟前开始空闲' } });
    expect(ranked[2].why.en).toBe('longest idle: busy, 1 of 4 seats used');
  });
});

describe('best-skill', () => {
  const agents = [
    agent('refund5', { skills: [{ name: 'refund', level: 5 }, { name: 'billing', level: 1 }] }),
    agent('both3', { skills: [{ name: 'refund', level: 3 }, { name: 'billing', level: 4 }] }),
    agent('refund3-busy', { skills: [{ name: 'refund', level: 3 }, { name: 'billing', level: 4 }], load: { webchat: 2 } }),
  ];
  it("sums the levels of the requirement's skills, then least busy", () => {
    const ranked = rankAgents(request({ strategy: 'best-skill', requirement: "skills has 'refund' and skills.billing >= 1" }), agents, { now: NOW });
    expect(ranked.map((r) => r.agentId)).toEqual(['both3', 'refund3-busy', 'refund5']);
    expect(ranked[0].scores).toMatchObject({ levelSum: 7, 'level:refund': 3, 'level:billing': 4 });
    expect(ranked[0].why.en).toBe('best skill: levels refund 3, billing 4 (total 7); least busy: 0 of 4 seats used');
    expect(ranked[0].why.zh).toBe('技能最佳：refund 3 级、billing 4 级（合计 7 级）；最空闲：4 个席位已用 0 个');
  });
  it("uses the conversation's skill when the requirement names none", () => {
    expect(ids(request({ strategy: 'best-skill', skill: 'refund' }), agents)).toEqual(['refund5', 'both3', 'refund3-busy']);
    expect(ids(request({ strategy: 'best-skill' }), agents)).toEqual(['both3', 'refund5', 'refund3-busy']);
  });
});

describe('sticky and named', () => {
  const agents = [agent('a'), agent('b', { load: { webchat: 3 } }), agent('c', { load: { webchat: 1 } })];
  it("puts the customer's last agent first within the window, else least busy", () => {
    const sticky = (lastAgentAt: number, extra: Partial<RoutingRequest> = {}) =>
      rankAgents(request({ strategy: 'sticky', lastAgentId: 'b', lastAgentAt, ...extra }), agents, { now: NOW });
    const fresh = sticky(NOW - 2 * 24 * 60 * MINUTE);
    expect(fresh.map((r) => r.agentId)).toEqual(['b', 'a', 'c']);
    expect(fresh[0].why).toEqual({ en: 'sticky: served this customer 2 days ago', zh: '粘性分配：2 天前服务过该客户' });
    expect(sticky(NOW - DEFAULT_STICKY_WINDOW_MS - 1).map((r) => r.agentId)).toEqual(['a', 'c', 'b']);
    expect(sticky(NOW - 2 * 60 * MINUTE, { stickyWindowMs: 60 * MINUTE }).map((r) => r.agentId)).toEqual(['a', 'c', 'b']);
    expect(sticky(NOW - MINUTE, { excluded: ['b'] }).map((r) => r.agentId)).toEqual(['a', 'c']);
  });
  it('puts the named agent first when eligible, else least busy', () => {
    const ranked = rankAgents(request({ strategy: 'named', namedAgentId: 'c' }), agents, { now: NOW });
    expect(ranked.map((r) => r.agentId)).toEqual(['c', 'a', 'b']);
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
    const full = [agent('a'), agent('c', { load: { webchat: 4 } })];
    expect(ids(request({ strategy: 'named', namedAgentId: 'c' }), full)).toEqual(['a']);
  });
});

describe('learned without a model', () => {
  it('falls back to load: every agent predicts the same', () => {
    const agents = [agent('a', { load: { webchat: 2 } }), agent('b')];
    expect(ids(request({ strategy: 'learned', skill: 'refund' }), agents)).toEqual(['b', 'a']);
  });
});

describe('agedPriority', () => {
  it('adds a point per minute waited, up to the cap', () => {
    expect(agedPriority(3, 0)).toBe(3);
    expect(agedPriority(3, -MINUTE)).toBe(3);
    expect(agedPriority(3, 5 * MINUTE)).toBe(8);
    expect(agedPriority(3, 90_000)).toBe(4.5);
    expect(agedPriority(3, 5 * MINUTE, 2)).toBe(13);
    expect(agedPriority(3, 10 * 60 * MINUTE)).toBe(3 + MAX_AGING);
  });
  it('lets a long wait overtake a slightly more urgent newcomer, never a much more urgent one', () => {
    expect(agedPriority(0, 6 * MINUTE)).toBeGreaterThan(agedPriority(5, 0));
    expect(agedPriority(0, 24 * 60 * MINUTE)).toBeLessThan(agedPriority(MAX_AGING + 1, 0));
  });
});

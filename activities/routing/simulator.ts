// A seeded contact-centre simulator for judging routing offline, in simulated
// time (an event queue, no real waiting). The same options give the same figures.
//
// World (drawn once from the seed):
// - Agents declare 2–4 of four skills with a visible level 1..5, but each also
//   has a hidden true proficiency per skill in [0.15, 0.95]; the declared level
//   is only loosely related to it (level ≈ 1 + 4·proficiency + normal noise),
//   as self-assessed skills are in real teams. 40% also speak English, 60%
//   take voice as well as chat. Capacity: 3 webchat, 3 WeChat, 1 voice call.
// - Shifts: 8 hours a day, starting at 8:00, 10:00, 12:00 or 14:00 in turn.
// Customers (a workload, drawn per seed stream):
// - Poisson arrivals from 8:00 to 22:00 at a rate following staffing
//   (arrivalsPerAgentHour × agents on shift), split by skill, channel and
//   language at fixed shares, which makes each skill × channel stream Poisson
//   too (thinning). Each customer has an exponential patience (3 min on voice,
//   10–15 min in chat) after which they abandon the queue.
// - Outcomes come from the assigned agent's true proficiency p on the skill,
//   with the customer's own noise drawn up front so both routing arms face
//   exactly the same customers (common random numbers):
//   handle time = channel median × skill effort × (1.3 − 0.6p) × lognormal;
//   resolved with probability 0.45 + 0.5p;
//   CSAT = 1 + 4 × (0.1 + 0.45p + 0.3·resolved + 0.1·noise − wait penalty),
//   rounded to 1..5, the penalty being 0.1 per 5 minutes waited (at most 0.3);
//   35% of customers answer the survey, so history holds CSAT for them only.
// Waiting customers are served by aged priority (voice 5, chat 0), then arrival.
//
// evaluateRouting (a) runs a history workload under rules-only routing
// (least-busy + the queue's requirement), (b) learns a model from it, (c)
// replays a fresh workload under rules-only and under learned routing, and
// (d) scores the wait estimate given at enqueue against the actual wait.
import { capacityFor, loadOn, servingAgents } from './eligibility';
import { estimateWait } from './estimate';
import { EventQueue } from './event-queue';
import { learnModel, predict, type ClosedConversation, type LearnedModel } from './learning';
import { Random, deriveSeed } from './random';
import { coefficientOfVariation, mean, median, percentile } from './stats';
import { agedPriority, rankAgents } from './strategies';
import type { AgentProfile, RoutingRequest } from './types';

export interface SimulationOptions {
  seed?: number;
  agents?: number;
  days?: number;
  /** Arrivals per hour per agent on shift: how loaded the centre is. */
  arrivalsPerAgentHour?: number;
}

export interface ArmReport {
  assignments: number;
  abandonmentRate: number;
  meanCsat: number;
  resolutionRate: number;
  meanWaitSeconds: number;
  p90WaitSeconds: number;
  meanHandleSeconds: number;
  /** Coefficient of variation of the agents' busy (seat) time: 0 = perfectly even. */
  loadBalanceCv: number;
  /** The wait estimate given at enqueue vs the actual wait, over served customers who waited. */
  estimate: { customers: number; maeSeconds: number; mdapePercent: number };
}

export interface EvaluationReport {
  options: Required<SimulationOptions>;
  history: { conversations: number; surveyed: number };
  /** Pearson correlation of the model's predictions with the hidden proficiencies, over agent × declared skill. */
  modelTruthCorrelation: number;
  arms: { rules: ArmReport; learned: ArmReport };
}

export const DEFAULT_OPTIONS: Required<SimulationOptions> = { seed: 42, agents: 30, days: 5, arrivalsPerAgentHour: 36 };

const SKILLS = ['billing', 'refund', 'technical', 'shipping'] as const;
type Skill = (typeof SKILLS)[number];
const SKILL_SHARE: Record<Skill, number> = { billing: 0.3, refund: 0.25, technical: 0.25, shipping: 0.2 };
/** Handle-time multiplier per skill: technical questions take longer. */
const SKILL_EFFORT: Record<Skill, number> = { billing: 1, refund: 0.9, technical: 1.4, shipping: 0.8 };
const CHANNELS = {
  webchat: { share: 0.5, capacity: 3, handleSeconds: 480, patienceSeconds: 600, priority: 0 },
  wechat: { share: 0.3, capacity: 3, handleSeconds: 600, patienceSeconds: 900, priority: 0 },
  voice: { share: 0.2, capacity: 1, handleSeconds: 300, patienceSeconds: 180, priority: 5 },
} as const;
type Channel = keyof typeof CHANNELS;
const CHANNEL_SHARE = Object.fromEntries(Object.entries(CHANNELS).map(([name, c]) => [name, c.share])) as Record<Channel, number>;
const LANGUAGE_SHARE = { zh: 0.8, en: 0.2 };
type Language = keyof typeof LANGUAGE_SHARE;
const OPEN_HOUR = 8;
const CLOSE_HOUR = 22;
const SHIFT_HOURS = 8;
const SHIFT_STARTS = [8, 10, 12, 14];
const SURVEY_RATE = 0.35;
/** How many closed conversations of a queue the wait estimate looks back on. */
const RECENT_HANDLE_TIMES = 50;
const DAY = 24 * 3600;
const HOUR = 3600;

interface SimAgent {
  profile: AgentProfile;
  proficiency: Record<Skill, number>;
  shiftStartHour: number;
}

interface Customer {
  arrival: number; // simulated seconds
  skill: Skill;
  channel: Channel;
  language: Language;
  patience: number;
  /** The customer's own randomness, drawn up front so both arms see the same. */
  noise: { handle: number; resolve: number; csat: number; survey: number };
}

const clamp = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));

function createAgents(count: number, random: Random): SimAgent[] {
  return Array.from({ length: count }, (_, i) => {
    // Drawn for every skill, declared or not, so the draws never depend on which were declared.
    const proficiency = Object.fromEntries(SKILLS.map((s) => [s, 0.15 + 0.8 * (random.uniform() + random.uniform()) / 2])) as Record<Skill, number>;
    const declared = random.sample(SKILLS, 2 + Math.floor(random.uniform() * 3));
    const skills = declared.map((name) => ({ name, level: clamp(Math.round(1 + 4 * proficiency[name] + random.normal()), 1, 5) }));
    const profile: AgentProfile = {
      id: `agent-${String(i + 1).padStart(3, '0')}`,
      skills,
      languages: random.chance(0.4) ? ['zh', 'en'] : ['zh'],
      channels: random.chance(0.6) ? [] : ['webchat', 'wechat'],
      capacity: Object.fromEntries(Object.entries(CHANNELS).map(([name, c]) => [name, c.capacity])),
      teams: [],
      presence: 'offline',
      load: {},
    };
    return { profile, proficiency, shiftStartHour: SHIFT_STARTS[i % SHIFT_STARTS.length] };
  });
}

const onShiftAt = (agents: SimAgent[], hour: number) =>
  agents.filter((a) => hour >= a.shiftStartHour && hour < a.shiftStartHour + SHIFT_HOURS).length;

function createWorkload(agents: SimAgent[], days: number, perAgentHour: number, random: Random): Customer[] {
  const customers: Customer[] = [];
  for (let day = 0; day < days; day++) {
    for (let hour = OPEN_HOUR; hour < CLOSE_HOUR; hour++) {
      const rate = onShiftAt(agents, hour) * perAgentHour; // per hour; piecewise constant, so restart each hour (memoryless)
      if (rate <= 0) continue;
      const end = day * DAY + (hour + 1) * HOUR;
      for (let t = day * DAY + hour * HOUR + random.exponential(HOUR / rate); t < end; t += random.exponential(HOUR / rate)) {
        const channel = random.weighted(CHANNEL_SHARE);
        customers.push({
          arrival: t,
          skill: random.weighted(SKILL_SHARE),
          channel,
          language: random.weighted(LANGUAGE_SHARE),
          patience: random.exponential(CHANNELS[channel].patienceSeconds),
          noise: { handle: random.normal(), resolve: random.uniform(), csat: random.normal(), survey: random.uniform() },
        });
      }
    }
  }
  return customers;
}

interface Served {
  agent: SimAgent;
  customer: Customer;
  wait: number;
  handle: number;
  resolved: boolean;
  csat: number;
}

type SimEvent =
  | { kind: 'shift-start' | 'shift-end'; agent: SimAgent }
  | { kind: 'arrive' | 'abandon'; customer: Customer }
  | { kind: 'end'; served: Served };

interface RunResult {
  served: Served[];
  abandoned: number;
  busySeconds: number[];
  estimates: { estimated: number; actual: number }[];
  history: ClosedConversation[];
}

/** What the hidden truth makes of this customer with this agent. */
function outcome(agent: SimAgent, customer: Customer, wait: number): Omit<Served, 'agent' | 'customer' | 'wait'> {
  const p = agent.proficiency[customer.skill];
  const { noise } = customer;
  const handle = CHANNELS[customer.channel].handleSeconds * SKILL_EFFORT[customer.skill] * (1.3 - 0.6 * p) * Math.exp(0.35 * noise.handle);
  const resolved = noise.resolve < 0.45 + 0.5 * p;
  const waitPenalty = Math.min(0.3, (0.1 * wait) / 300);
  const satisfaction = 0.1 + 0.45 * p + (resolved ? 0.3 : 0) + 0.1 * noise.csat - waitPenalty;
  return { handle, resolved, csat: clamp(Math.round(1 + 4 * satisfaction), 1, 5) };
}

function simulate(world: SimAgent[], customers: Customer[], days: number, model?: LearnedModel): RunResult {
  // Fresh profiles per run: loads and presence are the run's state.
  const agents = world.map((a) => ({ ...a, profile: { ...a.profile, load: {} } }));
  const profiles = agents.map((a) => a.profile);
  const byId = new Map(agents.map((a) => [a.profile.id, a]));
  const busy = new Map<SimAgent, number>(agents.map((a) => [a, 0]));
  const events = new EventQueue<SimEvent>();
  const result: RunResult = { served: [], abandoned: 0, busySeconds: [], estimates: [], history: [] };
  const waiting: { customer: Customer; estimated: number }[] = [];
  const recentHandle = new Map<string, number[]>();
  const requests = new Map<string, RoutingRequest>();

  const queueKey = (c: Customer) => `${c.skill}/${c.channel}/${c.language}`;
  const requestFor = (c: Customer): RoutingRequest => {
    const key = queueKey(c);
    let request = requests.get(key);
    if (request === undefined) {
      request = {
        channel: c.channel,
        language: c.language,
        requirement: `skills has '${c.skill}' and languages has '${c.language}'`,
        skill: c.skill,
        strategy: model === undefined ? 'least-busy' : 'learned',
      };
      requests.set(key, request);
    }
    return request;
  };

  const tryAssign = (customer: Customer, now: number): boolean => {
    const [best] = rankAgents(requestFor(customer), profiles, { now: now * 1000, model });
    if (best === undefined) return false;
    const agent = byId.get(best.agentId) as SimAgent;
    const wait = now - customer.arrival;
    const served: Served = { agent, customer, wait, ...outcome(agent, customer, wait) };
    const { profile } = agent;
    profile.load[customer.channel] = loadOn(profile, customer.channel) + 1;
    profile.lastAssignedAt = now * 1000;
    profile.lastIdleSince = undefined;
    busy.set(agent, (busy.get(agent) ?? 0) + served.handle);
    result.served.push(served);
    events.push(now + served.handle, { kind: 'end', served });
    return true;
  };

  const serveWaiting = (now: number) => {
    const order = waiting
      .map((w, index) => ({ w, index, priority: agedPriority(CHANNELS[w.customer.channel].priority, (now - w.customer.arrival) * 1000) }))
      .sort((a, b) => b.priority - a.priority || a.w.customer.arrival - b.w.customer.arrival);
    const taken = new Set<number>();
    for (const { w, index } of order) {
      if (!tryAssign(w.customer, now)) continue;
      taken.add(index);
      result.estimates.push({ estimated: w.estimated, actual: now - w.customer.arrival });
    }
    if (taken.size === 0) return;
    const remaining = waiting.filter((_, i) => !taken.has(i));
    waiting.splice(0, waiting.length, ...remaining);
  };

  const enqueue = (customer: Customer, now: number) => {
    const request = requestFor(customer);
    const serving = servingAgents(request, profiles);
    const estimate = estimateWait({
      position: 1 + waiting.filter((w) => queueKey(w.customer) === queueKey(customer)).length,
      agentsServing: serving.length,
      freeSeats: serving.reduce((sum, a) => sum + Math.max(0, capacityFor(a, customer.channel) - loadOn(a, customer.channel)), 0),
      seats: serving.reduce((sum, a) => sum + capacityFor(a, customer.channel), 0),
      recentHandleSeconds: recentHandle.get(`${customer.skill}/${customer.channel}`) ?? [],
    });
    waiting.push({ customer, estimated: estimate.seconds });
    events.push(now + customer.patience, { kind: 'abandon', customer });
  };

  const close = (served: Served, now: number) => {
    const { profile } = served.agent;
    const { channel, skill } = served.customer;
    profile.load[channel] = loadOn(profile, channel) - 1;
    if (Object.values(profile.load).every((n) => n === 0)) profile.lastIdleSince = now * 1000;
    const key = `${skill}/${channel}`;
    const recent = [...(recentHandle.get(key) ?? []), served.handle].slice(-RECENT_HANDLE_TIMES);
    recentHandle.set(key, recent);
    const surveyed = served.customer.noise.survey < SURVEY_RATE;
    result.history.push({
      agentId: profile.id, skill, channel, handleSeconds: served.handle, resolved: served.resolved,
      ...(surveyed ? { csat: served.csat } : {}), closedAt: now * 1000,
    });
  };

  for (let day = 0; day < days; day++) {
    for (const agent of agents) {
      const start = day * DAY + agent.shiftStartHour * HOUR;
      events.push(start, { kind: 'shift-start', agent });
      events.push(start + SHIFT_HOURS * HOUR, { kind: 'shift-end', agent });
    }
  }
  for (const customer of customers) events.push(customer.arrival, { kind: 'arrive', customer });

  for (let next = events.pop(); next !== undefined; next = events.pop()) {
    const { time, event } = next;
    switch (event.kind) {
      case 'shift-start':
        event.agent.profile.presence = 'online';
        event.agent.profile.lastIdleSince ??= time * 1000;
        serveWaiting(time);
        break;
      case 'shift-end':
        event.agent.profile.presence = 'offline'; // finishes the conversations held, takes no more
        break;
      case 'arrive':
        if (!tryAssign(event.customer, time)) enqueue(event.customer, time);
        break;
      case 'abandon': {
        const index = waiting.findIndex((w) => w.customer === event.customer);
        if (index >= 0) {
          waiting.splice(index, 1);
          result.abandoned++;
        }
        break;
      }
      case 'end':
        close(event.served, time);
        serveWaiting(time);
        break;
    }
  }
  result.busySeconds = agents.map((a) => busy.get(a) ?? 0);
  return result;
}

function summarize(run: RunResult): ArmReport {
  const waits = run.served.map((s) => s.wait);
  const errors = run.estimates.filter((e) => e.actual > 0 && Number.isFinite(e.estimated));
  return {
    assignments: run.served.length,
    abandonmentRate: run.abandoned / (run.abandoned + run.served.length),
    meanCsat: mean(run.served.map((s) => s.csat)),
    resolutionRate: mean(run.served.map((s) => (s.resolved ? 1 : 0))),
    meanWaitSeconds: mean(waits),
    p90WaitSeconds: percentile(waits, 0.9),
    meanHandleSeconds: mean(run.served.map((s) => s.handle)),
    loadBalanceCv: coefficientOfVariation(run.busySeconds),
    estimate: {
      customers: errors.length,
      maeSeconds: mean(errors.map((e) => Math.abs(e.estimated - e.actual))),
      mdapePercent: 100 * median(errors.map((e) => Math.abs(e.estimated - e.actual) / e.actual)),
    },
  };
}

function pearson(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function evaluateRouting(options: SimulationOptions = {}): EvaluationReport {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const world = createAgents(opts.agents, new Random(deriveSeed(opts.seed, 1)));
  const historyWorkload = createWorkload(world, opts.days, opts.arrivalsPerAgentHour, new Random(deriveSeed(opts.seed, 2)));
  const { history } = simulate(world, historyWorkload, opts.days);
  const model = learnModel(history);

  const pairs = world.flatMap((a) => a.profile.skills.map((s) => ({ agent: a, skill: s.name as Skill })));
  const modelTruthCorrelation = pearson(
    pairs.map(({ agent, skill }) => predict(model, agent.profile.id, skill).outcome),
    pairs.map(({ agent, skill }) => agent.proficiency[skill]),
  );

  const workload = createWorkload(world, opts.days, opts.arrivalsPerAgentHour, new Random(deriveSeed(opts.seed, 3)));
  return {
    options: opts,
    history: { conversations: history.length, surveyed: history.filter((c) => c.csat !== undefined).length },
    modelTruthCorrelation,
    arms: {
      rules: summarize(simulate(world, workload, opts.days)),
      learned: summarize(simulate(world, workload, opts.days, model)),
    },
  };
}

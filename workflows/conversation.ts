// One customer conversation = one workflow, id conv:<inboxId>:<visitorId>.
// It runs the flow version it pinned at start, node by node; everything with a
// side effect is an activity, so this file stays deterministic and replayable.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  TemporalFailure,
  TimeoutFailure,
  uuid4,
  workflowInfo,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { SlaKind, SlaPolicy } from '../activities/assignment';
import type { BotResult, ConversationRef, ConversationStatus, InboundMessage, Language, MessageChoice } from '../activities/types';
import { addBusinessSeconds } from '../rules/business-calendar';
import { findNode, nextNodeId, startNodeId, type FlowNode, type PinnedFlow } from '../rules/flow';
import { createInterpreter, emptyContact, sentimentOf, type FlowFacts, type InterpreterEnv, type StepRecord } from '../rules/interpreter';
import {
  acceptUpdate,
  agentReplyUpdate,
  assignNowSignal,
  closeUpdate,
  declineUpdate,
  inboundMessageSignal,
  opsRerouteUpdate,
  opsRetryUpdate,
  requestSurveyUpdate,
  snapshotQuery,
  transferUpdate,
  type AgentInput,
  type ConversationSnapshot,
  type OpsRerouteInput,
} from './messages';
import { parseRating, surveyChoices, systemTexts, type SystemText } from './texts';
import { visibilityPublisher, type StuckState } from './visibility';

type Activities = ReturnType<typeof createActivities>;

export interface ConversationInput {
  inboxId: string;
  channel: string;
  visitorId: string;
  /** Continue-as-new once the history has this many events (Temporal's own suggestion also counts). */
  maxHistoryEvents?: number;
  /** Carried over by continue-as-new. */
  state?: ConversationState;
}

interface QueueState {
  nodeId: string;
  name: string;
  slaDeadline: number;
  slaChecked: boolean;
  /** When the conversation entered this queue step (epoch ms); absent in runs from before flow steps. */
  since?: number;
  /** Offered to this agent first (an operator's reroute). */
  preferredAgentId?: string;
  /** When the offer to the current agent lapses (epoch ms). */
  offerDeadline?: number;
  /** The position and wait the customer was last told. */
  told?: { position: number; seconds: number | null };
  /** The queue's limit on the customer waiting for the accepted agent's reply (minutes). */
  silenceMinutes?: number;
  /** Since when the customer has waited for the agent's reply (epoch ms). */
  unansweredSince?: number;
  /** The queue's SLA targets, the agent's first reply, and the targets already recorded as missed (`kind@due`). */
  sla?: SlaPolicy;
  firstReplyAt?: number;
  breached?: string[];
  /** An escalation step widened the requirement: the queue's required skills no longer apply. */
  anyAgent?: boolean;
}

/** A survey asked: by the flow's survey step, or by the agent or an API client while the agent serves the customer. */
interface SurveyState {
  trigger: 'flow' | 'agent' | 'api';
  askedAt: number;
  reminded?: boolean;
  rating?: number;
}

export interface ConversationState {
  conversationId: string;
  flow?: PinnedFlow;
  /** The node being run: where a continued run resumes. */
  nodeId?: string;
  status: ConversationStatus;
  pending: InboundMessage[];
  /** Recent provider message ids, to drop repeats (bounded). */
  seen: string[];
  /** Outbound messages sent so far; gives each a stable id across retries and replays. */
  sent: number;
  language: Language;
  /** What rules see; `message` and `bot` at the top level are where runs from before flow facts kept them. */
  facts?: FlowFacts;
  message?: FlowFacts['message'];
  bot?: Pick<BotResult, 'answered' | 'confidence'>;
  /** What the conversation record says about the bot answering (written only on change). */
  botAnsweredRecorded?: boolean;
  /** Flow steps not yet written to the timeline, and how many were written. */
  steps?: StepRecord[];
  stepsRecorded?: number;
  queue?: QueueState;
  /** Deadline (epoch ms) of the wait or survey node being run. */
  deadline?: number;
  agentId?: string;
  accepted: boolean;
  agentDone: boolean;
  /** Every agent who accepted the conversation, in order (a rating names them all). */
  servedBy?: string[];
  survey?: SurveyState;
  /** The queue a callback step took the conversation out of. */
  leftQueue?: string;
  /** A step that failed its retries and is retried with backoff, or when an operator asks. */
  stuck?: StuckState;
  /** An operator's reroute or an agent's transfer, applied at the next wait. */
  reroute?: OpsRerouteInput & { note?: { from: string; text: string; at: number } };
}

// Conversations whose history was recorded before this patch answer with two
// steps and restart the wait timer on each message; newer ones answer in one
// step and leave timers to fire (see timerBy). Histories of both kinds are
// replayed in the test suite. Deprecate once no run from before it is open.
const CHEAPER_MESSAGE_PATH = 'cheaper-message-path';
// Runs from before this patch do not write their flow steps (rules decisions,
// plugin notes) to the conversation timeline; newer ones do before each wait.
const FLOW_STEPS_RECORDED = 'flow-steps-recorded';
// Runs from before this patch keep no search attributes for operators, retry
// failing steps without limit and cannot be retried or rerouted by operators.
const OPS_VISIBILITY = 'ops-visibility';

const SEEN_LIMIT = 1000;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

// Every step is a few milliseconds of database work, so steps run as local
// activities: no task round trip through the Temporal server per step, and one
// inbound message is usually one workflow task. (A step that must wait on a
// slow provider should be a regular activity.) Permanent refusals stop
// retrying; everything else (a database hiccup) retries with backoff until it
// works, so no message is dropped.
const ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NotAvailable', 'InvalidInput'] },
};
// Agent actions answer a person who waits for the result: fail fast (the
// person retries), and never fail the conversation itself.
const AGENT_ACTION_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { ...ACTIVITY_OPTIONS.retry, maximumAttempts: 3 },
};

// A plugin node with an `error` way out (calls to other systems) gives up after
// a few tries and leaves through it, rather than holding the conversation
// while the other system is down.
const PLUGIN_WITH_ERROR_WAY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { ...ACTIVITY_OPTIONS.retry, maximumAttempts: 4 },
};

// A step that fails this many attempts in a row (about 5 s) is marked stuck
// for operators (the HuiliuStuck search attribute) and then tried again in
// rounds, 1 minute apart and doubling to 30, or at once when an operator asks.
const ATTEMPTS_PER_ROUND = 5;
const PERSISTENT_OPTIONS: LocalActivityOptions = { ...ACTIVITY_OPTIONS, retry: { ...ACTIVITY_OPTIONS.retry, maximumAttempts: ATTEMPTS_PER_ROUND } };
const stuckRetryDelay = (round: number) => Math.min(60_000 * 2 ** round, 30 * 60_000);

/** Thrown at a wait to leave the current step for the one an operator chose. */
class Rerouted extends Error {
  constructor(readonly nodeId: string) {
    super(`rerouted to ${nodeId}`);
  }
}

export function newConversationState(conversationId: string, pending: InboundMessage[] = [], seen: string[] = []): ConversationState {
  return { conversationId, status: 'bot', pending, seen, sent: 0, language: 'zh', accepted: false, agentDone: false };
}

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationSnapshot> {
  const memoId = workflowInfo().memo?.conversationId;
  const state = input.state ?? newConversationState(typeof memoId === 'string' ? memoId : uuid4());
  const ref: ConversationRef = { conversationId: state.conversationId, inboxId: input.inboxId, channel: input.channel, visitorId: input.visitorId };
  const seen = new Set(state.seen);
  // Runs from before flow facts kept the message and bot result at the top level.
  const facts: FlowFacts = (state.facts ??= { message: state.message, bot: state.bot });
  state.steps ??= [];
  let changes = 0; // bumped by every handler, so waits can wake on any change
  const ops = patched(OPS_VISIBILITY);
  const publishVisibility = visibilityPublisher();
  const showVisibility = () => {
    if (!ops) return;
    const q = state.queue;
    publishVisibility({
      conversationId: state.conversationId, flowId: state.flow?.flowId, flowVersion: state.flow?.version,
      step: state.nodeId, status: state.status, stuck: state.stuck,
      slaDueAt: q && !state.accepted && Number.isFinite(q.slaDeadline) ? q.slaDeadline : undefined,
    });
  };
  let retryRequests = 0; // bumped by an operator's retry
  let assignRequested = false; // an agent freed a seat for this conversation
  let stuckRounds = 0; // rounds of attempts that failed

  // Steps run one at a time, in the order asked, also when an agent's action
  // arrives while the flow is busy: the conversation's documents then have a
  // single writer, which FerretDB v1 (no isolation between updates) needs.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(run: () => Promise<T>): Promise<T> {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }
  // Each step's summary is its flow node id, so a history reads as flow steps.
  function act(nodeId: string, options = ACTIVITY_OPTIONS): Activities {
    const persistent = ops && options === ACTIVITY_OPTIONS;
    const proxy = proxyLocalActivities<Activities>({ ...(persistent ? PERSISTENT_OPTIONS : options), summary: nodeId });
    return new Proxy(proxy, {
      get: (target, name: keyof Activities) => (input: never) => serially(() => {
        const call = () => (target[name] as (i: never) => Promise<unknown>)(input);
        return persistent ? persistently(nodeId, call) : call();
      }),
    });
  }

  /**
   * Runs a step until it works: after each failed round of attempts the
   * conversation shows as stuck and waits for the next round, an operator's
   * retry, or an operator's reroute to another step. Refusals that retrying
   * cannot change still fail at once.
   */
  async function persistently<T>(nodeId: string, call: () => Promise<T>): Promise<T> {
    for (let round = 0; ; round++) {
      try {
        const result = await call();
        if (state.stuck) {
          state.stuck = undefined;
          showVisibility();
        }
        return result;
      } catch (err) {
        const failure = retryableFailure(err);
        if (!failure) throw err;
        state.stuck = {
          reason: 'activity-failing', since: state.stuck?.since ?? Date.now(), step: nodeId,
          error: failure.message, attempts: (state.stuck?.attempts ?? 0) + ATTEMPTS_PER_ROUND,
        };
        stuckRounds++;
        showVisibility();
        const asked = retryRequests;
        await condition(() => retryRequests !== asked || state.reroute?.nodeId !== undefined, stuckRetryDelay(round));
        if (state.reroute?.nodeId !== undefined) throw new Rerouted(state.reroute.nodeId);
      }
    }
  }

  const snapshot = (): ConversationSnapshot => ({
    conversationId: state.conversationId,
    status: state.status,
    nodeId: state.nodeId,
    agentId: state.agentId,
    accepted: state.accepted,
    queue: state.queue?.name,
    language: state.language,
    pendingMessages: state.pending.length,
  });

  setHandler(inboundMessageSignal, (message) => {
    if (seen.has(message.providerMessageId)) return; // a client or provider retry
    seen.add(message.providerMessageId);
    state.seen.push(message.providerMessageId);
    if (state.seen.length > SEEN_LIMIT) seen.delete(state.seen.shift()!);
    state.pending.push(message);
    changes++;
  });

  const requireThis = ({ conversationId }: AgentInput) => {
    if (conversationId !== state.conversationId) refuse(`conversation ${conversationId} is no longer open`);
  };
  const requireWaiting = (input: AgentInput) => {
    requireThis(input);
    const { agentId } = input;
    if (state.status !== 'queued' && state.status !== 'assigned') refuse(`conversation is ${state.status}, not waiting for an agent`);
    if (state.accepted) refuse('conversation was already accepted');
    if (state.agentId && state.agentId !== agentId) refuse('conversation is offered to another agent');
  };
  const requireAcceptedBy = (input: AgentInput) => {
    requireThis(input);
    const { agentId } = input;
    if (state.status !== 'assigned' || !state.accepted) refuse(`conversation is ${state.status}; accept it first`);
    if (state.agentId !== agentId) refuse('conversation belongs to another agent');
  };

  setHandler(acceptUpdate, async ({ agentId }) => {
    await act(state.nodeId ?? 'accept', AGENT_ACTION_OPTIONS).acceptConversation({ ...ref, agentId });
    Object.assign(state, { agentId, accepted: true, status: 'assigned' });
    if (state.servedBy?.at(-1) !== agentId) (state.servedBy ??= []).push(agentId);
    changes++;
    return snapshot();
  }, { validator: requireWaiting });

  setHandler(declineUpdate, async ({ agentId }) => {
    await act(state.nodeId ?? 'decline', AGENT_ACTION_OPTIONS).withdrawOffer({ ...ref, agentId, reason: 'declined' });
    Object.assign(state, { agentId: undefined, status: 'queued' });
    if (state.queue) state.queue.offerDeadline = undefined;
    changes++;
    return snapshot();
  }, {
    validator: (input) => {
      requireThis(input);
      if (state.status !== 'assigned' || state.accepted || state.agentId !== input.agentId) refuse('the conversation is not offered to you');
    },
  });

  setHandler(transferUpdate, ({ agentId, queue, toAgentId, note }) => {
    state.reroute = { queue, agentId: toAgentId, note: { from: agentId, text: note ?? '', at: Date.now() } };
    changes++;
    return snapshot();
  }, {
    validator: (input) => {
      requireAcceptedBy(input);
      if ((input.queue === undefined) === (input.toAgentId === undefined)) refuse('give exactly one of a queue or an agent to transfer to');
      if (input.toAgentId === input.agentId) refuse('the conversation is yours already');
    },
  });

  setHandler(agentReplyUpdate, async ({ agentId, text }) => {
    if (state.queue) {
      state.queue.unansweredSince = undefined;
      state.queue.firstReplyAt ??= Date.now();
    }
    const messageId = await send(state.nodeId ?? 'reply', text, { author: 'agent', agentId });
    return { messageId };
  }, { validator: (input) => { requireAcceptedBy(input); if (!input.text.trim()) refuse('reply text is empty'); } });

  setHandler(closeUpdate, async ({ agentId }) => {
    await act(state.nodeId ?? 'close', AGENT_ACTION_OPTIONS).finishAgentWork({ ...ref, agentId });
    Object.assign(state, { agentDone: true, status: 'survey' });
    changes++;
    return snapshot();
  }, { validator: requireAcceptedBy });

  setHandler(requestSurveyUpdate, async ({ agentId }) => {
    state.survey = { trigger: agentId === undefined ? 'api' : 'agent', askedAt: Date.now() };
    await askSurvey(state.nodeId ?? 'survey', 'survey');
    changes++;
    return snapshot();
  }, {
    validator: (input) => {
      requireThis(input);
      if (state.status !== 'assigned' || !state.accepted) refuse(`conversation is ${state.status}; a survey rates an agent who has accepted it`);
      if (input.agentId !== undefined && state.agentId !== input.agentId) refuse('conversation belongs to another agent');
      if (state.survey?.rating !== undefined) refuse('the customer has rated this conversation already');
    },
  });

  setHandler(snapshotQuery, snapshot);
  // Kept until the next offer attempt: it may arrive before the queue step waits.
  setHandler(assignNowSignal, () => {
    assignRequested = true;
    changes++;
  });

  // Operators (server/ops): retry a failing step now; send the conversation to
  // another queue, agent or flow step.
  setHandler(opsRetryUpdate, async () => {
    retryRequests++;
    const round = stuckRounds;
    await condition(() => !state.stuck || stuckRounds > round);
    return { recovered: !state.stuck, error: state.stuck?.error };
  }, { validator: () => { if (!state.stuck) refuse('no step is failing now; there is nothing to retry'); } });

  setHandler(opsRerouteUpdate, (input) => {
    state.reroute = input;
    changes++;
    return snapshot();
  }, {
    validator: (input) => {
      const targets = [input.nodeId, input.queue, input.agentId].filter((x) => x !== undefined);
      if (targets.length !== 1) refuse('give exactly one of a flow step (nodeId), a queue or an agent');
      if (state.status === 'closed') refuse('the conversation is closed');
      if (input.nodeId !== undefined && !state.flow?.definition.nodes.some((n) => n.id === input.nodeId)) {
        refuse(`flow ${state.flow?.flowId ?? ''} v${state.flow?.version ?? ''} has no step "${input.nodeId}"`);
      }
      if (input.nodeId === undefined && !state.queue) refuse(`the conversation is not waiting in a queue (it is ${state.status}); reroute it to a flow step instead`);
    },
  });

  const nextMessageId = () => `${state.conversationId}:out:${state.sent + 1}`;
  async function send(nodeId: string, text: string, opts: { author: 'bot' | 'agent' | 'system'; agentId?: string; kind?: 'text' | 'survey'; choices?: MessageChoice[] }) {
    const messageId = nextMessageId();
    state.sent++;
    await act(nodeId).sendMessage({
      ...ref, messageId, text, author: opts.author, agentId: opts.agentId, kind: opts.kind ?? 'text', ...(opts.choices ? { choices: opts.choices } : {}), at: Date.now(),
    });
    return messageId;
  }
  const say = (nodeId: string, key: SystemText, kind: 'text' | 'survey' = 'text') =>
    send(nodeId, systemTexts[key][state.language], { author: 'system', kind });
  /** The survey question (or its reminder), with the ratings as buttons or a menu where the channel has them. */
  const askSurvey = (nodeId: string, key: 'survey' | 'surveyReminder') =>
    send(nodeId, systemTexts[key][state.language], { author: 'system', kind: 'survey', choices: surveyChoices[state.language] });
  /** Stores the survey's outcome with the agent serving now and everyone who served before. */
  const storeSurvey = (nodeId: string, survey: SurveyState, extra: { status: 'answered' | 'timeout'; comment?: string }) =>
    act(nodeId).storeSurvey({
      ...ref, agentId: state.agentId, rating: survey.rating, ...extra,
      ...(state.servedBy ? { servedBy: state.servedBy } : {}), ...(survey.trigger === 'flow' ? {} : { trigger: survey.trigger }), ...(survey.reminded ? { reminded: true } : {}),
    });

  async function normalizeNext(nodeId: string) {
    const inbound = state.pending.shift()!;
    const message = await act(nodeId).normalizeMessage({ ...ref, inbound, language: state.language });
    state.language = message.language;
    facts.message = { text: message.text, type: message.type, language: message.language, sentiment: sentimentOf(message.text) };
    return message;
  }

  /** Writes the flow steps taken since the last wait to the conversation's timeline. */
  async function recordSteps() {
    const steps = state.steps!;
    if (steps.length === 0 || !patched(FLOW_STEPS_RECORDED)) return;
    const first = (state.stepsRecorded ?? 0) + 1;
    await act(steps[0].nodeId).recordFlowSteps({ ...ref, first, steps });
    state.stepsRecorded = first - 1 + steps.length;
    state.steps = [];
  }

  async function continueAsNewIfDue(): Promise<void> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < (input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS)) return;
    await condition(allHandlersFinished);
    await makeContinueAsNewFunc<typeof conversationWorkflow>({ memo: { conversationId: state.conversationId } })({ ...input, state });
  }

  // A timer is left to fire instead of being cancelled when a message comes
  // first: a later wait reuses any pending timer that fires by its deadline
  // (and waits again if that was early). A chatty conversation then starts
  // about one timer per idle period instead of cancelling and starting one per
  // message, which is two history events and server work saved per message.
  const timers = new Map<number, Promise<void>>(); // by fire time, epoch ms
  function timerBy(deadline: number): Promise<void> {
    let at: number | undefined;
    for (const t of timers.keys()) if (t <= deadline && (at === undefined || t > at)) at = t;
    if (at !== undefined) return timers.get(at)!;
    const fired = sleep(deadline - Date.now()).then(() => void timers.delete(deadline));
    timers.set(deadline, fired);
    return fired;
  }

  /** Waits until something changes or the deadline (epoch ms) passes (or a little before); then continues-as-new if due. */
  async function waitForChange(deadline?: number): Promise<void> {
    await recordSteps();
    showVisibility();
    const seenChanges = changes;
    const wake = () => changes !== seenChanges || state.pending.length > 0;
    if (deadline === undefined) await condition(wake);
    else if (deadline > Date.now()) {
      if (patched(CHEAPER_MESSAGE_PATH)) await Promise.race([condition(wake), timerBy(deadline)]);
      else await condition(wake, deadline - Date.now());
    }
    if (state.reroute?.nodeId !== undefined) throw new Rerouted(state.reroute.nodeId);
    await continueAsNewIfDue();
  }

  /** Enters a queue step: the conversation waits in `name` from now. */
  function enterQueue(nodeId: string, name: string, slaSeconds: number) {
    const now = Date.now();
    state.queue = { nodeId, name, slaDeadline: slaSeconds > 0 ? now + slaSeconds * 1000 : Infinity, slaChecked: slaSeconds <= 0, since: now };
  }

  /**
   * Waits in the queue for an agent, offering the conversation as agents
   * free up, until the agent closes it ('closed'). When the SLA passes with
   * nobody having accepted, `onSla` decides: a handle to leave through, or
   * undefined to keep waiting.
   */
  async function waitForAgent(nodeId: string, p: AgentWait): Promise<string> {
    const queue = state.queue!;
    while (!state.agentDone) {
      // The customer may keep writing while waiting and while talking to the agent.
      while (state.pending.length > 0) {
        const { text } = await normalizeNext(nodeId);
        // The rating the agent asked for is the customer's answer to the survey, not a question for the agent.
        const survey = state.survey?.trigger !== 'flow' && state.survey?.rating === undefined ? state.survey : undefined;
        const rating = survey && parseRating(text);
        if (survey && rating) {
          survey.rating = rating;
          await storeSurvey(nodeId, survey, { status: 'answered' });
          await say(nodeId, 'ratingThanks');
        } else if (state.accepted) queue.unansweredSince ??= Date.now();
      }
      // SLA targets that passed unmet are recorded once each.
      for (const { kind, due } of slaDues(queue)) {
        if (Date.now() < due) continue;
        (queue.breached ??= []).push(`${kind}@${due}`);
        await act(nodeId).recordSlaBreach({ ...ref, kind, due, at: Date.now() });
      }
      // The agent left the customer without a reply too long: another agent gets the conversation.
      const silentUntil = queue.unansweredSince === undefined || !queue.silenceMinutes ? undefined : queue.unansweredSince + queue.silenceMinutes * 60_000;
      if (state.accepted && silentUntil !== undefined && Date.now() >= silentUntil) {
        await act(nodeId).withdrawOffer({ ...ref, agentId: state.agentId!, reason: 'silence' });
        Object.assign(state, { agentId: undefined, accepted: false, status: 'queued' });
        queue.unansweredSince = undefined;
        await say(nodeId, 'transferred');
        continue;
      }
      if (state.reroute) await rerouteInQueue(nodeId, queue, state.reroute);
      if (!state.agentId) {
        // An agent an operator chose is offered the conversation whatever the step's required skills.
        const chosen = queue.preferredAgentId;
        assignRequested = false;
        const result = await act(nodeId).tryAssign({
          ...ref, queue: queue.name, requiredSkills: chosen ? [] : p.requiredSkills, preferredAgentId: chosen ?? p.preferredAgentId, told: queue.told,
          ...(queue.anyAgent ? { anyAgent: true } : {}), ...(facts.message?.intent ? { intent: facts.message.intent } : {}),
        });
        if (result.sla) queue.sla = result.sla;
        if (result.agentId && !state.agentId) {
          Object.assign(state, { agentId: result.agentId, status: 'assigned' });
          if (result.offerTimeoutSeconds) queue.offerDeadline = Date.now() + result.offerTimeoutSeconds * 1000;
          queue.silenceMinutes = result.silenceReassignMinutes;
        } else if (result.announce) {
          // Where they stand and how long it may take, when that changed enough since they were last told.
          queue.told = result.standing;
          await send(nodeId, result.announce[state.language], { author: 'system' });
        }
      }
      // An offer the agent let lapse goes to the next agent; they are not offered it again.
      if (state.agentId && !state.accepted && queue.offerDeadline !== undefined && Date.now() >= queue.offerDeadline) {
        await act(nodeId).withdrawOffer({ ...ref, agentId: state.agentId, reason: 'timeout' });
        Object.assign(state, { agentId: undefined, status: 'queued' });
        queue.offerDeadline = undefined;
        continue;
      }
      if (!state.accepted && !queue.slaChecked && Date.now() >= queue.slaDeadline) {
        queue.slaChecked = true;
        const handle = await p.onSla(queue);
        if (handle) return handle;
        continue;
      }
      if (state.agentDone) break;
      if (assignRequested && !state.agentId) continue;
      const slaDeadlines = slaDues(queue).map((d) => d.due);
      const deadlines = state.accepted ? [...(silentUntil === undefined ? [] : [silentUntil]), ...slaDeadlines] : [
        ...(state.agentId ? [] : [Date.now() + p.assignRetrySeconds * 1000]),
        ...(state.agentId && queue.offerDeadline !== undefined ? [queue.offerDeadline] : []),
        ...(queue.slaChecked ? [] : [queue.slaDeadline]),
        ...slaDeadlines,
      ];
      await waitForChange(deadlines.length ? Math.min(...deadlines) : undefined);
    }
    state.queue = undefined;
    return 'closed';
  }

  /** The queue's SLA targets still to be met, with when each is due. */
  function slaDues(queue: QueueState): { kind: SlaKind; due: number }[] {
    const { sla } = queue;
    if (!sla) return [];
    const since = queue.since ?? Date.now();
    // In business hours when the queue has them: the clock stops while it is closed.
    const after = (from: number, seconds: number) => (sla.calendar ? addBusinessSeconds(from, seconds, sla.calendar) : from + seconds * 1000);
    const dues: { kind: SlaKind; due: number }[] = [];
    if (sla.firstResponseSeconds && queue.firstReplyAt === undefined) dues.push({ kind: 'firstResponse', due: after(since, sla.firstResponseSeconds) });
    if (sla.nextResponseSeconds && queue.firstReplyAt !== undefined && queue.unansweredSince !== undefined) {
      dues.push({ kind: 'nextResponse', due: after(queue.unansweredSince, sla.nextResponseSeconds) });
    }
    if (sla.resolutionSeconds && !state.agentDone) dues.push({ kind: 'resolution', due: after(since, sla.resolutionSeconds) });
    // A queue that never opens never comes due.
    return dues.filter((d) => Number.isFinite(d.due) && !queue.breached?.includes(`${d.kind}@${d.due}`));
  }

  /** An operator's reroute or an agent's transfer to another queue or agent: the current agent (if any) lets go and the conversation waits again. */
  async function rerouteInQueue(nodeId: string, queue: QueueState, to: NonNullable<ConversationState['reroute']>) {
    state.reroute = undefined;
    if (to.queue !== undefined) queue.name = to.queue;
    queue.preferredAgentId = to.agentId;
    await act(nodeId).transferConversation({ ...ref, queue: queue.name, priority: 0, ...(to.note ? { note: to.note } : {}) });
    Object.assign(state, { agentId: undefined, accepted: false, status: 'queued' });
    await say(nodeId, 'transferred');
  }

  /** Queue version 1: escalation built in, once. */
  async function runQueue(node: FlowNode<QueueParameters>): Promise<string> {
    const p = { ...QUEUE_DEFAULTS, ...node.parameters };
    if (state.queue?.nodeId !== node.id) {
      enterQueue(node.id, p.queue, p.slaSeconds);
      state.status = 'queued';
      await act(node.id).enqueue({ ...ref, queue: p.queue, priority: p.priority });
      await say(node.id, 'queued');
    }
    return waitForAgent(node.id, {
      assignRetrySeconds: p.assignRetrySeconds,
      async onSla(queue) {
        const { escalated } = await act(node.id).escalate({ ...ref, queue: p.escalationQueue, priority: p.escalationPriority });
        if (escalated) {
          Object.assign(state, { agentId: undefined, status: 'queued' });
          queue.name = p.escalationQueue;
          await say(node.id, 'escalated');
        }
        return undefined;
      },
    });
  }

  /**
   * Asks for a 1–5 rating until the timeout, reminding once when the step
   * says so; a low rating may get a follow-up question, whose answer is
   * stored as the comment. A conversation the customer rated already (the
   * agent asked during it) is not asked again.
   */
  async function runSurvey(node: FlowNode<SurveyParameters>): Promise<string> {
    const p = node.parameters;
    if (state.survey && state.survey.trigger !== 'flow' && state.survey.rating !== undefined) return 'next';
    if (state.deadline === undefined) {
      state.status = 'survey';
      await askSurvey(node.id, 'survey');
      state.survey = { trigger: 'flow', askedAt: Date.now() };
      state.deadline = Date.now() + (p.timeoutSeconds ?? 300) * 1000;
    }
    // Runs continued from before surveys were kept in the state were asked already.
    const survey = (state.survey ??= { trigger: 'flow', askedAt: Date.now() });
    const done = async () => {
      await say(node.id, 'thanks');
      state.deadline = undefined;
      return 'next';
    };
    for (;;) {
      while (state.pending.length > 0) {
        const { text } = await normalizeNext(node.id);
        if (survey.rating !== undefined) {
          await storeSurvey(node.id, survey, { status: 'answered', comment: text }); // the follow-up's answer
          return done();
        }
        const rating = parseRating(text);
        if (rating === undefined) {
          await say(node.id, 'surveyRetry', 'survey');
          continue;
        }
        survey.rating = rating;
        await storeSurvey(node.id, survey, { status: 'answered' });
        if (!p.followUp || rating > (p.followUpBelow ?? 3)) return done();
        await say(node.id, 'surveyFollowUp');
        state.deadline = Date.now() + (p.timeoutSeconds ?? 300) * 1000;
      }
      if (Date.now() >= state.deadline) {
        if (survey.rating === undefined) await storeSurvey(node.id, survey, { status: 'timeout' });
        state.deadline = undefined;
        return 'next';
      }
      const remindAt = p.reminderSeconds && !survey.reminded && survey.rating === undefined ? survey.askedAt + p.reminderSeconds * 1000 : undefined;
      if (remindAt !== undefined && Date.now() >= remindAt) {
        survey.reminded = true;
        await askSurvey(node.id, 'surveyReminder');
        continue;
      }
      await waitForChange(remindAt === undefined ? state.deadline : Math.min(remindAt, state.deadline));
    }
  }

  /**
   * Nobody can take the customer: they leave a message (a phone number in it
   * asks for a call back), which goes to the supervisors' callback list. The
   * conversation leaves its queue first, so no agent is offered it meanwhile.
   */
  async function runCallback(node: FlowNode<{ timeoutSeconds?: number }>): Promise<string> {
    if (state.deadline === undefined) {
      if (state.queue) {
        state.leftQueue = state.queue.name;
        await act(node.id).leaveQueue(ref);
        Object.assign(state, { queue: undefined, status: 'bot', agentId: undefined, accepted: false });
      }
      await say(node.id, 'callbackOffer');
      state.deadline = Date.now() + (node.parameters.timeoutSeconds ?? 600) * 1000;
    }
    while (state.pending.length === 0 && Date.now() < state.deadline) await waitForChange(state.deadline);
    state.deadline = undefined;
    if (state.pending.length === 0) return 'timeout';
    const { text } = await normalizeNext(node.id);
    await act(node.id).requestCallback({ ...ref, nodeId: node.id, queue: state.leftQueue, text, at: Date.now() });
    await say(node.id, 'callbackThanks');
    return 'left';
  }

  async function runWait(node: FlowNode<{ timeoutSeconds?: number }>): Promise<string> {
    state.deadline ??= Date.now() + (node.parameters.timeoutSeconds ?? 600) * 1000;
    while (state.pending.length === 0 && Date.now() < state.deadline) await waitForChange(state.deadline);
    state.deadline = undefined;
    return state.pending.length > 0 ? 'message' : 'timeout';
  }

  /** Queue v2, escalate and transfer: wait for an agent in a queue; leave through `sla` when nobody accepts in time and it is connected. */
  async function runRouting(node: FlowNode<RoutingParameters>): Promise<string> {
    const p = { priority: 0, slaSeconds: 60, assignRetrySeconds: 5, requiredSkills: [], notify: true, ...node.parameters };
    // An escalation step without a queue of its own keeps the conversation where it waits.
    const queueName = p.queue || (node.type === 'escalate' ? state.queue?.name : undefined) || 'general';
    if (state.queue?.nodeId !== node.id) {
      const { since: waitingSince, told } = state.queue ?? {};
      enterQueue(node.id, queueName, p.slaSeconds);
      if (node.type === 'escalate') {
        // The customer hears their place again only when it changed enough since they were last told.
        Object.assign(state.queue!, { told, anyAgent: p.anyAgent || undefined });
        const { escalated } = await act(node.id).escalate({ ...ref, queue: queueName, priority: p.priority });
        if (escalated) {
          Object.assign(state, { agentId: undefined, status: 'queued' });
          if (p.notify) await say(node.id, 'escalated');
          if (p.notifySupervisor) {
            const waitedSeconds = waitingSince === undefined ? 0 : Math.round((Date.now() - waitingSince) / 1000);
            await act(node.id).notifySupervisors({ ...ref, nodeId: node.id, queue: queueName, waitedSeconds, at: Date.now() });
          }
        }
      } else if (node.type === 'transfer') {
        await act(node.id).transferConversation({ ...ref, queue: queueName, priority: p.priority });
        Object.assign(state, { agentId: undefined, accepted: false, status: 'queued' });
        await say(node.id, 'transferred');
      } else {
        state.status = 'queued';
        await act(node.id).enqueue({ ...ref, queue: queueName, priority: p.priority });
        await say(node.id, 'queued');
      }
    }
    const slaConnected = nextNodeId(flow, node.id, 'sla') !== undefined;
    return waitForAgent(node.id, {
      assignRetrySeconds: p.assignRetrySeconds, requiredSkills: p.requiredSkills, preferredAgentId: p.agentId,
      onSla: async () => (slaConnected ? 'sla' : undefined),
    });
  }

  const env: InterpreterEnv = {
    now: () => Date.now(),
    conversation: () => ({
      channel: ref.channel, inboxId: ref.inboxId, status: state.status, queue: state.queue?.name,
      waitSeconds: state.queue?.since === undefined ? 0 : Math.max(0, Math.round((Date.now() - state.queue.since) / 1000)),
    }),
    async awaitMessage() {
      if (state.pending.length === 0) showVisibility();
      await condition(() => state.pending.length > 0 || state.reroute?.nodeId !== undefined);
      if (state.reroute?.nodeId !== undefined) throw new Rerouted(state.reroute.nodeId);
    },
    async normalize(nodeId) {
      await normalizeNext(nodeId);
      return facts.message!;
    },
    async bot(nodeId, { faqSet, minConfidence }) {
      const text = facts.message?.text ?? '';
      if (!patched(CHEAPER_MESSAGE_PATH)) {
        const result = await act(nodeId).botAnswer({ ...ref, faqSet, minConfidence, text, language: state.language });
        if (result.answered && result.answer) await send(nodeId, result.answer, { author: 'bot' });
        return result;
      }
      const result = await act(nodeId).botReply({
        ...ref, faqSet, minConfidence, text, language: state.language,
        replyId: nextMessageId(), at: Date.now(), recordedAnswered: state.botAnsweredRecorded,
      });
      if (result.answered) state.sent++; // the reply took the id
      state.botAnsweredRecorded = result.answered;
      return result;
    },
    queueFacts: (nodeId, queue) => act(nodeId).queueFacts({ queue }),
    async runPlugin(node, known) {
      const errorWay = nextNodeId(flow, node.id, 'error') !== undefined;
      try {
        const result = await act(node.id, errorWay ? PLUGIN_WITH_ERROR_WAY_OPTIONS : ACTIVITY_OPTIONS).runPluginNode({
          ...ref, nodeId: node.id, type: node.type, typeVersion: node.typeVersion, parameters: node.parameters,
          facts: known, language: state.language, now: Date.now(), messageId: nextMessageId(), dryRun: false,
        });
        if (result.sent) state.sent++; // the message took the id
        return result;
      } catch (err) {
        if (!errorWay) throw err;
        const why = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
        return { handle: 'error', note: { zh: `多次尝试仍失败：${why}`, en: `Failed after retries: ${why}` } };
      }
    },
    waitNode(node) {
      switch (node.type) {
        case 'wait':
          return runWait(node as FlowNode<{ timeoutSeconds?: number }>);
        case 'survey':
          return runSurvey(node as FlowNode<SurveyParameters>);
        case 'callback':
          return runCallback(node as FlowNode<{ timeoutSeconds?: number }>);
        case 'queue':
          if (node.typeVersion === 1) return runQueue(node as FlowNode<QueueParameters>);
          return runRouting(node as FlowNode<RoutingParameters>);
        default:
          return runRouting(node as FlowNode<RoutingParameters>);
      }
    },
    record(step) {
      // The timeline shows decisions and what plugins did; the rest is visible in the messages.
      if (step.rules || step.note) state.steps!.push(step);
    },
  };
  const interpreter = createInterpreter(facts, env);

  if (!state.flow) {
    const { contact, ...flow } = await act('start').startConversation(ref);
    state.flow = flow;
    facts.contact = contact ?? emptyContact(`${ref.inboxId}:${ref.visitorId}`);
    state.nodeId = startNodeId(state.flow.definition);
  }
  const flow = state.flow.definition;
  while (state.nodeId) {
    const node = findNode(flow, state.nodeId);
    let handle: string | undefined;
    try {
      handle = await interpreter.runNode(node);
    } catch (err) {
      if (!(err instanceof Rerouted)) throw err;
      // The operator's update is answered in this workflow task. Temporal refuses a task that
      // completes the conversation while new events arrive (UnhandledCommand), failing the
      // update with it; so the next step starts in a task of its own.
      await sleep(1);
      if (state.queue) await act(node.id).leaveQueue(ref);
      Object.assign(state, { queue: undefined, deadline: undefined, reroute: undefined, stuck: undefined, nodeId: err.nodeId });
      if (state.status !== 'bot') Object.assign(state, { status: 'bot', agentId: undefined, accepted: false });
      continue;
    }
    state.nodeId = handle === undefined ? undefined : nextNodeId(flow, node.id, handle);
    await continueAsNewIfDue();
  }
  await recordSteps();
  await act('close').closeConversation(ref);
  state.status = 'closed';
  showVisibility();
  await condition(allHandlersFinished);
  if (state.pending.length > 0) {
    // Messages that arrived while closing open the customer's next conversation.
    const conversationId = uuid4();
    await makeContinueAsNewFunc<typeof conversationWorkflow>({ memo: { conversationId } })({
      ...input,
      state: newConversationState(conversationId, state.pending, state.seen),
    });
  }
  return snapshot();
}

interface QueueParameters {
  queue?: string;
  priority?: number;
  slaSeconds?: number;
  escalationQueue?: string;
  escalationPriority?: number;
  assignRetrySeconds?: number;
}
interface AgentWait {
  assignRetrySeconds: number;
  requiredSkills?: string[];
  preferredAgentId?: string;
  onSla: (queue: QueueState) => Promise<string | undefined>;
}

interface RoutingParameters {
  queue?: string;
  priority?: number;
  slaSeconds?: number;
  assignRetrySeconds?: number;
  requiredSkills?: string[];
  /** transfer: offered to this agent first. */
  agentId?: string;
  /** escalate: tell the customer. */
  notify?: boolean;
  /** escalate: the queue's required skills no longer apply. */
  anyAgent?: boolean;
  /** escalate: alert the supervisors. */
  notifySupervisor?: boolean;
}

interface SurveyParameters {
  timeoutSeconds?: number;
  /** Remind once this long after asking (0 or absent: never). */
  reminderSeconds?: number;
  /** Ask what could be better after a rating of at most `followUpBelow` (default 3). */
  followUp?: boolean;
  followUpBelow?: number;
}

const QUEUE_DEFAULTS = { queue: 'general', priority: 0, slaSeconds: 60, escalationQueue: 'escalation', escalationPriority: 10, assignRetrySeconds: 5 };

/**
 * The failure of a step that may work on another try (local activities reject
 * with the last attempt's failure itself), or undefined for a refusal that
 * retrying cannot change, or for anything that is not a step's failure.
 */
function retryableFailure(err: unknown): TemporalFailure | undefined {
  const failure = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (failure instanceof TimeoutFailure) return failure;
  if (!(failure instanceof ApplicationFailure) || failure.nonRetryable) return undefined;
  return (ACTIVITY_OPTIONS.retry?.nonRetryableErrorTypes ?? []).includes(failure.type ?? '') ? undefined : failure;
}

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'Refused');
}

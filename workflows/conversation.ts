// One customer conversation = one workflow, id conv:<inboxId>:<visitorId>.
// It runs the flow version it pinned at start, node by node; everything with a
// side effect is an activity, so this file stays deterministic and replayable.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { BotResult, ConversationRef, ConversationStatus, InboundMessage, Language } from '../activities/types';
import { compileRules, type RulesEvaluator } from '../rules/evaluate';
import { findNode, nextNodeId, startNodeId, type FlowNode, type PinnedFlow, type RulesNodeParameters } from '../rules/flow';
import {
  acceptUpdate,
  agentReplyUpdate,
  closeUpdate,
  inboundMessageSignal,
  snapshotQuery,
  type AgentInput,
  type ConversationSnapshot,
} from './messages';
import { parseRating, systemTexts, type SystemText } from './texts';

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
  message?: { text: string; type: string; language: Language };
  bot?: Pick<BotResult, 'answered' | 'confidence'>;
  /** What the conversation record says about the bot answering (written only on change). */
  botAnsweredRecorded?: boolean;
  queue?: QueueState;
  /** Deadline (epoch ms) of the wait or survey node being run. */
  deadline?: number;
  agentId?: string;
  accepted: boolean;
  agentDone: boolean;
}

// Conversations whose history was recorded before this patch answer with two
// steps and restart the wait timer on each message; newer ones answer in one
// step and leave timers to fire (see timerBy). Histories of both kinds are
// replayed in the test suite. Deprecate once no run from before it is open.
const CHEAPER_MESSAGE_PATH = 'cheaper-message-path';

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

export function newConversationState(conversationId: string, pending: InboundMessage[] = [], seen: string[] = []): ConversationState {
  return { conversationId, status: 'bot', pending, seen, sent: 0, language: 'zh', accepted: false, agentDone: false };
}

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationSnapshot> {
  const memoId = workflowInfo().memo?.conversationId;
  const state = input.state ?? newConversationState(typeof memoId === 'string' ? memoId : uuid4());
  const ref: ConversationRef = { conversationId: state.conversationId, inboxId: input.inboxId, channel: input.channel, visitorId: input.visitorId };
  const seen = new Set(state.seen);
  const rulesEngines = new Map<string, RulesEvaluator>(); // by node id, built on first use
  let changes = 0; // bumped by every handler, so waits can wake on any change

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
    const proxy = proxyLocalActivities<Activities>({ ...options, summary: nodeId });
    return new Proxy(proxy, {
      get: (target, name: keyof Activities) => (input: never) => serially(() => (target[name] as (i: never) => Promise<unknown>)(input)),
    });
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
    changes++;
    return snapshot();
  }, { validator: requireWaiting });

  setHandler(agentReplyUpdate, async ({ agentId, text }) => {
    const messageId = await send(state.nodeId ?? 'reply', text, { author: 'agent', agentId });
    return { messageId };
  }, { validator: (input) => { requireAcceptedBy(input); if (!input.text.trim()) refuse('reply text is empty'); } });

  setHandler(closeUpdate, async ({ agentId }) => {
    await act(state.nodeId ?? 'close', AGENT_ACTION_OPTIONS).finishAgentWork({ ...ref, agentId });
    Object.assign(state, { agentDone: true, status: 'survey' });
    changes++;
    return snapshot();
  }, { validator: requireAcceptedBy });

  setHandler(snapshotQuery, snapshot);

  const nextMessageId = () => `${state.conversationId}:out:${state.sent + 1}`;
  async function send(nodeId: string, text: string, opts: { author: 'bot' | 'agent' | 'system'; agentId?: string; kind?: 'text' | 'survey' }) {
    const messageId = nextMessageId();
    state.sent++;
    await act(nodeId).sendMessage({ ...ref, messageId, text, author: opts.author, agentId: opts.agentId, kind: opts.kind ?? 'text', at: Date.now() });
    return messageId;
  }
  const say = (nodeId: string, key: SystemText, kind: 'text' | 'survey' = 'text') =>
    send(nodeId, systemTexts[key][state.language], { author: 'system', kind });

  async function normalizeNext(nodeId: string) {
    const inbound = state.pending.shift()!;
    const message = await act(nodeId).normalizeMessage({ ...ref, inbound, language: state.language });
    state.language = message.language;
    state.message = { text: message.text, type: message.type, language: message.language };
    return message;
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
    const seenChanges = changes;
    const wake = () => changes !== seenChanges || state.pending.length > 0;
    if (deadline === undefined) await condition(wake);
    else if (deadline > Date.now()) {
      if (patched(CHEAPER_MESSAGE_PATH)) await Promise.race([condition(wake), timerBy(deadline)]);
      else await condition(wake, deadline - Date.now());
    }
    await continueAsNewIfDue();
  }

  async function runQueue(node: FlowNode<QueueParameters>): Promise<string> {
    const p = { ...QUEUE_DEFAULTS, ...node.parameters };
    if (state.queue?.nodeId !== node.id) {
      state.queue = { nodeId: node.id, name: p.queue, slaDeadline: Date.now() + p.slaSeconds * 1000, slaChecked: false };
      state.status = 'queued';
      await act(node.id).enqueue({ ...ref, queue: p.queue, priority: p.priority });
      await say(node.id, 'queued');
    }
    const queue = state.queue;
    while (!state.agentDone) {
      // The customer may keep writing while waiting and while talking to the agent.
      while (state.pending.length > 0) await normalizeNext(node.id);
      if (!state.agentId) {
        const { agentId } = await act(node.id).tryAssign({ ...ref, queue: queue.name });
        if (agentId && !state.agentId) Object.assign(state, { agentId, status: 'assigned' });
      }
      if (!state.accepted && !queue.slaChecked && Date.now() >= queue.slaDeadline) {
        queue.slaChecked = true;
        const { escalated } = await act(node.id).escalate({ ...ref, queue: p.escalationQueue, priority: p.escalationPriority });
        if (escalated) {
          Object.assign(state, { agentId: undefined, status: 'queued' });
          queue.name = p.escalationQueue;
          await say(node.id, 'escalated');
        }
        continue;
      }
      if (state.agentDone) break;
      const deadlines = state.accepted ? [] : [
        ...(state.agentId ? [] : [Date.now() + p.assignRetrySeconds * 1000]),
        ...(queue.slaChecked ? [] : [queue.slaDeadline]),
      ];
      await waitForChange(deadlines.length ? Math.min(...deadlines) : undefined);
    }
    state.queue = undefined;
    return 'closed';
  }

  async function runSurvey(node: FlowNode<{ timeoutSeconds?: number }>): Promise<string> {
    if (state.deadline === undefined) {
      state.status = 'survey';
      await say(node.id, 'survey', 'survey');
      state.deadline = Date.now() + (node.parameters.timeoutSeconds ?? 300) * 1000;
    }
    for (;;) {
      while (state.pending.length > 0) {
        const rating = parseRating((await normalizeNext(node.id)).text);
        if (rating === undefined) {
          await say(node.id, 'surveyRetry', 'survey');
          continue;
        }
        await act(node.id).storeSurvey({ ...ref, agentId: state.agentId, rating, status: 'answered' });
        await say(node.id, 'thanks');
        state.deadline = undefined;
        return 'next';
      }
      if (Date.now() >= state.deadline) {
        await act(node.id).storeSurvey({ ...ref, agentId: state.agentId, status: 'timeout' });
        state.deadline = undefined;
        return 'next';
      }
      await waitForChange(state.deadline);
    }
  }

  async function runWait(node: FlowNode<{ timeoutSeconds?: number }>): Promise<string> {
    state.deadline ??= Date.now() + (node.parameters.timeoutSeconds ?? 600) * 1000;
    while (state.pending.length === 0 && Date.now() < state.deadline) await waitForChange(state.deadline);
    state.deadline = undefined;
    return state.pending.length > 0 ? 'message' : 'timeout';
  }

  async function runNode(node: FlowNode): Promise<string | undefined> {
    switch (node.type) {
      case 'start':
        await condition(() => state.pending.length > 0);
        return 'next';
      case 'normalize':
        await condition(() => state.pending.length > 0);
        await normalizeNext(node.id);
        return 'next';
      case 'bot': {
        const { faqSet = 'default', minConfidence = 0.5 } = node.parameters as { faqSet?: string; minConfidence?: number };
        if (!patched(CHEAPER_MESSAGE_PATH)) {
          const result = await act(node.id).botAnswer({ ...ref, faqSet, minConfidence, text: state.message?.text ?? '', language: state.language });
          state.bot = { answered: result.answered, confidence: result.confidence };
          if (result.answered && result.answer) await send(node.id, result.answer, { author: 'bot' });
          return 'next';
        }
        const result = await act(node.id).botReply({
          ...ref, faqSet, minConfidence, text: state.message?.text ?? '', language: state.language,
          replyId: nextMessageId(), at: Date.now(), recordedAnswered: state.botAnsweredRecorded,
        });
        if (result.answered) state.sent++; // the reply took the id
        state.bot = { answered: result.answered, confidence: result.confidence };
        state.botAnsweredRecorded = result.answered;
        return 'next';
      }
      case 'rules': {
        let evaluate = rulesEngines.get(node.id);
        if (!evaluate) rulesEngines.set(node.id, (evaluate = compileRules(node.parameters as unknown as RulesNodeParameters)));
        const facts = {
          message: state.message ?? { text: '', type: 'text', language: state.language },
          bot: state.bot ?? { answered: false, confidence: 0 },
          conversation: { channel: ref.channel, inboxId: ref.inboxId, status: state.status },
        };
        return (await evaluate(facts)).handle;
      }
      case 'wait':
        return runWait(node as FlowNode<{ timeoutSeconds?: number }>);
      case 'queue':
        return runQueue(node as FlowNode<QueueParameters>);
      case 'survey':
        return runSurvey(node as FlowNode<{ timeoutSeconds?: number }>);
      case 'close':
        return undefined;
      default:
        throw ApplicationFailure.nonRetryable(`unknown node type "${node.type}" at node "${node.id}"`, 'InvalidFlow');
    }
  }

  if (!state.flow) {
    state.flow = await act('start').startConversation(ref);
    state.nodeId = startNodeId(state.flow.definition);
  }
  const flow = state.flow.definition;
  while (state.nodeId) {
    const node = findNode(flow, state.nodeId);
    const handle = await runNode(node);
    state.nodeId = handle === undefined ? undefined : nextNodeId(flow, node.id, handle);
    await continueAsNewIfDue();
  }
  await act('close').closeConversation(ref);
  state.status = 'closed';
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
const QUEUE_DEFAULTS = { queue: 'general', priority: 0, slaSeconds: 60, escalationQueue: 'escalation', escalationPriority: 10, assignRetrySeconds: 5 };

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'Refused');
}

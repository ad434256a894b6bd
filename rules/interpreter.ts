// The flow interpreter: runs one node of a flow and says which handle it left
// through. The conversation workflow and the simulator both run flows with it;
// they differ only in the environment they give it (real local activities and
// durable waits, or dry-run steps that stop where the flow would wait).
// Workflow code: deterministic, no I/O of its own.
import type { BotResult, Language } from '../activities/types';
import { compileRules, ruleFacts, type RulesEvaluator, type RulesOutcome } from './evaluate';
import { timeFacts } from './facts';
import { withinBusinessHours } from './operators';
import type { FlowNode, RulesNodeParameters } from './flow';
import type { Bilingual, NodeRunResult } from './plugin';

export interface ContactFacts {
  id: string;
  name?: string;
  attributes: Record<string, unknown>;
  tags: string[];
  vip: boolean;
  segments: string[];
  orders: unknown[];
  channels: { channel: string; inboxId: string; externalId: string }[];
  /** The agent who last served this customer. */
  lastAgentId?: string;
}

export const emptyContact = (id: string): ContactFacts => ({ id, attributes: {}, tags: [], vip: false, segments: [], orders: [], channels: [] });

export interface MessageFacts {
  text: string;
  type: string;
  language: Language;
  sentiment?: 'negative' | 'neutral' | 'positive';
  /** The FAQ the bot matched best, once it has looked. */
  intent?: string;
}

/** What the flow knows between steps; part of the workflow state, so continue-as-new keeps it. */
export interface FlowFacts {
  message?: MessageFacts;
  bot?: { answered: boolean; confidence: number };
  contact?: ContactFacts;
  /** Facts provided by plugin nodes (`order`, `http`...), by fact name. */
  outputs?: Record<string, Record<string, unknown>>;
  /** Bot attempts in this conversation. */
  attempts?: number;
  /** From the start node: the calendar `time` facts are computed in. */
  calendar?: { timeZone: string; holidays: string[]; businessHours?: unknown };
}

/** The part of the conversation the facts show that the interpreter does not own. */
export interface ConversationView {
  channel: string;
  inboxId: string;
  status: string;
  waitSeconds: number;
  previousAgentId?: string;
  queue?: string;
}

/** One step as the timeline and the simulator show it. */
export interface StepRecord {
  nodeId: string;
  nodeType: string;
  handle?: string;
  rules?: RulesOutcome;
  note?: Bilingual;
  /** Text sent to the customer by this step. */
  sent?: string;
  at: number;
}

export interface InterpreterEnv {
  now(): number;
  conversation(): ConversationView;
  /** Resolves once a customer message is waiting to be normalized (the simulator stops instead when it has none). */
  awaitMessage(): Promise<void>;
  /** Normalizes and stores the next waiting message. */
  normalize(nodeId: string): Promise<MessageFacts>;
  /** Looks for an FAQ answer and sends it. */
  bot(nodeId: string, parameters: { faqSet: string; minConfidence: number }): Promise<BotResult>;
  /** Gathers the `queue` fact (I/O), only for rules that use it. */
  queueFacts(nodeId: string, queue: string): Promise<Record<string, unknown>>;
  /** Runs a plugin node's handler. */
  runPlugin(node: FlowNode, facts: Record<string, unknown>): Promise<NodeRunResult>;
  /** Runs a node that waits (wait, queue, escalate, transfer, survey, callback); returns its handle. */
  waitNode(node: FlowNode): Promise<string>;
  record(step: StepRecord): void;
}

/** Node types that wait for the customer, an agent or a timer; the environment runs them. */
export const WAITING_NODE_TYPES = new Set(['wait', 'queue', 'escalate', 'transfer', 'survey', 'callback']);

const NEGATIVE = ['投诉', '差评', '生气', '太差', '垃圾', '骗子', '退钱', 'angry', 'terrible', 'awful', 'complain', 'worst', 'scam'];
const POSITIVE = ['谢谢', '感谢', '满意', '很好', '太好了', 'thanks', 'thank you', 'great', 'perfect', 'love'];

/** A lexicon guess, good enough for rules such as "an angry customer goes first". */
export function sentimentOf(text: string): MessageFacts['sentiment'] {
  const t = text.normalize('NFKC').toLowerCase();
  if (NEGATIVE.some((w) => t.includes(w))) return 'negative';
  return POSITIVE.some((w) => t.includes(w)) ? 'positive' : 'neutral';
}

export function createInterpreter(facts: FlowFacts, env: InterpreterEnv) {
  const engines = new Map<string, { evaluate: RulesEvaluator; uses: Set<string> }>(); // by node id, built on first use

  /** The facts rules see now. */
  function currentFacts(): Record<string, unknown> {
    const c = env.conversation();
    const now = env.now();
    return {
      message: facts.message ?? { text: '', type: 'text', language: 'zh' },
      contact: facts.contact ?? emptyContact(''),
      bot: facts.bot ?? { answered: false, confidence: 0 },
      conversation: {
        channel: c.channel, inboxId: c.inboxId, status: c.status, waitSeconds: c.waitSeconds,
        botAnswered: facts.bot?.answered ?? false, botConfidence: facts.bot?.confidence ?? 0,
        attempts: facts.attempts ?? 0, previousAgentId: c.previousAgentId ?? facts.contact?.lastAgentId ?? '',
      },
      time: timeNow(now),
      ...facts.outputs,
    };
  }

  function timeNow(now: number) {
    const time = timeFacts(now, facts.calendar?.timeZone ?? 'Asia/Shanghai', facts.calendar?.holidays ?? []);
    return { ...time, open: withinBusinessHours(time, facts.calendar?.businessHours) };
  }

  async function runRules(node: FlowNode): Promise<RulesOutcome> {
    let engine = engines.get(node.id);
    if (!engine) {
      const parameters = node.parameters as unknown as RulesNodeParameters;
      engine = { evaluate: compileRules(parameters), uses: ruleFacts(parameters.rules) };
      engines.set(node.id, engine);
    }
    const known = currentFacts();
    if (engine.uses.has('queue')) known.queue = await env.queueFacts(node.id, env.conversation().queue ?? 'general');
    // A fact a plugin provides on another path is simply empty here, rather than failing the conversation.
    for (const fact of engine.uses) known[fact] ??= {};
    return engine.evaluate(known);
  }

  /** Runs the node; returns the handle it leaves through (undefined: the flow ends). */
  async function runNode(node: FlowNode): Promise<string | undefined> {
    const step = (handle: string | undefined, more: Partial<StepRecord> = {}) => {
      env.record({ nodeId: node.id, nodeType: node.type, handle, at: env.now(), ...more });
      return handle;
    };
    switch (node.type) {
      case 'start': {
        const p = node.parameters as { timeZone?: string; holidays?: string[]; businessHours?: unknown };
        facts.calendar = { timeZone: p.timeZone ?? 'Asia/Shanghai', holidays: p.holidays ?? [], businessHours: p.businessHours };
        await env.awaitMessage();
        return step('next');
      }
      case 'normalize': {
        await env.awaitMessage();
        facts.message = await env.normalize(node.id);
        return step('next');
      }
      case 'bot': {
        const { faqSet = 'default', minConfidence = 0.5 } = node.parameters as { faqSet?: string; minConfidence?: number };
        const result = await env.bot(node.id, { faqSet, minConfidence });
        facts.bot = { answered: result.answered, confidence: result.confidence };
        facts.attempts = (facts.attempts ?? 0) + 1;
        if (facts.message && result.faqId) facts.message.intent = result.faqId;
        return step('next', { sent: result.answered ? result.answer : undefined });
      }
      case 'rules': {
        const outcome = await runRules(node);
        return step(outcome.handle, { rules: outcome });
      }
      case 'close':
        return step(undefined);
      default: {
        if (WAITING_NODE_TYPES.has(node.type)) return step(await env.waitNode(node));
        const result = await env.runPlugin(node, currentFacts());
        applyResult(result);
        return step(result.handle, { note: result.note, sent: result.sent });
      }
    }
  }

  function applyResult(result: NodeRunResult) {
    if (result.output && result.fact) facts.outputs = { ...facts.outputs, [result.fact]: result.output };
    if (result.contact && facts.contact) {
      const { attributes, tags } = result.contact;
      facts.contact = { ...facts.contact, attributes: { ...facts.contact.attributes, ...attributes }, tags: tags ?? facts.contact.tags };
    }
  }

  return { runNode, currentFacts };
}

export type Interpreter = ReturnType<typeof createInterpreter>;

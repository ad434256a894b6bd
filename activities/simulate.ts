// The flow simulator: runs a flow on a sample message with the interpreter the
// conversation workflow uses, in an environment where nothing leaves the
// building (FAQ and queue lookups are reads; plugins run in dry-run mode). It
// stops where a real conversation would wait: for the customer, an agent or a
// timer.
import { createInterpreter, emptyContact, sentimentOf, type FlowFacts, type InterpreterEnv, type StepRecord } from '../rules/interpreter';
import { findNode, nextNodeId, startNodeId, type FlowDefinition } from '../rules/flow';
import type { SimulationInput, SimulationResult, StopReason } from '../rules/simulation';
import { assignmentActivities } from './assignment';
import { matchFaq } from './bot';
import { pluginRunner } from './plugin-runner';
import { NO_INTEGRATIONS, type Integrations } from './plugins/types';
import type { Models } from './store';
import { detectLanguage } from './unified-message';

/** A flow that loops without waiting is refused at publish; this bounds a draft that does. */
const MAX_STEPS = 100;

class Stop {
  constructor(readonly reason: StopReason) {}
}

const WAIT_REASON: Record<string, StopReason> = { wait: 'waiting', survey: 'waiting', callback: 'waiting', queue: 'queued', escalate: 'queued', transfer: 'queued' };

export async function simulateFlow(
  models: Models, flow: FlowDefinition, input: SimulationInput, integrations: Integrations = NO_INTEGRATIONS,
): Promise<SimulationResult> {
  const now = input.clock ? Date.parse(input.clock) : Date.now();
  const inboxId = input.inboxId ?? 'simulator';
  const language = input.language ?? detectLanguage(input.message.text, 'zh');
  const facts: FlowFacts = {
    contact: { ...emptyContact(`${inboxId}:simulator`), ...input.contact, attributes: input.contact?.attributes ?? {} },
  };
  const steps: StepRecord[] = [];
  let pending: string | undefined = input.message.text;
  const runPlugin = pluginRunner({ models, storeMessage: async () => undefined, ...integrations });
  const { queueFacts } = assignmentActivities(models);

  const env: InterpreterEnv = {
    now: () => now,
    conversation: () => ({ channel: input.channel, inboxId, status: 'bot', waitSeconds: 0 }),
    async awaitMessage() {
      if (pending === undefined) throw new Stop('waiting');
    },
    async normalize() {
      const text = pending!.normalize('NFC').trim();
      pending = undefined;
      return { text, type: 'text', language: detectLanguage(text, language), sentiment: sentimentOf(text) };
    },
    async bot(_nodeId, p) {
      const faqs = await models.Faq.find({ faqSet: p.faqSet }).lean();
      return matchFaq(faqs, { ...p, text: facts.message?.text ?? '', language: facts.message?.language ?? language });
    },
    queueFacts: (_nodeId, queue) => queueFacts({ queue }),
    runPlugin: (node, known) => runPlugin({
      conversationId: 'simulation', inboxId, channel: input.channel, visitorId: 'simulator',
      nodeId: node.id, type: node.type, typeVersion: node.typeVersion, parameters: node.parameters,
      facts: known, language: facts.message?.language ?? language, now, messageId: 'simulation', dryRun: true,
    }),
    async waitNode(node) {
      throw new Stop(WAIT_REASON[node.type] ?? 'waiting');
    },
    record: (step) => void steps.push(step),
  };
  const interpreter = createInterpreter(facts, env);

  let nodeId: string | undefined = startNodeId(flow);
  let stoppedAt: SimulationResult['stoppedAt'] = { reason: 'closed' };
  for (let n = 0; nodeId !== undefined; n++) {
    if (n === MAX_STEPS) {
      stoppedAt = { nodeId, reason: 'step-limit', message: { zh: `走了 ${MAX_STEPS} 步仍未等待客户或客服，流程可能在空转。`, en: `${MAX_STEPS} steps without waiting for the customer or an agent: the flow may loop.` } };
      break;
    }
    const node = findNode(flow, nodeId);
    try {
      const handle = await interpreter.runNode(node);
      nodeId = handle === undefined ? undefined : nextNodeId(flow, node.id, handle);
    } catch (err) {
      steps.push({ nodeId: node.id, nodeType: node.type, at: now }); // where it stopped is part of the path
      stoppedAt = err instanceof Stop
        ? { nodeId, reason: err.reason }
        : { nodeId, reason: 'error', message: { zh: `出错：${(err as Error).message}`, en: `Error: ${(err as Error).message}` } };
      break;
    }
  }
  return {
    path: steps.map((s) => ({ nodeId: s.nodeId, type: s.nodeType, handle: s.handle, note: s.note, rules: s.rules, sent: s.sent })),
    facts: interpreter.currentFacts(),
    replies: steps.flatMap((s) => (s.sent ? [s.sent] : [])),
    stoppedAt,
  };
}

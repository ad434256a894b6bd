// The routing events the conversation's own steps imply, emitted around the
// activities rather than inside them: each listed activity, after it
// succeeded, emits its event from its input and result (reading the
// conversation where those do not say whose it is). An activity that throws
// emits nothing, and nothing here can fail an activity that succeeded.
import type { assignmentActivities } from './assignment';
import { EVERY_AGENT, type EmitEvent, type RoutingEvent } from './events';
import type { messageActivities } from './messages';
import type { Models } from './store';
import type { surveyActivities } from './survey';
import type { ConversationRef } from './types';

type Sources = ReturnType<typeof assignmentActivities> & ReturnType<typeof messageActivities> & ReturnType<typeof surveyActivities>;
type Watched = Pick<Sources,
  'enqueue' | 'tryAssign' | 'withdrawOffer' | 'acceptConversation' | 'transferConversation' | 'escalate'
  | 'recordSlaBreach' | 'finishAgentWork' | 'storeSurvey' | 'normalizeMessage'>;
type EventOf<K extends keyof Watched> = (
  m: Models, input: Parameters<Watched[K]>[0], result: Awaited<ReturnType<Watched[K]>>,
) => Promise<RoutingEvent | undefined> | RoutingEvent | undefined;

/** A message preview is enough to notify; the console reads the message itself from the conversation. */
const PREVIEW_LENGTH = 200;

const about = ({ conversationId, inboxId, channel }: ConversationRef) => ({ conversationId, inboxId, channel });

const holder = (m: Models, conversationId: string) =>
  m.Conversation.findById(conversationId).select({ agentId: 1, status: 1, queue: 1 }).lean();

const EVENTS: { [K in keyof Watched]: EventOf<K> } = {
  enqueue: (_m, input) => ({
    type: 'conversation.queued', ...about(input), queue: input.queue, data: { priority: input.priority }, audience: [EVERY_AGENT],
  }),

  // Only a fresh offer carries its timeout; a result naming the agent who holds it already is no new offer.
  tryAssign: (_m, input, result) => (result.agentId && result.offerTimeoutSeconds !== undefined ? {
    type: 'conversation.offered', ...about(input), agentId: result.agentId, queue: input.queue,
    data: { offerTimeoutSeconds: result.offerTimeoutSeconds }, audience: [result.agentId],
  } : undefined),

  // The activity leaves an offer the agent accepted meanwhile alone: then nothing was withdrawn.
  // Other agents never saw the offer (to them it kept waiting); a conversation taken back
  // after `silence` had left the queue when accepted, and now waits in it again.
  withdrawOffer: async (m, input) => {
    const conv = await holder(m, input.conversationId);
    if (conv?.agentId === input.agentId) return undefined;
    return {
      type: 'conversation.offer-withdrawn', ...about(input), agentId: input.agentId, queue: conv?.queue ?? undefined,
      data: { reason: input.reason }, audience: input.reason === 'silence' ? [input.agentId, EVERY_AGENT] : [input.agentId],
    };
  },

  acceptConversation: (_m, input) => ({
    type: 'conversation.accepted', ...about(input), agentId: input.agentId, data: {}, audience: [input.agentId, EVERY_AGENT],
  }),

  transferConversation: (_m, input) => ({
    type: 'conversation.transferred', ...about(input), queue: input.queue,
    ...(input.note ? { agentId: input.note.from } : {}),
    data: { queue: input.queue, ...(input.note?.text ? { note: input.note.text } : {}) },
    audience: [EVERY_AGENT],
  }),

  escalate: (_m, input, result) => (result.escalated ? {
    type: 'conversation.escalated', ...about(input), queue: input.queue, data: { queue: input.queue, priority: input.priority }, audience: [EVERY_AGENT],
  } : undefined),

  recordSlaBreach: async (m, input) => {
    const conv = await holder(m, input.conversationId);
    const agentId = conv?.agentId ?? undefined;
    return {
      type: 'sla.breached', ...about(input), agentId, queue: conv?.queue ?? undefined,
      data: { kind: input.kind, due: new Date(input.due).toISOString() }, audience: agentId ? [agentId] : [],
    };
  },

  finishAgentWork: (_m, input) => ({
    type: 'conversation.closed', ...about(input), agentId: input.agentId, data: {}, audience: [input.agentId],
  }),

  // The rating, once: a later call with the follow-up question's answer (comment) is no new rating.
  storeSurvey: (_m, input) => (input.status === 'answered' && input.rating !== undefined && input.comment === undefined ? {
    type: 'survey.rated', ...about(input), agentId: input.agentId, data: { rating: input.rating }, audience: input.agentId ? [input.agentId] : [],
  } : undefined),

  normalizeMessage: async (m, input, message) => {
    const conv = await holder(m, input.conversationId);
    if (conv?.status !== 'assigned' || !conv.agentId) return undefined;
    return {
      type: 'conversation.message', ...about(input), agentId: conv.agentId, queue: conv.queue ?? undefined,
      data: { messageId: message.id, preview: message.text.slice(0, PREVIEW_LENGTH) }, audience: [conv.agentId],
    };
  },
};

/** The same activities, each watched one emitting its event after it succeeded. */
export function withRoutingEvents<T extends Watched>(activities: T, m: Models, emit: EmitEvent): T {
  const decorated = { ...activities };
  for (const name of Object.keys(EVENTS) as (keyof Watched)[]) {
    const run = activities[name] as (input: unknown) => Promise<unknown>;
    const eventOf = EVENTS[name] as (m: Models, input: unknown, result: unknown) => Promise<RoutingEvent | undefined> | RoutingEvent | undefined;
    const watched = async (input: unknown) => {
      const result = await run(input);
      try {
        const event = await eventOf(m, input, result);
        if (event) await emit(event);
      } catch (err) {
        console.error(`[huiliu] no routing event for ${name}: ${(err as Error).message}`);
      }
      return result;
    };
    Object.assign(decorated, { [name]: watched });
  }
  return decorated;
}

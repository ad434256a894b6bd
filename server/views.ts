// What the API shows of stored documents.
import type { ConversationDoc, FlowStepDoc, MessageDoc } from '../activities/store/models';
import type { ContentType, MediaRef, MessageCard, MessageChoice } from '../activities/types';
import type { RulesOutcome } from '../rules/evaluate';

type WithId<T> = T & { _id: string };

/** The fields that have a value (lean documents read absent optionals as null or undefined). */
const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as { [K in keyof T]?: NonNullable<T[K]> };

export function messageView(m: WithId<MessageDoc>) {
  return {
    id: m._id,
    conversationId: m.conversationId,
    inboxId: m.inboxId,
    visitorId: m.visitorId,
    direction: m.direction,
    author: m.author,
    ...(m.agentId ? { agentId: m.agentId } : {}),
    text: m.text,
    kind: m.kind ?? 'text',
    /** What it carries (the unified message's content type): text, image, voice, video, file, location, sticker, event, rich. */
    type: (m.type ?? 'text') as ContentType,
    ...(Array.isArray(m.media) && m.media.length ? { media: m.media as MediaRef[] } : {}),
    ...(m.location ? { location: { latitude: m.location.latitude, longitude: m.location.longitude, ...(m.location.label ? { label: m.location.label } : {}) } } : {}),
    ...(m.event ? { event: { name: m.event.name, ...(m.event.key ? { key: m.event.key } : {}) } } : {}),
    ...(m.link ? { link: withoutNulls({ url: m.link.url, title: m.link.title, description: m.link.description, imageUrl: m.link.imageUrl }) } : {}),
    ...(m.transcript ? { transcript: m.transcript } : {}),
    ...(m.language ? { language: m.language } : {}),
    ...(m.choices?.length ? { choices: (m.choices as MessageChoice[]).map(({ id, label }) => ({ id, label })) } : {}),
    ...(m.card ? { card: m.card as MessageCard } : {}),
    ...(m.clientMessageId ? { clientMessageId: m.clientMessageId } : {}),
    ...(m.delivery?.status ? { delivery: { status: m.delivery.status, ...(m.delivery.error ? { error: m.delivery.error } : {}) } } : {}),
    at: m.at.toISOString(),
  };
}

export type MessageView = ReturnType<typeof messageView>;

export function conversationView(c: WithId<ConversationDoc>) {
  return {
    id: c._id,
    inboxId: c.inboxId,
    channel: c.channel,
    visitorId: c.visitorId,
    status: c.status,
    flowId: c.flowId,
    flowVersion: c.flowVersion,
    language: c.language ?? null,
    botAnswered: c.botAnswered ?? null,
    queue: c.queue ?? null,
    priority: c.priority ?? null,
    agentId: c.agentId ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    escalated: c.escalated ?? false,
    /** Why the agent it was last offered to was picked: strategy, reason ({zh, en}) and scores. */
    assignment: c.assignment ?? null,
    /** SLA targets missed: [{kind: firstResponse | nextResponse | resolution, due, at}]. */
    slaBreaches: ((c.slaBreaches ?? []) as { kind: string; due: Date; at: Date }[]).map((b) => ({ kind: b.kind, due: b.due.toISOString(), at: b.at.toISOString() })),
    /** The previous agent's note when they transferred it: {from, text, at}. */
    transferNote: c.transferNote?.text ? { from: c.transferNote.from, text: c.transferNote.text, at: c.transferNote.at?.toISOString() ?? null } : null,
    rating: c.rating ?? null,
    surveyStatus: c.surveyStatus ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

export function flowStepView(s: FlowStepDoc) {
  return {
    id: s._id,
    nodeId: s.nodeId,
    nodeType: s.nodeType,
    handle: s.handle ?? null,
    ...(s.rules ? { rules: s.rules as RulesOutcome } : {}),
    ...(s.note?.zh || s.note?.en ? { note: { zh: s.note.zh ?? '', en: s.note.en ?? '' } } : {}),
    at: s.at.toISOString(),
  };
}

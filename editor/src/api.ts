// Typed client for the Huiliu HTTP API (same origin, JSON). Optional fields
// may come as null as well as absent.
import type { RulesOutcome } from '../../rules/evaluate';
import type { ContentType, MediaRef, MessageCard } from '../../activities/types';

export type { ContentType, MediaRef, MessageCard };

export type Author = 'visitor' | 'bot' | 'agent' | 'system';

/** An answer offered with a message; picking it sends `label` as the visitor's own message. */
export interface MessageChoice {
  id: string;
  label: string;
}

export interface Message {
  id: string;
  conversationId: string;
  inboxId: string;
  visitorId: string;
  direction: 'in' | 'out';
  author: Author;
  agentId?: string | null;
  agentName?: string | null;
  text: string;
  kind?: 'text' | 'survey' | null;
  /** Answers the visitor can pick (a survey's ratings); `text` lists them too. */
  choices?: MessageChoice[] | null;
  /** A card sent with the text (the reply node's). */
  card?: MessageCard | null;
  clientMessageId?: string | null;
  at: string;
  /** What it carries (the unified message's content type); absent or null: text. `text` stays readable on its own. */
  type?: ContentType | null;
  /** Pictures, recordings, clips or files, by reference. */
  media?: MediaRef[] | null;
  location?: { latitude: number; longitude: number; label?: string } | null;
  /** A channel event (type event): subscribe, unsubscribe, click (key: the menu item's key)... */
  event?: { name: string; key?: string } | null;
  /** A shared link or card (type rich). */
  link?: { url: string; title?: string; description?: string; imageUrl?: string } | null;
  /** On a voice message whose text is a transcript: who made it. */
  transcript?: 'provider' | 'recognizer' | null;
  language?: 'zh' | 'en' | null;
}

export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'survey' | 'closed';

export interface Conversation {
  id: string;
  inboxId: string;
  channel: string;
  visitorId: string;
  status: ConversationStatus;
  queue?: string | null;
  priority?: number | null;
  agentId?: string | null;
  acceptedAt?: string | null;
  flowId: string;
  flowVersion: number;
  escalated?: boolean | null;
  rating?: number | null;
  createdAt: string;
  updatedAt: string;
  lastMessage?: Message | null;
}

export interface Survey {
  rating?: number | null;
  status: 'answered' | 'timeout';
  agentId?: string | null;
}

/** A step of the conversation's flow: a rules decision, or what a plugin node did. */
export interface FlowStep {
  id: string;
  nodeId: string;
  nodeType: string;
  handle: string | null;
  rules?: RulesOutcome;
  note?: { zh: string; en: string };
  at: string;
}

export interface ConversationDetail extends Conversation {
  messages: Message[];
  timeline?: ({ kind: 'message'; at: string; message: Message } | { kind: 'step'; at: string; step: FlowStep })[];
  survey?: Survey | null;
}

export type AgentStatus = 'online' | 'offline';

export interface Me {
  id: string;
  name: string;
  role: 'agent' | 'analyst' | 'operator' | 'supervisor' | 'admin';
  status: AgentStatus;
  capacity: number;
  free: number;
}

/**
 * A failed API call. `status` is 0 when the server could not be reached;
 * `message` is the server's `error` text, empty when it sent none.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
  }
}

/** Turns the `details` of an API error (text, a list of problems or an object) into one readable line. */
export function formatDetails(details: unknown): string | undefined {
  if (details === undefined || details === null || details === '') return undefined;
  if (typeof details === 'string') return details;
  if (Array.isArray(details)) {
    return details.map((item) => formatDetails(item)).filter(Boolean).join('; ') || undefined;
  }
  if (typeof details !== 'object') return String(details);
  const fields: Record<string, unknown> = { ...details };
  if (typeof fields.message === 'string') {
    const where = fields.path ?? fields.instancePath;
    return typeof where === 'string' && where ? `${where}: ${fields.message}` : fields.message;
  }
  const shown = Object.entries(fields).filter(([, value]) => value !== null && value !== undefined);
  return shown.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ') || undefined;
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

export async function request<T>(path: string, { method = 'GET', body, token, signal }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, '');
  }
  const payload: unknown = await response.json().catch(() => undefined);
  signal?.throwIfAborted();
  if (!response.ok || payload === undefined) throw apiError(response.status, payload);
  return payload as T;
}

/** The ApiError for a failed call, from its `{error, details}` body when it has one. */
function apiError(status: number, payload: unknown): ApiError {
  const { error, details } = (payload ?? {}) as { error?: unknown; details?: unknown };
  return new ApiError(status, typeof error === 'string' ? error : '', details);
}

const segment = encodeURIComponent;

function visitorPath(inboxId: string, visitorId: string): string {
  return `/api/v1/webchat/${segment(inboxId)}/visitors/${segment(visitorId)}`;
}

// Visitor (web chat widget) endpoints.

export function sendVisitorMessage(
  inboxId: string,
  message: { visitorId: string; clientMessageId: string; text: string },
): Promise<{ conversationId: string }> {
  return request(`/api/v1/webchat/${segment(inboxId)}/messages`, { method: 'POST', body: message });
}

export function getVisitorMessages(inboxId: string, visitorId: string): Promise<{ messages: Message[] }> {
  return request(`${visitorPath(inboxId, visitorId)}/messages`);
}

export function visitorStreamUrl(inboxId: string, visitorId: string): string {
  return `${visitorPath(inboxId, visitorId)}/stream`;
}

// Agent endpoints (Bearer token).

export function getMe(token: string, signal?: AbortSignal): Promise<Me> {
  return request('/api/v1/me', { token, signal });
}

export function setMyStatus(token: string, status: AgentStatus): Promise<Me> {
  return request('/api/v1/me/status', { method: 'POST', token, body: { status } });
}

export function listConversations(token: string, signal?: AbortSignal): Promise<{ conversations: Conversation[] }> {
  return request('/api/v1/conversations?status=queued,assigned', { token, signal });
}

export function getConversation(token: string, id: string, signal?: AbortSignal): Promise<ConversationDetail> {
  return request(`/api/v1/conversations/${segment(id)}`, { token, signal });
}

/**
 * A message's media item (`index` in its `media`): our copy, or the channel's
 * file fetched now (WeChat and WeCom keep it three days). A Blob, since the
 * route needs the agent's token, which an <audio> or <img> cannot send.
 */
export async function getMessageMedia(token: string, conversationId: string, messageId: string, index: number): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/conversations/${segment(conversationId)}/media/${segment(messageId)}/${index}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, '');
  }
  if (!response.ok) throw apiError(response.status, await response.json().catch(() => undefined));
  return response.blob();
}

export function acceptConversation(token: string, id: string): Promise<Conversation> {
  return request(`/api/v1/conversations/${segment(id)}/accept`, { method: 'POST', token });
}

export function replyToConversation(token: string, id: string, text: string): Promise<{ id: string }> {
  return request(`/api/v1/conversations/${segment(id)}/messages`, { method: 'POST', token, body: { text } });
}

/** Asks the customer for their rating now (the agent holding the conversation). */
export function requestSurvey(token: string, id: string): Promise<Conversation> {
  return request(`/api/v1/conversations/${segment(id)}/survey`, { method: 'POST', token });
}

export function closeConversation(token: string, id: string): Promise<Conversation> {
  return request(`/api/v1/conversations/${segment(id)}/close`, { method: 'POST', token });
}

// The web chat API as the widget's page calls it (same origin as the page).
import { ApiError, request, type Message } from '../src/api';
import type { UploadKind, UploadLimits } from './files';
import type { Identity } from './protocol';

const segment = encodeURIComponent;
const inboxPath = (inboxId: string) => `/api/v1/webchat/${segment(inboxId)}`;
const visitorPath = (inboxId: string, visitorId: string) => `${inboxPath(inboxId)}/visitors/${segment(visitorId)}`;

export interface Session {
  /** Whom the conversation is with: `user:<userId>` when the identity verified, else the anonymous id. */
  visitorId: string;
  identified: boolean;
  inbox: { id: string; name: string };
  uploads: UploadLimits;
}

export function startSession(inboxId: string, anonymousId: string, identity: Identity | null): Promise<Session> {
  return request(`${inboxPath(inboxId)}/session`, { method: 'POST', body: { visitorId: anonymousId, ...identity } });
}

export interface SendRequest {
  clientMessageId: string;
  text?: string;
  media?: string[];
}

export function sendMessage(inboxId: string, anonymousId: string, identity: Identity | null, message: SendRequest): Promise<{ conversationId: string; visitorId: string; identified: boolean }> {
  return request(`${inboxPath(inboxId)}/messages`, { method: 'POST', body: { visitorId: anonymousId, ...message, ...identity } });
}

/** The stream of a visitor; a verified user's carries their signature (EventSource cannot set headers). */
export function streamUrl(inboxId: string, visitorId: string, identity: Identity | null, after: string | undefined): string {
  const query = new URLSearchParams();
  if (after) query.set('after', after);
  if (visitorId.startsWith('user:') && identity) query.set('userHash', identity.userHash);
  const q = query.toString();
  return `${visitorPath(inboxId, visitorId)}/stream${q ? `?${q}` : ''}`;
}

export function sendTyping(inboxId: string, visitorId: string, identity: Identity | null, typing: boolean, conversationId: string): Promise<{ delivered: boolean }> {
  return request(`${visitorPath(inboxId, visitorId)}/typing`, {
    method: 'POST', body: { typing, conversationId, ...(visitorId.startsWith('user:') && identity ? { userHash: identity.userHash } : {}) },
  });
}

export interface Uploaded {
  mediaId: string;
  url: string;
  kind: UploadKind;
  mime: string;
  name: string;
  size: number;
}

/** Uploads the file's bytes as they are; its name travels percent-encoded. */
export async function upload(inboxId: string, visitorId: string, identity: Identity | null, file: Blob & { name: string }, type: string): Promise<Uploaded> {
  const headers: Record<string, string> = { 'Content-Type': type, 'X-File-Name': encodeURIComponent(file.name), Accept: 'application/json' };
  if (visitorId.startsWith('user:') && identity) headers['X-User-Hash'] = identity.userHash;
  let response: Response;
  try {
    response = await fetch(`${visitorPath(inboxId, visitorId)}/uploads`, { method: 'POST', headers, body: file });
  } catch {
    throw new ApiError(0, '');
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok || payload === undefined) {
    const { error, details } = (payload ?? {}) as { error?: unknown; details?: unknown };
    throw new ApiError(response.status, typeof error === 'string' ? error : '', details);
  }
  return payload as Uploaded;
}

/** Worth trying again: the server was not reached, or is briefly unavailable. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

export type { Message };

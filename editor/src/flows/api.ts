// Typed client for the flows API and the catalogs the editor builds on
// (same origin, JSON, Bearer token). Errors are the console's ApiError, so
// ErrorNotice shows the server's `{error, details}`.
import { ApiError, type Me } from '../api';
import type { FlowDiff } from '../../../rules/diff-flows';
import type { FlowDefinition } from '../../../rules/flow';
import type { RulesOutcome } from '../../../rules/evaluate';
import type { OperatorInfo } from '../../../rules/operators';
import type { Bilingual, NodeTypeDefinition } from '../../../rules/plugin';
import type { SimulatedStep, SimulationInput, SimulationResult } from '../../../rules/simulation';
import type { FlowIssue } from '../../../rules/validate-flow';
import type { FactEntry } from './rule-model';

export type { Bilingual, FlowDefinition, FlowDiff, FlowIssue, NodeTypeDefinition, RulesOutcome, SimulatedStep, SimulationInput, SimulationResult };

export interface FlowSummary {
  id: string;
  name: string;
  description: string | null;
  publishedVersion: number;
  draftRevision: number;
  updatedAt: string | null;
  inboxes: string[];
}

/** A row of the flow list: with its live version and whether the draft differs from it. */
export interface FlowListEntry extends FlowSummary {
  live: FlowVersion | null;
  draftStatus: 'new' | 'changed' | 'same' | 'unknown';
}

export interface FlowDetail extends FlowSummary {
  draftUpdatedBy: string | null;
  draftUpdatedAt: string | null;
  createdAt: string | null;
  draft: FlowDefinition;
}

export interface Validation {
  ok: boolean;
  issues: FlowIssue[];
}

export interface SavedDraft {
  id: string;
  draftRevision: number;
  draftUpdatedBy: string;
  draftUpdatedAt: string;
  validation: Validation;
}

export interface FlowVersion {
  version: number;
  publishedBy: string | null;
  publishedAt: string | null;
  message: string | null;
  rollbackOf: number | null;
}

export interface FactsCatalog {
  /** Catalog facts, and provided ones (from node types' `provides`) with their schema. */
  facts: FactEntry[];
  operators: OperatorInfo[];
}

export interface Inbox {
  id: string;
  name: string;
  channel: string;
}

/** What flows may name: the pickers' options. */
export interface Records {
  queues: { id: string; name: string }[];
  inboxes: Inbox[];
  faqSets: string[];
  agents: { id: string; name: string }[];
  skills: string[];
}

/** The details of a 409 on a stale draft save. */
export interface StaleDraftDetails {
  currentRevision: number;
  savedBy: string | null;
  savedByName: string | null;
  savedAt: string | null;
}

export type VersionRef = number | 'draft';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function call<T>(token: string, method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, '');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok || payload === undefined) {
    const { error, details } = (payload ?? {}) as { error?: unknown; details?: unknown };
    throw new ApiError(response.status, typeof error === 'string' ? error : '', details);
  }
  return payload as T;
}

const seg = encodeURIComponent;

/** Where the flows pages keep the signed-in person's token. */
export const TOKEN_KEY = 'huiliu.flowsToken';

/** The flows API for one signed-in person. */
export function flowsApi(token: string) {
  return {
    token,
    me: (signal?: AbortSignal) => call<Me>(token, 'GET', '/me', undefined, signal),
    list: (signal?: AbortSignal) => call<{ flows: FlowListEntry[] }>(token, 'GET', '/flows', undefined, signal).then((r) => r.flows),
    /** Without a definition the server starts the draft from the default flow. */
    create: (name: string, definition?: unknown) => call<FlowDetail & { validation: Validation }>(token, 'POST', '/flows', { name, ...(definition ? { definition } : {}) }),
    get: (id: string, signal?: AbortSignal) => call<FlowDetail>(token, 'GET', `/flows/${seg(id)}`, undefined, signal),
    saveDraft: (id: string, definition: FlowDefinition, revision: number) =>
      call<SavedDraft>(token, 'PUT', `/flows/${seg(id)}/draft`, { definition, revision }),
    validate: (id: string) => call<Validation>(token, 'POST', `/flows/${seg(id)}/validate`, {}),
    publish: (id: string, message: string, revision: number) =>
      call<FlowVersion>(token, 'POST', `/flows/${seg(id)}/publish`, { message, revision }),
    rollback: (id: string, version: number, message: string) =>
      call<FlowVersion>(token, 'POST', `/flows/${seg(id)}/rollback`, { version, message }),
    versions: (id: string, signal?: AbortSignal) =>
      call<{ versions: FlowVersion[] }>(token, 'GET', `/flows/${seg(id)}/versions`, undefined, signal).then((r) => r.versions),
    version: (id: string, n: number) => call<FlowVersion & { definition: FlowDefinition }>(token, 'GET', `/flows/${seg(id)}/versions/${n}`),
    diff: (id: string, from: VersionRef, to: VersionRef, signal?: AbortSignal) =>
      call<{ from: VersionRef; to: VersionRef; diff: FlowDiff }>(token, 'GET', `/flows/${seg(id)}/diff?from=${from}&to=${to}`, undefined, signal),
    simulate: (id: string, input: SimulationInput) => call<SimulationResult>(token, 'POST', `/flows/${seg(id)}/simulate`, input),
    nodeTypes: (signal?: AbortSignal) =>
      call<{ nodeTypes: NodeTypeDefinition[] }>(token, 'GET', '/node-types', undefined, signal).then((r) => r.nodeTypes),
    facts: (signal?: AbortSignal) => call<FactsCatalog>(token, 'GET', '/facts', undefined, signal),
    records: (signal?: AbortSignal) => call<Records>(token, 'GET', '/records', undefined, signal),
  };
}

export type FlowsApi = ReturnType<typeof flowsApi>;

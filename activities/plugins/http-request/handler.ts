// The http-request node at run time: fills the request in from the facts,
// calls through the net guard, and turns the answer into the `http` fact.
// Permanent failures leave through the `error` handle; trouble a retry may
// cure (timeouts, connection failures, 408/429/5xx) is thrown, so the
// interpreter's activity retries it.
import { createHash } from 'node:crypto';
import type { NodeRunInput, NodeRunResult } from '../../../rules/plugin';
import { checkUrl, guardedRequest, isRetryableStatus, NetGuardError, type GuardedRequest, type GuardedResponse, type NetGuardErrorCode } from '../net-guard';
import { renderTemplate } from '../template';
import type { NodeHandler, PluginDeps } from '../types';

/** Headers an analyst may set: none carries a secret (no Authorization, Cookie, API keys) or changes where the request goes (Host). */
export const SAFE_HEADERS = ['Accept', 'Accept-Language', 'X-Request-Id', 'X-Correlation-Id'] as const;

/** Bounds and defaults of the numeric parameters, shared by the parameters schema and the handler. */
export const LIMITS = {
  timeoutMs: { minimum: 100, maximum: 10_000, default: 3000 },
  maxResponseBytes: { minimum: 1024, maximum: 128 * 1024, default: 64 * 1024 },
} as const;

/** What `http.error` says after the error handle. */
export const FAILURE_CODES = [
  'status', 'invalid-parameters', 'invalid-body', 'bad-url', 'bad-request', 'host-not-allowed', 'private-address', 'redirect', 'too-large',
] as const satisfies readonly (NetGuardErrorCode | 'status' | 'invalid-parameters' | 'invalid-body')[];
type FailureCode = (typeof FAILURE_CODES)[number];

interface RenderedRequest extends GuardedRequest {
  /** Variables that rendered empty, for the note. */
  missing: string[];
}

export function createHttpRequestHandler({ http }: Pick<PluginDeps, 'http'>): NodeHandler {
  return async (input) => {
    const request = renderRequest(input);
    if (typeof request === 'string') return failure('invalid-parameters', request);
    if (request.body !== undefined && !isJson(request.body)) {
      return failure('invalid-body', 'the body is not valid JSON once its variables are filled in');
    }
    const empty = request.missing.length ? ` (${request.missing.join(', ')} = "")` : '';
    try {
      if (input.dryRun) {
        checkUrl(request.url, http); // an allow-list refusal is worth showing in the simulator too
        const call = `${request.method} ${request.url}${empty}`;
        return { handle: 'ok', note: { zh: `模拟运行，未发出请求：${call}`, en: `Dry run, not sent: ${call}` } };
      }
      return answered(await guardedRequest(request, http), request, empty);
    } catch (err) {
      // Every code a permanent NetGuardError carries is a FailureCode.
      if (err instanceof NetGuardError && !err.retryable) return failure(err.code as FailureCode, err.message);
      throw err;
    }
  };
}

/** The request as the node's parameters describe it, filled in from the facts; or what is wrong with the parameters. */
function renderRequest({ parameters: p, facts, conversationId, nodeId, messageId }: NodeRunInput): RenderedRequest | string {
  if (p.method !== 'GET' && p.method !== 'POST') return `method must be GET or POST, not ${String(p.method)}`;
  if (typeof p.url !== 'string') return 'url is missing';
  const chosen = Array.isArray(p.headers) ? (p.headers as { name?: unknown; value?: unknown }[]) : [];
  const refused = chosen.find((h) => !(SAFE_HEADERS as readonly unknown[]).includes(h.name) || typeof h.value !== 'string');
  if (refused) return `header ${String(refused.name)} may not be set in a flow`;

  const url = renderTemplate(p.url, facts, { encode: encodeURIComponent });
  const missing = new Set(url.missing);
  const headers: Record<string, string> = { 'user-agent': 'Huiliu', accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
  for (const { name, value } of chosen as { name: string; value: string }[]) {
    const rendered = renderTemplate(value, facts);
    rendered.missing.forEach((m) => missing.add(m));
    headers[name.toLowerCase()] = headerSafe(rendered.text);
  }

  let body: string | undefined;
  if (p.method === 'POST' && typeof p.body === 'string' && p.body.trim() !== '') {
    const rendered = renderTemplate(p.body, facts, { encode: jsonStringContent });
    rendered.missing.forEach((m) => missing.add(m));
    body = rendered.text;
    headers['content-type'] = 'application/json';
  }
  if (p.method === 'POST') {
    // The same key on every retry of this node run, so a receiver that honours it does the work once.
    headers['idempotency-key'] = createHash('sha256').update(`${conversationId}\n${nodeId}\n${messageId}`).digest('hex').slice(0, 32);
  }

  return {
    method: p.method, url: url.text, headers, body, missing: [...missing],
    timeoutMs: bounded(p.timeoutMs, LIMITS.timeoutMs),
    maxResponseBytes: bounded(p.maxResponseBytes, LIMITS.maxResponseBytes),
  };
}

function answered(response: GuardedResponse, request: RenderedRequest, empty: string): NodeRunResult {
  const { status } = response;
  const url = new URL(request.url);
  // No query string in the timeline: it often carries customer data.
  const call = `${request.method} ${url.origin}${url.pathname}`;
  if (isRetryableStatus(status)) throw new Error(`${call} answered ${status}`);
  const ok = status >= 200 && status < 300;
  return {
    handle: ok ? 'ok' : 'error',
    output: { status, ok, body: decodeBody(response), ...(ok ? {} : { error: 'status' satisfies FailureCode }) },
    note: { zh: `${call} → ${status}${empty}`, en: `${call} → ${status}${empty}` },
  };
}

function failure(code: FailureCode, message: string): NodeRunResult {
  return {
    handle: 'error',
    output: { status: 0, ok: false, body: null, error: code },
    note: { zh: `HTTP 请求失败：${message}`, en: `HTTP request failed: ${message}` },
  };
}

/** Parsed JSON when the answer says it is JSON (and is), else the text. */
function decodeBody({ headers, body }: GuardedResponse): unknown {
  const text = body.toString('utf8');
  if (/\bjson\b/i.test(headers['content-type'] ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      // A server that mislabels its answer: keep the text rather than lose it.
    }
  }
  return text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A value placed inside a JSON string literal: quotes and backslashes in it cannot end the string. */
const jsonStringContent = (value: string) => JSON.stringify(value).slice(1, -1);

/** Header values are printable ASCII on the wire; anything else (line breaks, Chinese) is percent-encoded rather than refused. */
const headerSafe = (value: string) => value.replace(/[^\t -~]/gu, (c) => encodeURIComponent(c));

function bounded(value: unknown, { minimum, maximum, default: fallback }: { minimum: number; maximum: number; default: number }): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(maximum, Math.max(minimum, Math.round(value))) : fallback;
}

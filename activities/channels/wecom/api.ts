// The WeCom server API as the customer-service channel uses it: JSON over
// HTTPS with `?access_token=`, from `/cgi-bin/gettoken` (cached per corp and
// secret, and shared by every process: ../access-token.ts). An invalid or
// expired token is refreshed once; "system busy", rate limits and HTTP trouble
// throw a retryable Error; any other errcode is a WecomRefused, which retrying
// cannot change. Tokens are never logged and never put into an error message.
import { createHash } from 'node:crypto';
import { accessTokenCache, withFreshToken, type AccessTokenCache, type TokenCacheOptions } from '../access-token';
import type { WecomInbox } from './inbox';

const REQUEST_TIMEOUT_MS = 4_000;
/** access_token invalid (40014), expired (42001) or missing (41001): fetch a new one, once. */
export const STALE_TOKEN: ReadonlySet<number> = new Set([40014, 42001, 41001]);
/** "System busy" (-1) and "API call frequency limit" (45009): worth another try later. */
const RETRYABLE = new Set([-1, 45009]);

export interface WecomReply { errcode?: number; errmsg?: string }

/** A file to upload as temporary media. */
export interface WecomUpload { type: 'image'; bytes: Buffer; contentType: string; filename: string }

/** A refusal that retrying cannot change (wrong secret, a customer outside the 48-hour window...). */
export class WecomRefused extends Error {
  readonly errcode: number;
  constructor(errcode: number, message: string) {
    super(message);
    this.name = 'WecomRefused';
    this.errcode = errcode;
  }
}

export interface WecomApi {
  /** POSTs a JSON body to `{apiBaseUrl}{path}?access_token=…` and answers the reply of errcode 0. */
  post<T extends object>(inbox: WecomInbox, path: string, body: unknown): Promise<T & WecomReply>;
  /** Uploads temporary media (`/cgi-bin/media/upload`, the file as the form's `media`) and answers its media_id. */
  upload(inbox: WecomInbox, file: WecomUpload): Promise<string>;
  /** The app's access tokens, for calls that are not a JSON POST (media downloads: ./media.ts). */
  tokens: AccessTokenCache<WecomInbox>;
}

/** `tokens.shared` makes every process use the same access token. */
export function wecomApi(tokenOptions: TokenCacheOptions = {}): WecomApi {
  const tokens = accessTokenCache<WecomInbox>(
    // Each WeCom app (here the 微信客服 one) has its own secret and tokens.
    ({ settings, credentials }) => `wecom ${settings.apiBaseUrl} ${credentials.corpId} ${createHash('sha256').update(credentials.secret).digest('hex').slice(0, 16)}`,
    fetchToken,
    tokenOptions,
  );
  /** One call to `{apiBaseUrl}{path}?{query}access_token=…` (a new token once if WeCom calls it stale); errcode 0 or it throws. */
  async function request<T extends object>(inbox: WecomInbox, path: string, query: string, init: () => RequestInit) {
    const reply = await withFreshToken(tokens, inbox, (r: WecomReply) => STALE_TOKEN.has(r.errcode ?? 0), (token) =>
      call<T>(`${inbox.settings.apiBaseUrl}${path}?${query}access_token=${encodeURIComponent(token)}`, init()));
    const code = reply.errcode ?? 0;
    if (code !== 0) throw refusalOrRetry(code, reply.errmsg, path);
    return reply;
  }
  return {
    tokens,
    post<T extends object>(inbox: WecomInbox, path: string, body: unknown) {
      const json = JSON.stringify(body);
      return request<T>(inbox, path, '', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: json }));
    },
    async upload(inbox, file) {
      const reply = await request<{ media_id?: string }>(inbox, '/cgi-bin/media/upload', `type=${file.type}&`, () => {
        const form = new FormData();
        form.append('media', new Blob([file.bytes], { type: file.contentType }), file.filename);
        return { method: 'POST', body: form };
      });
      if (!reply.media_id) throw new Error('WeCom /cgi-bin/media/upload answered without a media_id');
      return reply.media_id;
    },
  };
}

async function fetchToken({ credentials, settings }: WecomInbox) {
  const query = new URLSearchParams({ corpid: credentials.corpId, corpsecret: credentials.secret });
  const reply = await call<{ access_token?: string; expires_in?: number }>(`${settings.apiBaseUrl}/cgi-bin/gettoken?${query}`, { method: 'GET' });
  if ((reply.errcode ?? 0) !== 0 || !reply.access_token) throw refusalOrRetry(reply.errcode ?? 0, reply.errmsg, '/cgi-bin/gettoken');
  return { token: reply.access_token, expiresInSeconds: reply.expires_in ?? 7200 };
}

/** One API call; HTTP trouble and timeouts throw a retryable error that names no URL (it holds the token or secret). */
async function call<T extends object>(url: string, init: RequestInit): Promise<T & WecomReply> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new Error(`the WeCom API did not answer: ${(err as Error).name}`, { cause: err });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`the WeCom API answered HTTP ${res.status}`);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error(`the WeCom API answered something that is not JSON (HTTP ${res.status})`);
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) throw new Error('the WeCom API answered JSON that is not an object');
  return reply as T & WecomReply;
}

function refusalOrRetry(code: number, errmsg: string | undefined, api: string): Error {
  const what = `WeCom ${api} errcode ${code}${errmsg ? ` (${errmsg.slice(0, 200)})` : ''}`;
  return RETRYABLE.has(code) ? new Error(`${what}: will retry`) : new WecomRefused(code, what);
}

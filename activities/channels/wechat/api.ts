// The WeChat Official Account API as the channel uses it: JSON over HTTPS
// with `?access_token=`, from `/cgi-bin/token` (client_credential), cached and
// shared by every process (../access-token.ts). An errcode in STALE_TOKEN
// means "fetch a new token and try once more"; "system busy" and HTTP trouble
// throw a retryable Error; any other errcode is a WechatRefused, which retrying
// cannot change. Tokens are never logged and never put into an error message.
import { accessTokenCache, type AccessTokenCache, type IssuedToken, type TokenCacheOptions } from '../access-token';
import type { WechatInbox } from './inbox';

const REQUEST_TIMEOUT_MS = 4_000;
/** access_token invalid (40001), expired (42001), or not this account's (40014): fetch a new one, once. */
export const STALE_TOKEN: ReadonlySet<number> = new Set([40001, 42001, 40014]);
/** "System busy, try again later." */
export const BUSY = -1;

export interface WechatReply { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number; media_id?: string }

/** A refusal that retrying cannot change (wrong secret, an openid outside the reply window...). */
export class WechatRefused extends Error {
  readonly errcode: number;
  constructor(errcode: number, message: string) {
    super(message);
    this.name = 'WechatRefused';
    this.errcode = errcode;
  }
}

/** The account's access tokens; `shared` makes every process use the same one. */
export function wechatTokens(opts: TokenCacheOptions = {}): AccessTokenCache<WechatInbox> {
  return accessTokenCache(({ settings, credentials }: WechatInbox) => `wechat ${settings.apiBaseUrl} ${credentials.appId}`, fetchToken, opts);
}

async function fetchToken({ credentials, settings }: WechatInbox): Promise<IssuedToken> {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: credentials.appId, secret: credentials.appSecret });
  const reply = await wechatCall(`${settings.apiBaseUrl}/cgi-bin/token?${query}`, { method: 'GET' });
  if (!reply.access_token) throw refusalOrRetry(reply.errcode ?? 0, reply.errmsg, 'token');
  return { token: reply.access_token, expiresInSeconds: reply.expires_in ?? 7200 };
}

/** One API call; HTTP trouble and timeouts throw a retryable error that names no URL (it holds the token). */
export async function wechatCall(url: string, init: RequestInit): Promise<WechatReply> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    // The cause names the host, not the URL with its token.
    throw new Error(`the WeChat API did not answer: ${(err as Error).name}`, { cause: err });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`the WeChat API answered HTTP ${res.status}`);
  try {
    return JSON.parse(text) as WechatReply;
  } catch {
    throw new Error(`the WeChat API answered something that is not JSON (HTTP ${res.status})`);
  }
}

export function refusalOrRetry(code: number, errmsg: string | undefined, api: string): Error {
  const what = `WeChat ${api} errcode ${code}${errmsg ? ` (${errmsg.slice(0, 200)})` : ''}`;
  return code === BUSY ? new Error(`${what}: busy, will retry`) : new WechatRefused(code, what);
}

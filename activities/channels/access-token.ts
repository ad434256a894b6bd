// A cache of provider access tokens, one per key (provider, API base URL and
// app), shared by every process. WeChat invalidates an app's previous token a
// few minutes after a new one is fetched, and the token endpoint has a daily
// quota: the processes of an installation (API servers, workers) must not each
// fetch their own. So the token lives in the store (./shared-tokens.ts) and one
// process fetches the next one while the others wait for it. Provider-neutral:
// WeChat and WeCom use this one. Tokens are never logged.
//
// get(): this process's copy while it is fresh; else the stored token, when it
// is fresh and nobody claimed it; else a claim to replace it (an insert on a
// unique _id, so one process wins), a fetch, and the new token stored while the
// others poll for it. A token the provider refused (`stale`) is claimed as
// well, which bars it for every process. Without a store (tests, tools) the
// cache is this process's alone.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** A token is replaced this long before the provider says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** How long a claim's holder has to fetch and store the next token before another process may take over (a fetch times out in 4 s). */
const CLAIM_MS = 10_000;
/** How often a process waiting for another's fetch looks for the new token. */
const POLL_MS = 100;

export interface IssuedToken { token: string; expiresInSeconds: number }

export interface AccessTokenCache<I> {
  /** The cached token, or a new one; `stale` is a token the provider just refused, never handed out again. */
  get(inbox: I, stale?: string): Promise<string>;
}

/** A token as the store keeps it; `token` is absent when it could not be unsealed (another SECRET_KEY). */
/**
 * Calls a provider API with the app's token; when the answer says the token
 * is stale (revoked, expired, replaced by another client's fetch), fetches a
 * new one and calls once more.
 */
export async function withFreshToken<I, A>(tokens: AccessTokenCache<I>, inbox: I, isStale: (answer: A) => boolean, call: (token: string) => Promise<A>): Promise<A> {
  const token = await tokens.get(inbox);
  const answer = await call(token);
  return isStale(answer) ? call(await tokens.get(inbox, token)) : answer;
}

export interface StoredToken { version: string; token?: string; refreshAt: number }

/** Where every process finds the tokens (./shared-tokens.ts). `id` is a hash of the cache key. */
export interface SharedTokenStore {
  current(id: string): Promise<StoredToken | undefined>;
  /** Whether that version (or 'none') is claimed: refused or being replaced, so never handed out. */
  isClaimed(id: string, version: string): Promise<boolean>;
  /** Claims the replacement of a version (or of 'none'): true for the one process that is to fetch. An expired claim is taken over. */
  claim(id: string, version: string, holder: string, now: number, until: number): Promise<boolean>;
  /** Gives a claim up after a failed fetch, so another process may try at once (the version stays barred). */
  release(id: string, version: string, holder: string): Promise<void>;
  save(id: string, token: { token: string; version: string; refreshAt: number }, now: number): Promise<void>;
}

export interface TokenCacheOptions {
  /** Shares the tokens with every other process; without it they are this process's alone. */
  shared?: SharedTokenStore;
  /** The clock, in epoch milliseconds (tests move it). */
  now?: () => number;
}

interface Held { token: string; version: string; refreshAt: number }

interface Entry {
  /** The store's id for the key: a hash, so no app id is in the store. */
  id: string;
  held?: Held;
  /** The version whose token the provider refused. */
  refused?: string;
  renewing?: Promise<Held>;
}

export function accessTokenCache<I>(
  keyOf: (inbox: I) => string, fetchToken: (inbox: I) => Promise<IssuedToken>, opts: TokenCacheOptions = {},
): AccessTokenCache<I> {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function get(inbox: I, stale?: string): Promise<string> {
    const key = keyOf(inbox);
    let entry = entries.get(key);
    if (!entry) {
      entry = { id: createHash('sha256').update(key).digest('hex').slice(0, 40) };
      entries.set(key, entry);
    }
    const e = entry;
    if (stale !== undefined && stale === e.held?.token) e.refused = e.held.version;
    if (e.held && e.held.version !== e.refused && now() < e.held.refreshAt) return Promise.resolve(e.held.token);
    e.renewing ??= renew(inbox, e).finally(() => { e.renewing = undefined; });
    // A refusal that came while the renewal ran: renew again, so a refused token is never handed out.
    return e.renewing.then((held) => (held.version === e.refused ? get(inbox) : held.token));
  }

  function remember(e: Entry, held: Held): Held {
    e.held = held;
    return held;
  }

  async function fetchNew(inbox: I): Promise<Held> {
    const { token, expiresInSeconds } = await fetchToken(inbox);
    return { token, version: randomUUID(), refreshAt: now() + Math.max(expiresInSeconds * 1000 - TOKEN_MARGIN_MS, 0) };
  }

  async function renew(inbox: I, e: Entry): Promise<Held> {
    const shared = opts.shared;
    if (!shared) return remember(e, await fetchNew(inbox));
    const deadline = Date.now() + 2 * CLAIM_MS; // real time: the wait is real even when a test moves the clock
    for (;;) {
      const stored = await shared.current(e.id);
      const version = stored?.version ?? 'none';
      if (stored?.token !== undefined && version !== e.refused && now() < stored.refreshAt && !(await shared.isClaimed(e.id, version))) {
        return remember(e, { token: stored.token, version, refreshAt: stored.refreshAt });
      }
      // Missing, expired, refused (here or by another process) or unreadable: replaced by whoever claims it.
      const holder = randomUUID();
      if (await shared.claim(e.id, version, holder, now(), now() + CLAIM_MS)) {
        // A claim taken over from a holder thought dead: it may have stored the next token after all.
        if (((await shared.current(e.id))?.version ?? 'none') !== version) continue;
        let held: Held;
        try {
          held = await fetchNew(inbox);
        } catch (err) {
          await shared.release(e.id, version, holder).catch(() => undefined);
          throw err;
        }
        await shared.save(e.id, held, now());
        return remember(e, held);
      }
      if (Date.now() > deadline) throw new Error('no access token yet: another process is fetching it and has not stored it; will retry');
      await sleep(POLL_MS);
    }
  }

  return { get };
}

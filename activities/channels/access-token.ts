// A cache of provider access tokens: one per key (API base URL + app id), a
// token replaced shortly before it expires, and one fetch shared by everyone
// who needs a new one at the same moment. Provider-neutral: WeChat and WeCom
// (and any channel with a client-credential token) use this one. Tokens are
// never logged.

/** A token is replaced this long before the provider says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

export interface IssuedToken { token: string; expiresInSeconds: number }

export interface AccessTokenCache<I> {
  /** The cached token, or a new one; `stale` is a token the provider just refused, never handed out again. */
  get(inbox: I, stale?: string): Promise<string>;
}

export function accessTokenCache<I>(keyOf: (inbox: I) => string, fetchToken: (inbox: I) => Promise<IssuedToken>): AccessTokenCache<I> {
  const tokens = new Map<string, { token: string; refreshAt: number }>();
  const fetching = new Map<string, Promise<string>>();
  return {
    get(inbox, stale) {
      const key = keyOf(inbox);
      const cached = tokens.get(key);
      if (cached && cached.token !== stale && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
      let pending = fetching.get(key);
      if (!pending) {
        pending = fetchToken(inbox).then(({ token, expiresInSeconds }) => {
          tokens.set(key, { token, refreshAt: Date.now() + Math.max(expiresInSeconds * 1000 - TOKEN_MARGIN_MS, 0) });
          return token;
        });
        fetching.set(key, pending);
        const done = () => { fetching.delete(key); };
        pending.then(done, done);
      }
      return pending;
    },
  };
}

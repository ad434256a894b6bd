// Access tokens shared by every process, on the real FerretDB: two caches with
// their own database connections (two processes) against the fake WeChat API.
// They fetch one token between them, replace a refused one once, replace an
// expired one once, and never hand out a token that was refused.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openSecret, sealingWith } from '../../server/secrets';
import { wechatApp } from '../../test/support/wechat-app';
import { openStore, type Store } from '../store';
import { accessTokenCache, type AccessTokenCache } from './access-token';
import { sharedTokenStore } from './shared-tokens';
import { wechatTokens } from './wechat/api';
import { startFakeWechatServer, type FakeWechatServer } from './wechat/fake-wechat-server';
import type { WechatInbox } from './wechat/inbox';

const key = randomBytes(32);
const app = wechatApp();
let processA: Store;
let processB: Store;
let fake: FakeWechatServer;
let inbox: WechatInbox;
/** The caches' clock: tests move it past a token's refresh time. */
let clock = Date.now();
const now = () => clock;

/** A cache as one process builds it: its own connection, the shared collection. */
const cacheOf = (process: Store, sealing = sealingWith(key)): AccessTokenCache<WechatInbox> =>
  wechatTokens({ shared: sharedTokenStore(process.models, sealing), now });

beforeAll(async () => {
  const uri = `${inject('mongoUri')}/t_${randomUUID().slice(0, 8)}`;
  processA = await openStore(uri);
  processB = await openStore(uri);
});
afterAll(async () => {
  await processA?.close();
  await processB?.close();
});

// A fake of its own per test: a new API base URL is a new token key, so tests share no token.
beforeEach(async () => {
  fake = await startFakeWechatServer(app);
  inbox = { credentials: app, settings: { apiBaseUrl: fake.url, messageMode: 'safe' } };
  clock = Date.now();
});
afterEach(async () => { await fake.close(); });

/** The stored token document of this test's key (its id is a hash, so it is found by what it holds). */
async function storedDoc(token: string) {
  const docs = await processA.models.AccessToken.find().lean();
  return docs.find((d) => openSecret(d.token, key) === token);
}

describe('accessTokenCache shared through the store', () => {
  it('two processes asking at once fetch one token between them; it is stored sealed under a hashed id', async () => {
    const [a, b] = [cacheOf(processA), cacheOf(processB)];
    const tokens = await Promise.all([a.get(inbox), b.get(inbox), a.get(inbox), b.get(inbox)]);
    expect(new Set(tokens).size).toBe(1);
    expect(fake.tokensIssued).toBe(1);

    const doc = await storedDoc(tokens[0]!);
    expect(doc).toBeDefined();
    expect(doc!.token).not.toContain(tokens[0]);
    expect(doc!._id).not.toContain(app.appId);
    expect(JSON.stringify(doc)).not.toContain(app.appSecret);
    // A third process later reads it from the store.
    expect(await cacheOf(processB).get(inbox)).toBe(tokens[0]);
    expect(fake.tokensIssued).toBe(1);
  });

  it('a token refused in one process is replaced once; the other process gets the new one without fetching', async () => {
    const [a, b] = [cacheOf(processA), cacheOf(processB)];
    const first = await a.get(inbox);
    expect(await b.get(inbox)).toBe(first);
    fake.revokeTokens(); // another client fetched a token: WeChat refuses the old one

    const second = await a.get(inbox, first);
    expect(second).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
    // B still holds the old one until WeChat refuses it there too; then it finds the new one.
    expect(await b.get(inbox)).toBe(first);
    expect(await b.get(inbox, first)).toBe(second);
    // A late refusal of the old token changes nothing; a new process never sees the refused one.
    expect(await a.get(inbox, first)).toBe(second);
    expect(await cacheOf(processB).get(inbox)).toBe(second);
    expect(fake.tokensIssued).toBe(2);
  });

  it('two processes refusing the same token at once fetch one new token', async () => {
    const [a, b] = [cacheOf(processA), cacheOf(processB)];
    const first = await a.get(inbox);
    await b.get(inbox);
    const [fromA, fromB] = await Promise.all([a.get(inbox, first), b.get(inbox, first)]);
    expect(fromA).toBe(fromB);
    expect(fromA).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('a token past its refresh time is replaced once for every process', async () => {
    const [a, b] = [cacheOf(processA), cacheOf(processB)];
    const first = await a.get(inbox);
    expect(await b.get(inbox)).toBe(first);
    clock += 7_200_000 - 5 * 60_000 - 1_000; // a second before it is due: still good
    expect(await Promise.all([a.get(inbox), b.get(inbox)])).toEqual([first, first]);
    expect(fake.tokensIssued).toBe(1);

    clock += 2_000;
    const renewed = await Promise.all([a.get(inbox), b.get(inbox), cacheOf(processB).get(inbox)]);
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('a claim left by a process that died is taken over once it expires', async () => {
    const first = await cacheOf(processA).get(inbox);
    const doc = await storedDoc(first);
    await processA.models.AccessTokenClaim.create({
      _id: `${doc!._id}:${doc!.version}`, tokenId: doc!._id, holder: 'a process that died', until: new Date(clock - 1), at: new Date(clock - 10_000),
    });
    // The token it claimed is barred: a new process fetches the next one.
    const next = await cacheOf(processB).get(inbox);
    expect(next).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('a token sealed under another key is replaced, not handed out', async () => {
    const first = await cacheOf(processA, sealingWith(randomBytes(32))).get(inbox);
    const next = await cacheOf(processB).get(inbox);
    expect(next).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('a failed fetch gives its claim up: the next caller fetches at once', async () => {
    let calls = 0;
    const flaky = accessTokenCache((i: WechatInbox) => `flaky ${i.settings.apiBaseUrl}`, async () => {
      calls++;
      if (calls === 1) throw new Error('the WeChat API did not answer: TimeoutError');
      return { token: `t${calls}`, expiresInSeconds: 7200 };
    }, { shared: sharedTokenStore(processA.models, sealingWith(key)), now });
    await expect(flaky.get(inbox)).rejects.toThrow(/did not answer/);
    const started = Date.now();
    expect(await flaky.get(inbox)).toBe('t2');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('accessTokenCache without a store', () => {
  it('fetches once for callers at the same moment and again only for a refused token', async () => {
    const tokens = wechatTokens();
    const [t1, t2] = await Promise.all([tokens.get(inbox), tokens.get(inbox)]);
    expect(t1).toBe(t2);
    expect(fake.tokensIssued).toBe(1);
    expect(await tokens.get(inbox, 'some older token')).toBe(t1);
    expect(await tokens.get(inbox, t1)).not.toBe(t1);
    expect(fake.tokensIssued).toBe(2);
  });
});

// The app's push sender against a local HTTP server standing in for the app's
// backend: signed pushes while the app is closed, none while it is open, and
// which answers are retried (throw) or recorded as a failed delivery.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundToSend } from '../index';
import { apiKeyMatches, hashApiKey, inboxIdOfApiKey, newAppSecret, rotateAppSecrets, type AppInbox } from './inbox';
import { APP_SESSION_FRESH_MS, appSender, isAppOpen, type AppSession } from './send';

interface Received { path: string; headers: IncomingHttpHeaders; body: string }

let server: Server;
let url: string;
const received: Received[] = [];
/** The status the next requests get, by path; 200 otherwise. */
const answers = new Map<string, number[]>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const path = req.url ?? '';
      if (path === '/slow') return; // never answers: the sender's timeout
      if (path === '/redirect') { res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(); return; }
      res.writeHead(answers.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => { received.length = 0; answers.clear(); });

const PUSH_SECRET = randomBytes(32).toString('hex');
const NOW = Date.parse('2025-03-01T08:00:00Z');
const AT = new Date('2025-03-01T07:59:58Z');
const inbox = (pushUrl?: string): AppInbox => ({
  id: 'app-1', settings: pushUrl ? { pushUrl } : {},
  credentials: { apiKeyHash: hashApiKey('k'), identitySecret: 'i', pushSecret: PUSH_SECRET },
});

function sender(opts: { pushUrl?: string | undefined; session?: AppSession | null } = {}) {
  const pushUrl = 'pushUrl' in opts ? opts.pushUrl : `${url}/push`;
  return appSender({
    inbox: async (id) => (id === 'app-1' ? inbox(pushUrl) : undefined),
    session: async () => opts.session ?? null,
    message: async () => ({ conversationId: 'conv-1', author: 'agent', at: AT }),
    now: () => NOW,
  });
}
const message = (fields: Partial<OutboundToSend> = {}): OutboundToSend =>
  ({ id: 'conv-1:out:3', inboxId: 'app-1', visitorId: 'user:alice-42', text: '您好，订单已发货。', ...fields });

describe('appSender', () => {
  it('posts a signed JSON push when the app is closed (no session)', async () => {
    expect(await sender()(message())).toEqual({ status: 'sent' });
    expect(received).toHaveLength(1);
    const [push] = received;
    expect(push!.path).toBe('/push');
    expect(push!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(push!.body)).toEqual({
      inboxId: 'app-1', visitorId: 'user:alice-42', userId: 'alice-42', conversationId: 'conv-1', messageId: 'conv-1:out:3',
      author: 'agent', text: '您好，订单已发货。', at: AT.toISOString(),
    });
    // What the app's backend checks: the HMAC of the raw body with the push secret.
    const expected = `sha256=${createHmac('sha256', PUSH_SECRET).update(push!.body).digest('hex')}`;
    expect(push!.headers['x-huiliu-signature']).toBe(expected);
  });

  it('names no userId for an anonymous device, and carries the choices', async () => {
    const choices = [{ id: '5', label: '5 满意' }, { id: '1', label: '1 不满意' }];
    await sender()(message({ visitorId: 'device-9', choices }));
    const body = JSON.parse(received[0]!.body);
    expect(body).not.toHaveProperty('userId');
    expect(body).toMatchObject({ visitorId: 'device-9', choices });
  });

  it('carries the text as plain text and the card whole (the app shows cards)', async () => {
    const card = { title: '春季新品', text: '全场 8 折', url: 'https://shop.example/spring', buttons: [{ label: '立即购买', url: 'https://shop.example/buy' }] };
    await sender()(message({ text: '为您推荐**新品**：[详情](https://shop.example/spring)', card }));
    expect(JSON.parse(received[0]!.body)).toMatchObject({ text: '为您推荐新品：详情 (https://shop.example/spring)', card });
  });

  it('sends nothing while the app has a fresh stream, and pushes once it closed or went quiet', async () => {
    const open = { lastSeenAt: new Date(NOW - 5_000) };
    expect(await sender({ session: open })(message())).toEqual({ status: 'sent' });
    expect(received).toHaveLength(0);

    await sender({ session: { lastSeenAt: new Date(NOW - 5_000), closedAt: new Date(NOW - 1_000) } })(message());
    await sender({ session: { lastSeenAt: new Date(NOW - APP_SESSION_FRESH_MS - 1) } })(message());
    expect(received).toHaveLength(2);
  });

  it('sends nothing without a push URL, and fails for an inbox that is gone', async () => {
    expect(await sender({ pushUrl: undefined })(message())).toEqual({ status: 'sent' });
    expect(received).toHaveLength(0);
    expect(await sender()(message({ inboxId: 'gone' }))).toEqual({ status: 'failed', error: 'app inbox "gone" no longer exists' });
  });

  it('throws on 5xx, 429 and 408 so the activity retries; the retry is delivered', async () => {
    for (const status of [500, 503, 429, 408]) {
      answers.set('/push', [status]);
      await expect(sender()(message())).rejects.toThrow(`HTTP ${status}; will retry`);
      expect(await sender()(message())).toEqual({ status: 'sent' });
    }
  });

  it('throws when the webhook is unreachable or too slow, naming neither URL nor secret', async () => {
    // A port that was just free: nothing listens there.
    const spare = createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((r) => spare.close(r));
    const unreachable = sender({ pushUrl: `http://127.0.0.1:${port}/push?token=s3cret` })(message());
    await expect(unreachable).rejects.toThrow(/did not answer: TypeError \(ECONNREFUSED\)/);
    await expect(unreachable).rejects.not.toThrow(/s3cret|127\.0\.0\.1/);
    await expect(sender({ pushUrl: `${url}/slow` })(message())).rejects.toThrow(/did not answer: TimeoutError/);
  }, 15_000);

  it('records a permanent refusal (4xx, a redirect) as a failed delivery', async () => {
    answers.set('/push', [410]);
    expect(await sender()(message())).toEqual({ status: 'failed', error: 'the push webhook refused the message: HTTP 410' });
    expect(await sender({ pushUrl: `${url}/redirect` })(message())).toEqual({ status: 'failed', error: 'the push webhook refused the message: HTTP 302' });
    expect(received.map((r) => r.path)).toEqual(['/push', '/redirect']);
  });
});

describe('isAppOpen', () => {
  it('is open only when seen within the window and not closed since', () => {
    expect(isAppOpen(null, NOW)).toBe(false);
    expect(isAppOpen({ lastSeenAt: new Date(NOW - 1_000) }, NOW)).toBe(true);
    expect(isAppOpen({ lastSeenAt: new Date(NOW - 1_000), closedAt: new Date(NOW - 2_000) }, NOW)).toBe(true);
    expect(isAppOpen({ lastSeenAt: new Date(NOW - 1_000), closedAt: new Date(NOW - 500) }, NOW)).toBe(false);
    expect(isAppOpen({ lastSeenAt: new Date(NOW - APP_SESSION_FRESH_MS) }, NOW)).toBe(false);
  });
});

describe('app API keys and secrets', () => {
  it('a key names its inbox and matches only its own hash', () => {
    const key = newAppSecret('apiKey', 'app-shop.cn');
    expect(key).toMatch(/^hlapp_app-shop\.cn\.[A-Za-z0-9_-]{43}$/);
    expect(inboxIdOfApiKey(key)).toBe('app-shop.cn');
    expect(apiKeyMatches(key, hashApiKey(key))).toBe(true);
    expect(apiKeyMatches(key, hashApiKey(newAppSecret('apiKey', 'app-shop.cn')))).toBe(false);
    expect(apiKeyMatches(key, 'not a hash')).toBe(false);
    for (const bad of ['', 'hlapp_', 'hlapp_app-1', `hlapp_app-1.${'a'.repeat(42)}`, `Bearer ${key}`, key.replace('hlapp_', 'hl_')]) {
      expect(inboxIdOfApiKey(bad), bad).toBeUndefined();
    }
  });

  it('rotating replaces only the named secrets; the key is kept as its hash only', () => {
    const first = rotateAppSecrets('app-1', undefined, ['apiKey', 'identitySecret', 'pushSecret']);
    expect(first.credentials).toEqual({
      apiKeyHash: hashApiKey(first.shown.apiKey!), identitySecret: first.shown.identitySecret, pushSecret: first.shown.pushSecret,
    });
    expect(JSON.stringify(first.credentials)).not.toContain(first.shown.apiKey);
    expect(first.shown.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    const second = rotateAppSecrets('app-1', first.credentials, ['pushSecret']);
    expect(Object.keys(second.shown)).toEqual(['pushSecret']);
    expect(second.credentials).toEqual({ ...first.credentials, pushSecret: second.shown.pushSecret });
    expect(second.shown.pushSecret).not.toBe(first.shown.pushSecret);
  });
});

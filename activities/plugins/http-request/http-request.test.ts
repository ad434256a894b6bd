import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRunInput } from '../../../rules/plugin';
import { NetGuardError } from '../net-guard';
import { listenLocal, startShopifyTestServer, type LocalServer, type ShopifyTestServer } from '../order-status/shopify-test-server';
import type { HttpPolicy } from '../types';
import { createHttpRequestHandler } from './handler';
import { httpRequestPlugin } from './index';

const facts = {
  message: { text: 'hi', language: 'en' },
  contact: { attributes: { memberId: 'M 42/7', nickname: 'Wang "Xiao" Ming' }, orders: [] },
};

/** What the local server received. */
interface Received { method?: string; path?: string; headers: IncomingHttpHeaders; body: string }

let api: LocalServer;
let shop: ShopifyTestServer;
const received: Received[] = [];
const localPolicy: HttpPolicy = { allowHosts: ['127.0.0.1'], allowPrivateAddresses: true };

function run(parameters: Record<string, unknown>, more: Partial<NodeRunInput> = {}, policy = localPolicy) {
  return createHttpRequestHandler({ http: policy })({
    conversationId: 'c1', inboxId: 'web', channel: 'webchat', visitorId: 'v1',
    nodeId: 'lookup', type: 'http-request', typeVersion: 1, language: 'en', now: Date.parse('2025-05-01T10:00:00Z'),
    messageId: 'c1:out:3', dryRun: false, facts,
    parameters: { method: 'GET', timeoutMs: 2000, ...parameters },
    ...more,
  });
}

beforeAll(async () => {
  api = await listenLocal((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body });
      if (req.url?.startsWith('/members/')) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ level: 'gold' }));
      if (req.url === '/tickets') return res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket: 7 }));
      if (req.url === '/plain') return res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
      if (req.url === '/busy') return res.writeHead(503).end();
      if (req.url === '/moved') return res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no such thing' }));
    });
  });
  shop = await startShopifyTestServer({ token: 'shpat_test_secret', orders: [{ id: 450789469, name: '#1001' }] });
});
afterAll(async () => {
  await api.close();
  await shop.close();
});

describe('http-request plugin', () => {
  it('definition: ok and error are required handles and the answer is the http fact', () => {
    const { definition } = httpRequestPlugin;
    expect(definition.handles.map((h) => [h.id, h.required])).toEqual([['ok', true], ['error', true]]);
    expect(definition.provides?.fact).toBe('http');
    expect(definition.sideEffects).toBe(true);
  });

  it('GET: fills URL variables in URL-encoded and leaves through ok with the parsed JSON answer', async () => {
    received.length = 0;
    const result = await run({ url: `${api.url}/members/{{contact.attributes.memberId}}?channel={{conversation.channel}}` });
    expect(result).toMatchObject({ handle: 'ok', output: { status: 200, ok: true, body: { level: 'gold' } } });
    expect(received[0].path).toBe('/members/M%2042%2F7?channel=');
    // The empty variable is named, the query string (customer data) is not shown.
    expect(result.note?.en).toBe(`GET ${api.url}/members/M%2042%2F7 → 200 (conversation.channel = "")`);
  });

  it('POST: sends the JSON body with variables escaped, the chosen headers and a stable idempotency key', async () => {
    received.length = 0;
    const parameters = {
      method: 'POST', url: `${api.url}/tickets`,
      headers: [{ name: 'X-Request-Id', value: 'req-{{contact.attributes.memberId}}' }, { name: 'Accept-Language', value: '中文' }],
      body: '{"member": "{{contact.attributes.memberId}}", "name": "{{contact.attributes.nickname}}"}',
    };
    const result = await run(parameters);
    await run(parameters); // a retry of the same node run
    await run(parameters, { messageId: 'c1:out:9' }); // a later run of the node

    expect(result).toMatchObject({ handle: 'ok', output: { status: 201, body: { ticket: 7 } } });
    expect(JSON.parse(received[0].body)).toEqual({ member: 'M 42/7', name: 'Wang "Xiao" Ming' });
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/json', 'x-request-id': 'req-M 42/7', 'accept-language': '%E4%B8%AD%E6%96%87',
    });
    const keys = received.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('keeps a text answer as text', async () => {
    expect(await run({ url: `${api.url}/plain` })).toMatchObject({ handle: 'ok', output: { body: 'pong' } });
  });

  it('leaves through error on a 4xx, keeping status and answer in the fact', async () => {
    expect(await run({ url: `${api.url}/nothing` })).toMatchObject({
      handle: 'error', output: { status: 404, ok: false, body: { error: 'no such thing' }, error: 'status' },
    });
  });

  it('throws on a 503 so the interpreter retries', async () => {
    await expect(run({ url: `${api.url}/busy` })).rejects.toThrow(/answered 503/);
  });

  it('throws a retryable error on a timeout', async () => {
    const hanging = await listenLocal(() => {});
    try {
      await expect(run({ url: `${hanging.url}/`, timeoutMs: 200 })).rejects.toSatisfy((e) => e instanceof NetGuardError && e.retryable);
    } finally {
      await hanging.close();
    }
  });

  it('does not follow a redirect (here towards cloud metadata): error handle', async () => {
    const result = await run({ url: `${api.url}/moved` });
    expect(result).toMatchObject({ handle: 'error', output: { status: 0, ok: false, error: 'redirect' } });
  });

  it('refuses a host that is not on the allow-list without calling it', async () => {
    received.length = 0;
    const result = await run({ url: `${api.url.replace('127.0.0.1', 'localhost')}/plain` });
    expect(result).toMatchObject({ handle: 'error', output: { error: 'host-not-allowed' } });
    expect(received).toEqual([]);
  });

  it('refuses a loopback address when private addresses are not allowed', async () => {
    received.length = 0;
    const result = await run({ url: `${api.url}/plain` }, {}, { allowHosts: ['127.0.0.1'], allowPrivateAddresses: false });
    expect(result).toMatchObject({ handle: 'error', output: { error: 'private-address' } });
    expect(received).toEqual([]);
  });

  it('refuses a header that is not on the list of safe headers (no secrets in flows)', async () => {
    received.length = 0;
    const result = await run({ url: `${api.url}/plain`, headers: [{ name: 'Authorization', value: 'Bearer abc' }] });
    expect(result).toMatchObject({ handle: 'error', output: { error: 'invalid-parameters' } });
    expect(received).toEqual([]);
  });

  it('refuses a body that is not JSON once filled in, so a value cannot add fields', async () => {
    const result = await run({
      method: 'POST', url: `${api.url}/tickets`, body: '{"member": {{contact.attributes.memberId}}}',
    }, { facts: { contact: { attributes: { memberId: '1, "admin": true' } } } });
    expect(result).toMatchObject({ handle: 'error', output: { error: 'invalid-body' } });
  });

  it('calls the Shopify endpoint without a token (flows cannot hold one): the 401 is an error handle', async () => {
    const result = await run({ url: `${shop.url}/admin/api/2024-07/orders/450789469.json` });
    expect(result).toMatchObject({ handle: 'error', output: { status: 401, body: { errors: expect.stringContaining('Invalid API key') } } });
    expect(shop.requests.at(-1)).toEqual({ path: '/admin/api/2024-07/orders/450789469.json', token: undefined });
  });

  describe('dry run', () => {
    it('does not call out, and says what it would call', async () => {
      received.length = 0;
      const result = await run({ method: 'POST', url: `${api.url}/tickets?m={{contact.attributes.memberId}}`, body: '{}' }, { dryRun: true });
      expect(result).toEqual({ handle: 'ok', note: expect.objectContaining({ en: `Dry run, not sent: POST ${api.url}/tickets?m=M%2042%2F7` }) });
      expect(received).toEqual([]);
    });

    it('still shows an allow-list refusal', async () => {
      const result = await run({ url: 'https://internal.corp.example/admin' }, { dryRun: true });
      expect(result).toMatchObject({ handle: 'error', output: { error: 'host-not-allowed' } });
    });
  });
});

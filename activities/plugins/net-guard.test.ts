import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUrl, guardedRequest, isHostAllowed, isPrivateAddress, NetGuardError, vettedLookup, type GuardedRequest } from './net-guard';
import { listenLocal, type LocalServer } from './order-status/shopify-test-server';
import type { HttpPolicy } from './types';

const localOnly: HttpPolicy = { allowHosts: ['127.0.0.1', 'localhost'], allowPrivateAddresses: true };
const strict: HttpPolicy = { allowHosts: ['127.0.0.1', 'localhost'], allowPrivateAddresses: false };

/** The NetGuardError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<NetGuardError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(NetGuardError);
  return err as NetGuardError;
}

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.0.9', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true],
    ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['100.127.255.254', true], ['0.0.0.0', true],
    ['224.0.0.1', true], ['255.255.255.255', true], ['198.18.0.1', true],
    ['172.32.0.1', false], ['100.128.0.1', false], ['8.8.8.8', false], ['93.184.216.34', false],
  ])('IPv4 %s: private %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it.each([
    ['::', true], ['::1', true], ['fe80::1', true], ['fe80::1%eth0', true], ['fc00::1', true], ['fd12:3456::1', true],
    ['ff02::1', true], ['fec0::1', true], ['2001:db8::1', true],
    ['2606:4700:4700::1111', false], ['2400:3200::1', false],
  ])('IPv6 %s: private %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it.each([
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:10.0.0.1', true], ['::ffff:169.254.169.254', true],
    ['64:ff9b::a9fe:a9fe', true], // NAT64 of 169.254.169.254
    ['::ffff:8.8.8.8', false], ['64:ff9b::808:808', false],
  ])('IPv4 inside IPv6 %s: private %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('counts anything that is not an IP address as private (fail closed)', () => {
    expect(isPrivateAddress('example.com')).toBe(true);
    expect(isPrivateAddress('')).toBe(true);
  });
});

describe('isHostAllowed', () => {
  it.each([
    ['api.example.com', ['api.example.com'], true],
    ['API.Example.COM.', ['api.example.com'], true],
    ['shop.example.com', ['*.example.com'], true],
    ['a.b.example.com', ['*.example.com'], true],
    ['example.com', ['*.example.com'], false],
    ['evilexample.com', ['*.example.com'], false],
    ['api.example.com.evil.net', ['api.example.com'], false],
    ['other.example.org', ['api.example.com', '*.example.net'], false],
    ['api.example.com', [], false],
  ])('%s with %j: %s', (host, allowHosts, expected) => {
    expect(isHostAllowed(host, allowHosts)).toBe(expected);
  });
});

describe('checkUrl', () => {
  it.each([
    ['ftp://127.0.0.1/file', 'bad-url'],
    ['not a url', 'bad-url'],
    ['https://user:secret@127.0.0.1/', 'bad-url'],
    ['https://internal.example.com/', 'host-not-allowed'],
    ['http://127.0.0.1:8080/', 'private-address'],
    ['http://2130706433/', 'private-address'], // 127.0.0.1 written as one number: URL parsing normalizes it
  ])('refuses %s: %s', (url, code) => {
    expect(() => checkUrl(url, strict)).toThrow(expect.objectContaining({ code, retryable: false }));
  });

  it('refuses an IPv4-mapped IPv6 loopback literal even when it is on the allow-list', () => {
    const policy = { allowHosts: ['::ffff:7f00:1'], allowPrivateAddresses: false };
    expect(() => checkUrl('http://[::ffff:127.0.0.1]/', policy)).toThrow(expect.objectContaining({ code: 'private-address' }));
  });

  it('never repeats credentials from a refused URL', () => {
    expect(() => checkUrl('https://user:hunter2@127.0.0.1/', strict)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('accepts an allowed host', () => {
    expect(checkUrl('https://Shop.Example.com/a?b=1', { allowHosts: ['*.example.com'], allowPrivateAddresses: false }).hostname).toBe('shop.example.com');
  });
});

describe('vettedLookup', () => {
  const lookup = (policy: HttpPolicy, all: boolean) => new Promise<{ err: Error | null; address: unknown }>((resolve) => {
    vettedLookup(policy)('localhost', { all }, (err, address) => resolve({ err, address }));
  });

  it('refuses a name that resolves to a loopback address', async () => {
    const { err } = await lookup(strict, false);
    expect(err).toMatchObject({ code: 'private-address' });
  });

  it('hands back the addresses it resolved when private addresses are allowed (both lookup forms)', async () => {
    expect((await lookup(localOnly, false)).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect((await lookup(localOnly, true)).address).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});

describe('guardedRequest against a local server', () => {
  let server: LocalServer;
  const seen: string[] = [];
  const call = (path: string, more: Partial<GuardedRequest> = {}, policy = localOnly) =>
    guardedRequest({ method: 'GET', url: `${server.url}${path}`, timeoutMs: 2000, maxResponseBytes: 1024, ...more }, policy);

  beforeAll(async () => {
    server = await listenLocal((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/hello') return res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello, encoding ${req.headers['accept-encoding']}`);
      if (req.url === '/moved') return res.writeHead(302, { location: '/hello' }).end();
      if (req.url === '/big') return res.writeHead(200).end('x'.repeat(4096));
      if (req.url === '/big-stream') {
        res.writeHead(200); // chunked: the size is only known while reading
        for (let i = 0; i < 8; i++) res.write('x'.repeat(512));
        return res.end();
      }
      if (req.url === '/hang') return; // never answers
      res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  it('returns the answer of an allowed local server when private addresses are allowed', async () => {
    const response = await call('/hello');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello, encoding identity');
  });

  it('refuses a loopback URL when private addresses are not allowed, before connecting', async () => {
    seen.length = 0;
    const err = await refusal(call('/hello', {}, strict));
    expect(err).toMatchObject({ code: 'private-address', retryable: false });
    expect(seen).toEqual([]);
  });

  it('refuses a name that resolves to loopback when private addresses are not allowed, before connecting', async () => {
    seen.length = 0;
    const err = await refusal(guardedRequest({ method: 'GET', url: `${server.url.replace('127.0.0.1', 'localhost')}/hello`, timeoutMs: 2000, maxResponseBytes: 1024 }, strict));
    expect(err.code).toBe('private-address');
    expect(seen).toEqual([]);
  });

  it('does not follow a redirect: it is a permanent error', async () => {
    seen.length = 0;
    const err = await refusal(call('/moved'));
    expect(err).toMatchObject({ code: 'redirect', retryable: false });
    expect(seen).toEqual(['/moved']);
  });

  it('gives up after the total timeout with a retryable error', async () => {
    const started = Date.now();
    const err = await refusal(call('/hang', { timeoutMs: 200 }));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses an answer whose declared size is over the cap', async () => {
    expect(await refusal(call('/big'))).toMatchObject({ code: 'too-large', retryable: false });
  });

  it('stops reading a streamed answer once it passes the cap', async () => {
    expect(await refusal(call('/big-stream'))).toMatchObject({ code: 'too-large', retryable: false });
  });

  it('reports a refused connection as retryable network trouble', async () => {
    const closed = await listenLocal(() => {});
    await closed.close();
    const err = await refusal(guardedRequest({ method: 'GET', url: `${closed.url}/`, timeoutMs: 2000, maxResponseBytes: 1024 }, localOnly));
    expect(err).toMatchObject({ code: 'network', retryable: true });
  });

  it('refuses a request Node cannot send (a line break in a header) as permanent', async () => {
    const err = await refusal(call('/hello', { headers: { 'x-request-id': 'a\r\nHost: evil' } }));
    expect(err).toMatchObject({ code: 'bad-request', retryable: false });
  });
});

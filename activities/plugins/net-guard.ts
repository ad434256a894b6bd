// Outbound HTTP for integration nodes. A flow is drawn by an analyst, not a
// developer, so every call goes through this guard: only http(s) to hosts on
// the platform allow-list, never to private or internal addresses (cloud
// metadata, the database, the Temporal frontend...), no redirects, bounded in
// time and size. Plain functions, shared by every integration plugin.
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { HttpPolicy } from './types';

export type NetGuardErrorCode = 'bad-url' | 'bad-request' | 'host-not-allowed' | 'private-address' | 'redirect' | 'too-large' | 'timeout' | 'network';

/** Trouble that may pass: the node's activity should throw so the interpreter retries. */
const RETRYABLE: ReadonlySet<NetGuardErrorCode> = new Set(['timeout', 'network']);

export class NetGuardError extends Error {
  readonly code: NetGuardErrorCode;
  /** False for refusals and answers no retry changes: the node should leave through its error handle. */
  readonly retryable: boolean;

  constructor(code: NetGuardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetGuardError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
  }
}

const PRIVATE_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", with the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, where cloud metadata services answer
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, with broadcast
];

const PRIVATE_V6: [string, number][] = [
  ['::', 96], // unspecified, loopback, and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some networks)
  ['ff00::', 8], // multicast
];

/** `64:ff9b::a.b.c.d` (well-known NAT64 prefix) for the IPv4 network `a.b.c.d/prefix`: DNS64 hands these out for IPv4-only hosts. */
function nat64(v4: string, prefix: number): [string, number] {
  const [a, b, c, d] = v4.split('.').map(Number);
  return [`64:ff9b::${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`, 96 + prefix];
}

// BlockList checks IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) against the IPv4 rules itself.
const privateNetworks = new BlockList();
for (const [network, prefix] of PRIVATE_V4) {
  privateNetworks.addSubnet(network, prefix, 'ipv4');
  privateNetworks.addSubnet(...nat64(network, prefix), 'ipv6');
}
for (const [network, prefix] of PRIVATE_V6) privateNetworks.addSubnet(network, prefix, 'ipv6');

/** True for addresses a flow may not reach. Anything that is not an IP address counts as private: fail closed. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return privateNetworks.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Lower case, without a trailing dot or IPv6 brackets, so `Shop.Example.COM.` and `shop.example.com` are one host. */
function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** Exact names, or `*.example.com` for any name under example.com (not example.com itself). */
export function isHostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const name = normalizeHost(host);
  return allowHosts.some((entry) => {
    const allowed = normalizeHost(entry);
    return allowed.startsWith('*.') ? name.endsWith(allowed.slice(1)) : name === allowed;
  });
}

/** Parses a URL and checks what can be checked without the network; throws a (permanent) NetGuardError. */
export function checkUrl(raw: string, policy: HttpPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NetGuardError('bad-url', 'not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new NetGuardError('bad-url', `only http and https URLs may be called, not ${url.protocol}`);
  // Credentials are secrets; they belong in platform configuration, not in a flow (and not in this message).
  if (url.username || url.password) throw new NetGuardError('bad-url', 'a URL may not carry a user name or password');
  const host = normalizeHost(url.hostname);
  if (!isHostAllowed(host, policy.allowHosts)) throw new NetGuardError('host-not-allowed', `host ${host} is not on the platform allow-list`);
  // Connections to an IP literal skip the lookup below, so check it here.
  if (isIP(host) && !policy.allowPrivateAddresses && isPrivateAddress(host)) {
    throw new NetGuardError('private-address', `${host} is a private address`);
  }
  return url;
}

/**
 * A `lookup` for http(s).request: resolves the name, refuses it if any of its
 * addresses is private, and hands the connection exactly the addresses it
 * checked, so there is no second resolution a DNS-rebinding attacker could
 * answer differently.
 */
export function vettedLookup(policy: HttpPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const refused = policy.allowPrivateAddresses ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(new NetGuardError('private-address', `${hostname} resolves to a private address (${refused.address})`), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface GuardedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange: connecting, sending and reading the complete response. */
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A host that does not accept the connection this quickly is treated as down (retryable), whatever the total budget. */
const CONNECT_TIMEOUT_MS = 2000;

/** 408, 429 and 5xx: the other side may answer differently on a retry. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One HTTP exchange under the policy. Resolves with any final response
 * (including 4xx/5xx: the caller decides what they mean); rejects with a
 * NetGuardError for refusals (permanent), redirects (not followed: they could
 * lead anywhere), oversized bodies, timeouts and network failures (retryable).
 */
export async function guardedRequest(req: GuardedRequest, policy: HttpPolicy): Promise<GuardedResponse> {
  const url = checkUrl(req.url, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const what = `${req.method} ${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      request.destroy();
      reject(err instanceof NetGuardError ? err : new NetGuardError('network', `${what}: ${err.message}`, { cause: err }));
    };
    const succeed = (response: GuardedResponse) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      resolve(response);
    };

    let request: ClientRequest;
    try {
      request = send(url, {
        method: req.method,
        headers: {
          ...req.headers,
          // No compressed bodies: the size cap is on the bytes we keep, and a small gzip can inflate enormously.
          'accept-encoding': 'identity',
          ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
        },
        lookup: vettedLookup(policy),
        // A fresh connection per call: a pooled socket could have been vetted under another policy.
        agent: false,
      }, readResponse);
    } catch (err) {
      // Node refuses to send some requests at all (a header value with a line break...): no retry changes that.
      return reject(new NetGuardError('bad-request', `${what}: ${(err as Error).message}`));
    }

    const connectMs = Math.min(CONNECT_TIMEOUT_MS, req.timeoutMs);
    const connectTimer = setTimeout(() => fail(new NetGuardError('timeout', `${what}: no connection within ${connectMs} ms`)), connectMs);
    timers.push(connectTimer, setTimeout(() => fail(new NetGuardError('timeout', `${what}: no complete answer within ${req.timeoutMs} ms`)), req.timeoutMs));
    request.on('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
    request.on('error', fail);
    request.end(req.body);

    function readResponse(res: IncomingMessage) {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        return fail(new NetGuardError('redirect', `${what} answered ${status} redirecting to ${res.headers.location}; redirects are not followed`));
      }
      const tooLarge = () => new NetGuardError('too-large', `${what}: the answer is larger than ${req.maxResponseBytes} bytes`);
      if (Number(res.headers['content-length']) > req.maxResponseBytes) return fail(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxResponseBytes) fail(tooLarge());
        else chunks.push(chunk);
      });
      res.on('end', () => succeed({ status, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    }
  });
}

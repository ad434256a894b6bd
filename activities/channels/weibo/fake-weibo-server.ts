// Test support: a local stand-in for Weibo's fan-service API on 127.0.0.1 that
// speaks the documented reply API — POST /2/messages/reply.json, form-encoded
// access_token, type, data (JSON, URL-encoded), receiver_id, save_sender_box;
// text messages only (articles and position are not modelled) —
// answers errors the Weibo way ({error, error_code, request}), records what it
// accepted, and can be told to fail.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WeiboReplySent {
  receiverId: string;
  type: string;
  text: string;
  saveSenderBox?: string;
}

/** How a call fails: an HTTP status, with a Weibo error_code (JSON body) or without one (a gateway's HTML page). */
export interface WeiboFailure { status: number; errorCode?: number }

export interface FakeWeiboServer {
  url: string;
  /** Replies accepted, in order. */
  sent: WeiboReplySent[];
  /** Every call to reply.json, accepted or not. */
  calls: number;
  /** The next calls fail this way, one call each, in order; 'pass' lets that call through. */
  failNext(...failures: (WeiboFailure | 'pass')[]): void;
  /** Every call fails this way until called again without one. */
  outage(failure?: WeiboFailure): void;
  /** Replies to this uid are refused with this error (a customer who unfollowed, or blocked the account). */
  refuseReceiver(uid: string, errorCode: number): void;
  close(): Promise<void>;
}

const REQUEST = '/2/messages/reply.json';
/** "文本大小必须小于300个汉字". */
const MAX_TEXT_CHARS = 299;

const ERRORS: Record<number, string> = {
  10001: 'System error',
  10007: 'Unsupport mediatype (%s)',
  10016: 'Miss required parameter (%s) , see doc for more info',
  10017: "Parameter (%s)'s value invalid, see doc for more info",
  10023: 'User requests out of rate limit',
  20003: 'User does not exists',
  21327: 'expired_token',
  21332: 'invalid_access_token',
};

export async function startFakeWeiboServer(account: { accessToken: string }): Promise<FakeWeiboServer> {
  const failures: (WeiboFailure | 'pass')[] = [];
  const refused = new Map<string, number>();
  let down: WeiboFailure | undefined;
  const fake: FakeWeiboServer = {
    url: '',
    sent: [],
    calls: 0,
    failNext: (...next) => { failures.push(...next); },
    outage: (failure) => { down = failure; },
    refuseReceiver: (uid, errorCode) => { refused.set(uid, errorCode); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };

  const error = (res: ServerResponse, status: number, code: number, detail = '') => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' })
      .end(JSON.stringify({ error: (ERRORS[code] ?? 'error').replace('%s', detail), error_code: code, request: REQUEST }));
  };

  function reply(req: IncomingMessage, body: string, res: ServerResponse) {
    fake.calls++;
    const next = failures.shift();
    const failure = down ?? (next === 'pass' ? undefined : next);
    if (failure) {
      if (failure.errorCode === undefined) return void res.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return error(res, failure.status, failure.errorCode);
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return error(res, 400, 10007, req.headers['content-type'] ?? '');
    const form = new URLSearchParams(body);
    for (const name of ['access_token', 'type', 'data', 'receiver_id']) {
      if (!form.get(name)) return error(res, 400, 10016, name);
    }
    if (form.get('access_token') !== account.accessToken) return error(res, 403, 21332);
    const type = form.get('type')!;
    if (!['text', 'articles', 'position'].includes(type)) return error(res, 400, 10017, 'type');
    const receiverId = form.get('receiver_id')!;
    if (!/^[1-9][0-9]{0,19}$/.test(receiverId)) return error(res, 400, 10017, 'receiver_id');
    const saveSenderBox = form.get('save_sender_box') ?? undefined;
    if (saveSenderBox !== undefined && saveSenderBox !== '0' && saveSenderBox !== '1') return error(res, 400, 10017, 'save_sender_box');
    let data: unknown;
    try {
      data = JSON.parse(form.get('data')!);
    } catch {
      return error(res, 400, 10017, 'data');
    }
    const text = (data as { text?: unknown } | null)?.text;
    if (type !== 'text' || typeof text !== 'string' || text === '' || [...text].length > MAX_TEXT_CHARS) return error(res, 400, 10017, 'data');
    const refusal = refused.get(receiverId);
    if (refusal !== undefined) return error(res, 403, refusal);
    fake.sent.push({ receiverId, type, text, ...(saveSenderBox ? { saveSenderBox } : {}) });
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
      .end(JSON.stringify({ result: true, receiver_id: receiverId, type, data: encodeURIComponent(JSON.stringify({ text })) }));
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'POST' && url.pathname === REQUEST) return reply(req, Buffer.concat(chunks).toString('utf8'), res);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

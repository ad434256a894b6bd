// Test support: a local stand-in for the WeCom API on 127.0.0.1 that speaks
// its documented customer-service protocol — `GET /cgi-bin/gettoken`,
// `POST /cgi-bin/kf/sync_msg`, `POST /cgi-bin/kf/send_msg` and
// `GET /cgi-bin/media/get` (temporary media: the file with its type and name,
// errcode 40007 for an unknown id, 830002 above 20 MB) and
// `POST /cgi-bin/media/upload?type=image` (a form with the file as `media`:
// JPG or PNG of at most 10 MB), all with
// `?access_token=` — and records what it got. Customers "write" through
// customerWrites(), which queues the message and returns the callback Token
// the test then sends in its kf_msg_or_event callback; tapping an item of a
// menu message is writing its content, with the item's id as `menu_id`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uploadedImage } from '../fake-form';

/** A menu item; send_msg also has `view`, `miniprogram` and `text` items, which the fake checks only loosely. */
export interface KfMenuItem { type: string; click?: { id: string; content: string } }
export interface KfSentMessage {
  touser: string; open_kfid: string; msgid?: string; msgtype: string; text?: { content: string };
  msgmenu?: { head_content?: string; list: KfMenuItem[]; tail_content?: string };
  /** An image message: a media_id from media/upload (unknown: errcode 40007). */
  image?: { media_id: string };
}
export interface KfUpload { mediaId: string; type: string; filename: string; contentType: string; bytes: Buffer }
export interface KfSyncRequest { cursor?: string; token?: string; limit?: number; open_kfid?: string }
export interface KfMessage {
  msgid: string; open_kfid: string; external_userid: string; send_time: number; origin: number; msgtype: string;
  text?: { content: string; menu_id?: string };
}

export interface FakeWecomServer {
  url: string;
  /** Messages accepted by send_msg, in order (a repeated msgid is answered, not sent twice). */
  sent: KfSentMessage[];
  /** Files accepted by media/upload, in order. */
  uploads: KfUpload[];
  /** Every sync_msg body received. */
  syncRequests: KfSyncRequest[];
  tokensIssued: number;
  /** The cursor the last sync_msg page answered. */
  lastCursor: string | undefined;
  /** Messages per sync_msg page at most (default: the request's limit). */
  pageSize: number;
  /** A customer writes to the account (or taps menu item `menuId`, whose content is `content`): the message is queued; answers the callback Token. */
  customerWrites(externalUserId: string, content: string, menuId?: string): string;
  /** The next sync_msg page starts this many messages before its cursor (WeCom may repeat messages). */
  overlapNext(count: number): void;
  /** The next send_msg answers this errcode once; 42001 also revokes the token it was called with. */
  failNextSend(errcode: number): void;
  /** Temporary media media/get serves under this id. */
  putMedia(mediaId: string, file: { bytes: Buffer; contentType: string; name: string }): void;
  /** How many media/get calls it answered (any outcome). */
  mediaRequests: number;
  /** Every token issued so far stops working (40014), as when the app's tokens were reset. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  0: 'ok',
  40001: 'invalid secret',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid file size',
  40007: 'invalid media_id',
  41005: 'media data missing',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  42001: 'access_token expired',
  44004: 'empty content',
  45002: 'content size out of limit',
  47001: 'data format error',
  95000: 'invalid open_kfid',
  95007: 'invalid msg token',
  95015: 'invalid cursor',
  95018: 'invalid external_userid',
  40058: 'invalid limit',
  830002: 'file size exceeds 20M, please use Range to download in chunks',
};

/** media/get answers a file larger than this only in Range requests (830002 without one). */
const MEDIA_WHOLE_MAX_BYTES = 20 * 1024 * 1024;

/** send_msg's menu limits: 10 items; head and tail 1024 bytes; a click item's id 1–64 and content 1–128 bytes. */
const MENU = { items: 10, headBytes: 1024, idBytes: 64, contentBytes: 128 };

const bytesWithin = (value: unknown, min: number, max: number) =>
  typeof value === 'string' && Buffer.byteLength(value) >= min && Buffer.byteLength(value) <= max;

/** The errcode for a malformed menu message, or undefined when send_msg takes it. */
function menuError(menu: KfSentMessage['msgmenu'] | undefined): number | undefined {
  if (typeof menu !== 'object' || menu === null || !Array.isArray(menu.list)) return 47001;
  for (const text of [menu.head_content, menu.tail_content]) {
    if (text !== undefined && !bytesWithin(text, 0, MENU.headBytes)) return typeof text === 'string' ? 45002 : 47001;
  }
  if (menu.list.length === 0 || menu.list.length > MENU.items) return 47001;
  const wellFormed = (item: unknown) => {
    if (typeof item !== 'object' || item === null) return false;
    const { type, ...rest } = item as Record<string, unknown>;
    if (type !== 'click') return typeof type === 'string' && ['view', 'miniprogram', 'text'].includes(type) && typeof rest[type] === 'object';
    const click = rest.click as Record<string, unknown> | undefined;
    return bytesWithin(click?.id, 1, MENU.idBytes) && bytesWithin(click?.content, 1, MENU.contentBytes);
  };
  return menu.list.every(wellFormed) ? undefined : 47001;
}

export async function startFakeWecomServer(app: { corpId: string; secret: string; openKfId: string }): Promise<FakeWecomServer> {
  const tokens = new Set<string>();
  const msgTokens = new Set<string>();
  const messages: KfMessage[] = [];
  const sentIds = new Set<string>();
  const failures: number[] = [];
  let overlap = 0;
  const media = new Map<string, { bytes: Buffer; contentType: string; name: string }>();
  const fake: FakeWecomServer = {
    url: '',
    sent: [],
    uploads: [],
    syncRequests: [],
    tokensIssued: 0,
    lastCursor: undefined,
    pageSize: Number.POSITIVE_INFINITY,
    customerWrites(externalUserId, content, menuId) {
      messages.push({
        msgid: randomBytes(16).toString('hex'), open_kfid: app.openKfId, external_userid: externalUserId,
        send_time: Math.floor(Date.now() / 1000), origin: 3, msgtype: 'text', text: { content, ...(menuId ? { menu_id: menuId } : {}) },
      });
      const token = `ENC${randomBytes(18).toString('base64url')}`;
      msgTokens.add(token);
      return token;
    },
    overlapNext: (count) => { overlap = count; },
    failNextSend: (errcode) => { failures.push(errcode); },
    putMedia: (mediaId, file) => { media.set(mediaId, file); },
    mediaRequests: 0,
    revokeTokens: () => { tokens.clear(); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };

  const answer = (res: ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...body }));
  };
  const error = (res: ServerResponse, errcode: number) => answer(res, { errcode, errmsg: ERRMSG[errcode] ?? 'error' });

  function gettoken(url: URL, res: ServerResponse) {
    if (url.searchParams.get('corpid') !== app.corpId) return error(res, 40013);
    if (url.searchParams.get('corpsecret') !== app.secret) return error(res, 40001);
    const accessToken = randomBytes(32).toString('base64url');
    tokens.add(accessToken);
    fake.tokensIssued++;
    answer(res, { access_token: accessToken, expires_in: 7200 });
  }

  function parse<T>(body: string): T | undefined {
    try {
      const value = JSON.parse(body) as unknown;
      return typeof value === 'object' && value !== null ? value as T : undefined;
    } catch {
      return undefined;
    }
  }

  function syncMsg(body: string, res: ServerResponse) {
    const req = parse<KfSyncRequest>(body);
    if (!req) return error(res, 47001);
    fake.syncRequests.push(req);
    if (req.open_kfid !== app.openKfId) return error(res, 95000);
    if (req.token !== undefined && !msgTokens.has(req.token)) return error(res, 95007);
    const limit = req.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(res, 40058);
    let start = 0;
    if (req.cursor !== undefined) {
      const m = /^C([0-9]+)$/.exec(req.cursor);
      if (!m || Number(m[1]) > messages.length) return error(res, 95015);
      start = Number(m[1]);
    }
    start = Math.max(0, start - overlap);
    overlap = 0;
    const page = messages.slice(start, start + Math.min(limit, fake.pageSize));
    const end = start + page.length;
    fake.lastCursor = `C${end}`;
    answer(res, { next_cursor: fake.lastCursor, has_more: end < messages.length ? 1 : 0, msg_list: page });
  }

  function sendMsg(accessToken: string, body: string, res: ServerResponse) {
    const failure = failures.shift();
    if (failure !== undefined) {
      if (failure === 42001) tokens.delete(accessToken);
      return error(res, failure);
    }
    const msg = parse<KfSentMessage>(body);
    if (!msg) return error(res, 47001);
    if (msg.open_kfid !== app.openKfId) return error(res, 95000);
    if (!msg.touser || !messages.some((m) => m.external_userid === msg.touser)) return error(res, 95018);
    if (msg.msgid !== undefined && !/^[0-9a-zA-Z_-]{1,32}$/.test(msg.msgid)) return error(res, 47001);
    if (msg.msgtype === 'msgmenu') {
      const invalid = menuError(msg.msgmenu);
      if (invalid !== undefined) return error(res, invalid);
    } else if (msg.msgtype === 'image') {
      if (!fake.uploads.some((u) => u.mediaId === msg.image?.media_id)) return error(res, 40007);
    } else {
      if (msg.msgtype !== 'text' || typeof msg.text?.content !== 'string' || !msg.text.content) return error(res, 44004);
      if (Buffer.byteLength(msg.text.content) > 2048) return error(res, 45002);
    }
    const msgid = msg.msgid ?? randomBytes(16).toString('hex');
    if (!sentIds.has(msgid)) {
      sentIds.add(msgid);
      fake.sent.push(msg);
    }
    answer(res, { msgid });
  }

  function mediaGet(url: URL, res: ServerResponse) {
    fake.mediaRequests++;
    if (!tokens.has(url.searchParams.get('access_token') ?? '')) return error(res, 40014);
    const found = media.get(url.searchParams.get('media_id') ?? '');
    if (!found) return error(res, 40007);
    if (found.bytes.length > MEDIA_WHOLE_MAX_BYTES) return error(res, 830002);
    res.writeHead(200, {
      'content-type': found.contentType, 'content-length': String(found.bytes.length),
      'content-disposition': `attachment; filename="${found.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
    }).end(found.bytes);
  }

  function upload(url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse) {
    if (!tokens.has(url.searchParams.get('access_token') ?? '')) return error(res, 40014);
    const type = url.searchParams.get('type') ?? '';
    if (type !== 'image') return error(res, 40004); // the only type this stand-in takes
    const file = uploadedImage(req, body, ['image/png', 'image/jpeg'], 10 * 1024 * 1024);
    if (typeof file === 'number') return error(res, file);
    const mediaId = `upl_${randomBytes(12).toString('base64url')}`;
    fake.uploads.push({ mediaId, type, ...file });
    answer(res, { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') return gettoken(url, res);
      if (req.method === 'GET' && url.pathname === '/cgi-bin/media/get') return mediaGet(url, res);
      if (req.method === 'POST' && url.pathname === '/cgi-bin/media/upload') return upload(url, req, Buffer.concat(chunks), res);
      if (req.method !== 'POST' || !['/cgi-bin/kf/sync_msg', '/cgi-bin/kf/send_msg'].includes(url.pathname)) return void res.writeHead(404).end();
      const accessToken = url.searchParams.get('access_token') ?? '';
      if (!tokens.has(accessToken)) return error(res, 40014);
      const body = Buffer.concat(chunks).toString('utf8');
      return url.pathname === '/cgi-bin/kf/sync_msg' ? syncMsg(body, res) : sendMsg(accessToken, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

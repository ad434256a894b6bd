// Test support: a local stand-in for the WeChat API on 127.0.0.1 that speaks
// its documented protocol — `GET /cgi-bin/token` (client_credential),
// `POST /cgi-bin/message/custom/send?access_token=` (text, menu, news and image
// messages), `GET /cgi-bin/media/get?access_token=&media_id=` (temporary media:
// the file, `{video_url}` for a video, errcode 40007 for an unknown id) and
// `POST /cgi-bin/media/upload?access_token=&type=image` (a form with the file
// as `media`: PNG, JPEG or GIF of at most 2 MB) — and records what it got.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uploadedImage } from '../fake-form';

export interface CustomMessage {
  touser: string;
  msgtype: string;
  text?: { content: string };
  /** A menu message: the follower taps an item and WeChat sends its content back as a text message. */
  msgmenu?: { head_content?: string; list: { id: string; content: string }[]; tail_content?: string };
  /** A news message: one article that opens its url (more than one: errcode 45008, since October 2018). */
  news?: { articles: { title?: string; description?: string; url?: string; picurl?: string }[] };
  /** An image message: a media_id from media/upload (unknown: errcode 40007). */
  image?: { media_id: string };
}

export interface UploadedMedia {
  mediaId: string;
  type: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakeWechatServer {
  url: string;
  /** Messages accepted by custom/send, in order. */
  sent: CustomMessage[];
  /** Files accepted by media/upload, in order. */
  uploads: UploadedMedia[];
  /** How many access tokens were issued. */
  tokensIssued: number;
  /**
   * The next custom/send answers this errcode once. 42001 (token expired)
   * also revokes the token it was called with, as WeChat would; 0 lets that
   * call through (to fail a later one).
   */
  failNextSend(errcode: number): void;
  /** Every custom/send answers this errcode until called again without one (an outage). */
  outage(errcode?: number): void;
  /** Every send to this openid is refused with this errcode (45015: outside the reply window). */
  refuseOpenid(openid: string, errcode: number): void;
  /** Menu messages are refused as from an account that may not send them (40200), or with another errcode; undefined: accepted again. */
  refuseMenus(errcode?: number): void;
  /** Temporary media media/get serves under this id (a video answers `{video_url}`, downloaded from this server). */
  putMedia(mediaId: string, file: { bytes: Buffer; contentType: string; video?: boolean }): void;
  /** How many media/get calls it answered (any outcome). */
  mediaRequests: number;
  /** The next media/get answers this errcode once. */
  failNextMedia(errcode: number): void;
  /** Every token issued so far stops working (40001), as when another client fetched a new one. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  0: 'ok',
  40002: 'invalid grant_type',
  45002: 'content size out of limit',
  45008: 'article size out of limit',
  40001: 'invalid credential, access_token is invalid or not latest',
  40007: 'invalid media_id',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid media size',
  41005: 'media data missing',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40125: 'invalid appsecret',
  42001: 'access_token expired',
  44002: 'empty post data',
  45015: 'response out of time limit or subscription is canceled',
  45098: 'msgmenu list size is out of limit',
  40200: 'invalid account type',
  47001: 'data format error',
};

/** A menu has at most this many items: WeChat answers 45098 for a longer list, but does not document the limit; 10 is WeCom's. */
const MAX_MENU_ITEMS = 10;

const nonEmptyString = (value: unknown) => typeof value === 'string' && value !== '';

/** The errcode for a malformed menu (`{head_content?, list: [{id, content}], tail_content?}`, 1 to 10 items), or undefined. */
function menuError(menu: unknown): number | undefined {
  if (typeof menu !== 'object' || menu === null) return 44002;
  const { head_content: head, list, tail_content: tail } = menu as Record<string, unknown>;
  if ((head !== undefined && typeof head !== 'string') || (tail !== undefined && typeof tail !== 'string')) return 47001;
  if (!Array.isArray(list) || list.length === 0) return 47001;
  if (list.length > MAX_MENU_ITEMS) return 45098;
  const wellFormed = (item: unknown) => typeof item === 'object' && item !== null
    && nonEmptyString((item as Record<string, unknown>).id) && nonEmptyString((item as Record<string, unknown>).content);
  return list.every(wellFormed) ? undefined : 47001;
}

/** The errcode for a malformed news message (`{articles: [{title?, description?, url?, picurl?}]}`, one article), or undefined. */
function newsError(news: unknown): number | undefined {
  const articles = typeof news === 'object' && news !== null ? (news as { articles?: unknown }).articles : undefined;
  if (!Array.isArray(articles) || articles.length === 0) return 44002;
  if (articles.length > 1) return 45008;
  const fields = ['title', 'description', 'url', 'picurl'];
  const wellFormed = (a: unknown) => typeof a === 'object' && a !== null
    && Object.entries(a).every(([k, v]) => fields.includes(k) && typeof v === 'string');
  return articles.every(wellFormed) ? undefined : 47001;
}

export async function startFakeWechatServer(app: { appId: string; appSecret: string }): Promise<FakeWechatServer> {
  const tokens = new Set<string>();
  const failures: number[] = [];
  const refused = new Map<string, number>();
  let down: number | undefined;
  let menusRefused: number | undefined;
  const media = new Map<string, { bytes: Buffer; contentType: string; video?: boolean }>();
  const mediaFailures: number[] = [];
  const fake = {
    url: '',
    sent: [] as CustomMessage[],
    uploads: [] as UploadedMedia[],
    tokensIssued: 0,
    failNextSend: (errcode: number) => { failures.push(errcode); },
    outage: (errcode?: number) => { down = errcode; },
    refuseOpenid: (openid: string, errcode: number) => { refused.set(openid, errcode); },
    refuseMenus: (errcode?: number) => { menusRefused = errcode; },
    putMedia: (mediaId: string, file: { bytes: Buffer; contentType: string; video?: boolean }) => { media.set(mediaId, file); },
    mediaRequests: 0,
    failNextMedia: (errcode: number) => { mediaFailures.push(errcode); },
    revokeTokens: () => { tokens.clear(); },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };

  const answer = (res: ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, errcode: number) => answer(res, { errcode, errmsg: ERRMSG[errcode] ?? 'error' });

  function token(url: URL, res: ServerResponse) {
    if (url.searchParams.get('grant_type') !== 'client_credential') return error(res, 40002);
    if (url.searchParams.get('appid') !== app.appId) return error(res, 40013);
    if (url.searchParams.get('secret') !== app.appSecret) return error(res, 40125);
    const accessToken = randomBytes(24).toString('base64url');
    tokens.add(accessToken);
    fake.tokensIssued++;
    answer(res, { access_token: accessToken, expires_in: 7200 });
  }

  function send(url: URL, body: string, res: ServerResponse) {
    const accessToken = url.searchParams.get('access_token') ?? '';
    if (!tokens.has(accessToken)) return error(res, 40001);
    const failure = down ?? failures.shift();
    if (failure !== undefined && failure !== 0) {
      if (failure === 42001) tokens.delete(accessToken);
      return error(res, failure);
    }
    let message: CustomMessage;
    try {
      message = JSON.parse(body) as CustomMessage;
    } catch {
      return error(res, 47001);
    }
    if (!message.touser) return error(res, 40003);
    if (message.msgtype === 'msgmenu') {
      const invalid = menuError(message.msgmenu);
      if (invalid !== undefined) return error(res, invalid);
      if (menusRefused !== undefined) return error(res, menusRefused);
    } else if (message.msgtype === 'news') {
      const invalid = newsError(message.news);
      if (invalid !== undefined) return error(res, invalid);
    } else if (message.msgtype === 'image') {
      if (!fake.uploads.some((u) => u.mediaId === message.image?.media_id)) return error(res, 40007);
    } else {
      if (message.msgtype !== 'text' || typeof message.text?.content !== 'string' || !message.text.content) return error(res, 44002);
      if (Buffer.byteLength(message.text.content) > 2048) return error(res, 45002);
    }
    const refusal = refused.get(message.touser);
    if (refusal !== undefined) return error(res, refusal);
    fake.sent.push(message);
    error(res, 0);
  }

  const file = (res: ServerResponse, { bytes, contentType }: { bytes: Buffer; contentType: string }, name: string) => {
    res.writeHead(200, {
      'content-type': contentType, 'content-length': String(bytes.length), 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-cache, must-revalidate',
    }).end(bytes);
  };

  function mediaGet(url: URL, res: ServerResponse) {
    fake.mediaRequests++;
    if (!tokens.has(url.searchParams.get('access_token') ?? '')) return error(res, 40001);
    const failure = mediaFailures.shift();
    if (failure !== undefined) return error(res, failure);
    const mediaId = url.searchParams.get('media_id') ?? '';
    const found = media.get(mediaId);
    if (!found) return error(res, 40007);
    if (found.video) return answer(res, { video_url: `${fake.url}/video/${encodeURIComponent(mediaId)}` });
    file(res, found, `${mediaId}.${found.contentType.split('/')[1] ?? 'bin'}`);
  }

  function upload(url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse) {
    if (!tokens.has(url.searchParams.get('access_token') ?? '')) return error(res, 40001);
    const type = url.searchParams.get('type') ?? '';
    if (type !== 'image') return error(res, 40004); // the only type this stand-in takes
    const file = uploadedImage(req, body, ['image/png', 'image/jpeg', 'image/gif'], 2 * 1024 * 1024);
    if (typeof file === 'number') return error(res, file);
    const mediaId = `upl_${randomBytes(12).toString('base64url')}`;
    fake.uploads.push({ mediaId, type, ...file });
    answer(res, { type, media_id: mediaId, created_at: Math.floor(Date.now() / 1000) });
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') return token(url, res);
      if (req.method === 'GET' && url.pathname === '/cgi-bin/media/get') return mediaGet(url, res);
      const video = req.method === 'GET' && /^\/video\/(.+)$/.exec(url.pathname);
      if (video && media.get(decodeURIComponent(video[1]!))?.video) return file(res, media.get(decodeURIComponent(video[1]!))!, `${video[1]}.mp4`);
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') return send(url, Buffer.concat(chunks).toString('utf8'), res);
      if (req.method === 'POST' && url.pathname === '/cgi-bin/media/upload') return upload(url, req, Buffer.concat(chunks), res);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}


// Media customers send on WeChat and WeCom — voice notes, videos, pictures,
// files — arrive as the provider's media id only, and the provider keeps the
// file three days. A copy goes into the media store (../media-store.ts):
// eagerly, by the worker right after the message is stored (`keep`), and on
// demand when an agent opens it (`copy`, from
// GET /api/v1/conversations/:id/media/:messageId/:index). Both go through one
// copy, which records the stored copy's id on the message's media ref (an
// update by `_id`). Each channel's download (./wechat/media.ts,
// ./wecom/media.ts) uses the account's shared access token, refreshed once
// when the provider refuses it; it reads at most MAX_PROVIDER_MEDIA_BYTES and
// takes the type from the response. Tokens are never put into an error.
import { mediaStore, safeFileName, type MediaInfo } from '../media-store';
import type { StoredMessage } from '../messages';
import type { Models } from '../store';
import type { MediaRef } from '../types';
import { withFreshToken, type AccessTokenCache } from './access-token';

/** The largest copy kept: WeCom's limit for a file download in one piece (larger ones need Range requests); WeChat's media are smaller. */
export const MAX_PROVIDER_MEDIA_BYTES = 20 * 1024 * 1024;
/** A download's whole time; a 20 MB file over a slow link needs more than an API call's 4 s. */
const DOWNLOAD_TIMEOUT_MS = 30_000;
/** A JSON answer is an error or a pointer; anything longer is a file. */
const MAX_JSON_ANSWER_BYTES = 64 * 1024;

/**
 * Why media could not be had: `not-found` (no such media, or no way to fetch
 * it), `gone` (the provider no longer has it: expired or unknown id),
 * `too-large`, `unavailable` (the provider did not answer or is busy: later
 * may work), `refused` (the provider refused the account).
 */
export type ProviderMediaFailure = 'not-found' | 'gone' | 'too-large' | 'unavailable' | 'refused';

export class ProviderMediaError extends Error {
  readonly reason: ProviderMediaFailure;
  constructor(reason: ProviderMediaFailure, message: string) {
    super(message);
    this.name = 'ProviderMediaError';
    this.reason = reason;
  }
}

export interface DownloadedMedia {
  bytes: Buffer;
  /** `type/subtype` as the provider answered it; application/octet-stream when it said nothing usable. */
  mime: string;
  /** The file name the provider gave (Content-Disposition), when it gave one. */
  name?: string;
}

/** A channel's download of one media id through the inbox's account; throws a ProviderMediaError. */
export type FetchProviderMedia = (inboxId: string, providerMediaId: string, maxBytes: number) => Promise<DownloadedMedia>;

export type ProviderMediaFetchers = Partial<Record<string, FetchProviderMedia>>;

/** How a provider's media API is called: `GET url` with a token, answering the file or JSON. */
export interface MediaApi<I> {
  /** Its name in errors: WeChat, WeCom. */
  provider: string;
  tokens: AccessTokenCache<I>;
  url(inbox: I, token: string, mediaId: string): string;
  /** Errcodes that mean "fetch a new token and try once more". */
  staleToken: ReadonlySet<number>;
  /** What other errcodes mean; one not listed is a refusal. */
  failures: Readonly<Record<number, ProviderMediaFailure>>;
  /** A JSON answer that is no error but says where the file is (WeChat's `video_url`). */
  fileUrl?(answer: Record<string, unknown>): string | undefined;
}

/** Downloads one media id: the file, after at most one token refresh; a ProviderMediaError otherwise. */
export async function downloadMedia<I>(api: MediaApi<I>, inbox: I, mediaId: string, maxBytes: number): Promise<DownloadedMedia> {
  const errcode = (answer: MediaAnswer) => ('json' in answer ? Number(answer.json.errcode ?? 0) : 0);
  const answer = await withFreshToken(api.tokens, inbox, (a: MediaAnswer) => api.staleToken.has(errcode(a)), (token) =>
    getMedia(api.url(inbox, token, mediaId), api.provider, maxBytes));
  if ('file' in answer) return answer.file;
  const code = errcode(answer);
  const elsewhere = code === 0 ? api.fileUrl?.(answer.json) : undefined;
  if (elsewhere) {
    const file = await getMedia(elsewhere, api.provider, maxBytes);
    if ('file' in file) return file.file;
    throw new ProviderMediaError('unavailable', `the ${api.provider} file download answered JSON instead of the file`);
  }
  const errmsg = typeof answer.json.errmsg === 'string' && answer.json.errmsg ? ` (${answer.json.errmsg.slice(0, 200)})` : '';
  const reason = code === 0 ? 'unavailable' : api.failures[code] ?? 'refused';
  throw new ProviderMediaError(reason, `${api.provider} media/get errcode ${code}${errmsg}`);
}

type MediaAnswer = { json: Record<string, unknown> } | { file: DownloadedMedia };

/** One GET: the provider's JSON answer (an error, or where the file is), or the file, read up to maxBytes. Names no URL in errors (it holds the token). */
async function getMedia(url: string, provider: string, maxBytes: number): Promise<MediaAnswer> {
  const unavailable = (what: string) => new ProviderMediaError('unavailable', `the ${provider} media download ${what}`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (err) {
    throw unavailable(`did not answer: ${(err as Error).name}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw unavailable(`answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(provider, maxBytes);
  }
  let bytes: Buffer;
  try {
    bytes = await readAtMost(res, maxBytes);
  } catch (err) {
    if (err instanceof ProviderMediaError) throw tooLarge(provider, maxBytes);
    throw unavailable(`broke off: ${(err as Error).name}`);
  }
  const mime = mediaType(res.headers.get('content-type'));
  const json = mime === 'application/json' || mime === 'text/plain' ? jsonAnswer(bytes) : undefined;
  if (json) return { json };
  const name = fileName(res.headers.get('content-disposition'));
  return { file: { bytes, mime, ...(name ? { name } : {}) } };
}

const tooLarge = (provider: string, maxBytes: number) =>
  new ProviderMediaError('too-large', `the ${provider} file is larger than the ${maxBytes / (1024 * 1024)} MB a copy may have`);

/** The body, refused (a ProviderMediaError) as soon as it passes maxBytes, whatever Content-Length said. */
async function readAtMost(res: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ProviderMediaError('too-large', 'too large');
    }
    chunks.push(Buffer.from(value));
  }
}

/** `type/subtype`, lower case, from a Content-Type header; application/octet-stream when absent or malformed. */
function mediaType(header: string | null): string {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/.test(type) ? type : 'application/octet-stream';
}

/** A JSON object that is a provider's answer (an errcode, or where the file is), not a file that happens to be JSON. */
function jsonAnswer(bytes: Buffer): Record<string, unknown> | undefined {
  if (bytes.length > MAX_JSON_ANSWER_BYTES) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && ('errcode' in value || 'video_url' in value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: a file
  }
  return undefined;
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` first), unchecked; undefined when it has none. */
function fileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) return extended[1]!.trim();
  return /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header)?.slice(1).find((v) => v !== undefined)?.trim() || undefined;
}

/** The message fields a copy needs. */
export type MessageWithMedia = Pick<StoredMessage, '_id' | 'channel' | 'inboxId' | 'visitorId' | 'direction' | 'media'>;

export interface ProviderMedia {
  /**
   * The stored copy of a message's media item `index`: kept already, or
   * downloaded now from the provider; a ProviderMediaError when there is none
   * to be had.
   */
  copy(message: MessageWithMedia, index: number): Promise<MediaInfo>;
  /** Starts copying an inbound message's provider media that has no URL; returns at once and never throws (failures are logged). */
  keep(message: MessageWithMedia): void;
}

export function providerMedia(models: Models, fetchers: ProviderMediaFetchers, opts: { maxBytes?: number; log?: (line: string) => void } = {}): ProviderMedia {
  const store = mediaStore(models);
  const maxBytes = opts.maxBytes ?? MAX_PROVIDER_MEDIA_BYTES;
  const log = opts.log ?? ((line: string) => console.error(`[huiliu] ${line}`));
  /** Copies under way in this process, so the eager copy and an agent's request download once. */
  const copying = new Map<string, Promise<MediaInfo>>();

  async function copyNow(message: MessageWithMedia, index: number, ref: MediaRef): Promise<MediaInfo> {
    const fetch = fetchers[message.channel];
    if (!ref.providerMediaId || !fetch) throw new ProviderMediaError('not-found', 'there is no copy of this media and no way to fetch it from the channel');
    let got: DownloadedMedia;
    try {
      got = await fetch(message.inboxId, ref.providerMediaId, maxBytes);
    } catch (err) {
      if (err instanceof ProviderMediaError) throw err;
      // The access token could not be had: the provider refused the account (an errcode) or did not answer.
      throw new ProviderMediaError(typeof (err as { errcode?: unknown }).errcode === 'number' ? 'refused' : 'unavailable', (err as Error).message);
    }
    // The provider's type, unless it said nothing the message did not know better (WeChat's voice Format).
    const mime = got.mime === 'application/octet-stream' && ref.mime ? ref.mime : got.mime;
    const ext = /^[a-z0-9]{1,10}$/.exec(mime.split('/')[1]!.replace(/^x-/, ''))?.[0] ?? 'bin';
    const info = await store.save({
      inboxId: message.inboxId, visitorId: message.visitorId, kind: ref.kind, source: 'provider', mime,
      name: got.name ? safeFileName(got.name, ext) : ref.name ?? `${ref.kind}.${ext}`, bytes: got.bytes,
    });
    await models.Message.updateOne({ _id: message._id }, {
      $set: { [`media.${index}.id`]: info.id, [`media.${index}.size`]: info.size, ...(ref.mime ? {} : { [`media.${index}.mime`]: mime }) },
    }).exec();
    return info;
  }

  async function copy(message: MessageWithMedia, index: number): Promise<MediaInfo> {
    const ref = (message.media as MediaRef[] | null | undefined)?.[index];
    if (!ref) throw new ProviderMediaError('not-found', `the message has no media #${index}`);
    const kept = ref.id ? await store.info(ref.id) : undefined;
    if (kept) return kept;
    const key = `${message._id}#${index}`;
    let pending = copying.get(key);
    if (!pending) {
      pending = copyNow(message, index, ref);
      copying.set(key, pending);
      const done = () => { copying.delete(key); };
      pending.then(done, done);
    }
    return pending;
  }

  return {
    copy,
    keep(message) {
      if (message.direction !== 'in' || !fetchers[message.channel]) return;
      ((message.media ?? []) as MediaRef[]).forEach((ref, index) => {
        // Media with a URL (WeChat's PicUrl) can be shown from there; an agent may still ask for a copy.
        if (!ref.providerMediaId || ref.id || ref.url) return;
        copy(message, index).catch((err: Error) => {
          log(`keeping a copy of ${message.channel} media #${index} of message ${message._id} failed: ${err.message}`);
        });
      });
    },
  };
}

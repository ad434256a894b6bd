// The media store: files web chat visitors upload (images and documents).
//
// Kept in the database, not on a server's disk: servers are stateless and run
// many behind a load balancer, so a file one stored must be readable by every
// other. A document is capped at 16 MB (MongoDB, and FerretDB v1), so the
// bytes go in 1 MiB chunks (`mediaChunks`, `_id` = `<mediaId>:<n>`: every read
// is by `_id`, the only indexed filter on FerretDB v1); the `media` document,
// written after its chunks (an insert, so atomic), says what the file is. An
// upload that dies half way leaves chunks no media document names: unreachable
// and harmless.
//
// What may be uploaded: the limits below, checked against the declared type,
// the size and the file's first bytes (a "PNG" that is not one is refused), so
// what we serve back is what it says it is.
import { createHash, randomBytes } from 'node:crypto';
import type { Models } from '../activities/store';
import type { MediaRef } from '../activities/types';
import { AppError } from './errors';

const MB = 1024 * 1024;
const CHUNK_BYTES = 1 * MB;

export type UploadKind = 'image' | 'file';

interface TypeRule {
  kind: UploadKind;
  /** The extension a nameless upload gets. */
  ext: string;
  /** Whether the bytes are what the type says. */
  looksRight: (bytes: Buffer) => boolean;
}

const startsWith = (bytes: Buffer, ...sig: (number | string)[]) => {
  const expected = Buffer.concat(sig.map((s) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from([s]))));
  return bytes.length >= expected.length && bytes.subarray(0, expected.length).equals(expected);
};
// Office documents are zip files; so is an empty zip (end of central directory only).
const isZip = (b: Buffer) => startsWith(b, 'PK', 3, 4) || startsWith(b, 'PK', 5, 6);

const TYPES: Record<string, TypeRule> = {
  'image/jpeg': { kind: 'image', ext: 'jpg', looksRight: (b) => startsWith(b, 0xff, 0xd8, 0xff) },
  'image/png': { kind: 'image', ext: 'png', looksRight: (b) => startsWith(b, 0x89, 'PNG\r\n', 0x1a, '\n') },
  'image/gif': { kind: 'image', ext: 'gif', looksRight: (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a') },
  'image/webp': { kind: 'image', ext: 'webp', looksRight: (b) => startsWith(b, 'RIFF') && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  'application/pdf': { kind: 'file', ext: 'pdf', looksRight: (b) => startsWith(b, '%PDF-') },
  // Any text encoding (GBK as well as UTF-8); binary content has NUL bytes.
  'text/plain': { kind: 'file', ext: 'txt', looksRight: (b) => !b.includes(0) },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'file', ext: 'docx', looksRight: isZip },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'file', ext: 'xlsx', looksRight: isZip },
  'application/zip': { kind: 'file', ext: 'zip', looksRight: isZip },
};

/** Other names browsers give the same types (Windows calls a zip this). */
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-zip-compressed': 'application/zip' };

/** The limits, by kind: published to the widget (POST …/session) and in the API document. */
export const UPLOAD_LIMITS: Record<UploadKind, { maxBytes: number; types: string[]; extensions: string[] }> = {
  image: { maxBytes: 5 * MB, ...typesOf('image') },
  file: { maxBytes: 10 * MB, ...typesOf('file') },
};

/** The largest upload of any kind: what the server reads at most. */
export const MAX_UPLOAD_BYTES = Math.max(UPLOAD_LIMITS.image.maxBytes, UPLOAD_LIMITS.file.maxBytes);

function typesOf(kind: UploadKind) {
  const types = Object.entries(TYPES).filter(([, r]) => r.kind === kind);
  return { types: types.map(([t]) => t), extensions: types.map(([, r]) => `.${r.ext}`).concat(kind === 'image' ? ['.jpeg'] : []) };
}

const describeLimits = () => ({
  image: { maxBytes: UPLOAD_LIMITS.image.maxBytes, types: UPLOAD_LIMITS.image.types },
  file: { maxBytes: UPLOAD_LIMITS.file.maxBytes, types: UPLOAD_LIMITS.file.types },
});

/** `type/subtype` of a Content-Type header, lower case, aliases resolved; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return ALIASES[type] ?? type;
}

/**
 * The rule for a declared type, or 415 naming what is accepted. Called before
 * the body is read, with its declared length: too large is a 413 at once.
 */
export function uploadRule(contentType: string | undefined, declaredLength?: number): TypeRule & { mime: string } {
  const mime = mediaTypeOf(contentType);
  const rule = TYPES[mime];
  if (!rule) {
    throw new AppError(415, `this file type is not accepted${mime ? ` (${mime})` : ''}: images may be JPEG, PNG, GIF or WebP; files PDF, TXT, DOCX, XLSX or ZIP`, {
      type: mime || null, accepted: describeLimits(),
    });
  }
  if (declaredLength !== undefined) tooLarge(rule.kind, declaredLength);
  return { ...rule, mime };
}

function tooLarge(kind: UploadKind, size: number) {
  const { maxBytes } = UPLOAD_LIMITS[kind];
  if (size > maxBytes) {
    throw new AppError(413, `${kind === 'image' ? 'images' : 'files'} may be at most ${maxBytes / MB} MB; this one is ${(size / MB).toFixed(1)} MB`, {
      kind, size, maxBytes,
    });
  }
}

/** A checked upload: its kind, type and a safe name; 400 / 413 / 415 otherwise. */
export function checkUpload(contentType: string | undefined, bytes: Buffer, rawName: string | undefined): { kind: UploadKind; mime: string; name: string } {
  const rule = uploadRule(contentType);
  if (bytes.length === 0) throw new AppError(400, 'the file is empty', { size: 0 });
  tooLarge(rule.kind, bytes.length);
  if (!rule.looksRight(bytes)) {
    throw new AppError(415, `the file's content is not what its type (${rule.mime}) says`, { type: rule.mime });
  }
  return { kind: rule.kind, mime: rule.mime, name: safeFileName(rawName, rule.ext) };
}

/**
 * The name to keep: the `X-File-Name` header (percent-encoded UTF-8, as
 * encodeURIComponent writes it) without any path or control characters, at
 * most 200 characters; `upload.<ext>` when none is left.
 */
export function safeFileName(raw: string | undefined, ext: string): string {
  let name = raw ?? '';
  try { name = decodeURIComponent(name); } catch { /* not percent-encoded: taken as it is */ }
  name = name.replace(/^.*[\\/]/, '').replace(/[\p{Cc}\p{Cf}"]/gu, '').trim().slice(0, 200);
  return name && name !== '.' && name !== '..' ? name : `upload.${ext}`;
}

/** Where a stored file is served (relative to the server: the console and the widget page are on it). */
export const mediaUrl = (id: string) => `/api/v1/media/${id}`;

export interface MediaInfo {
  id: string;
  inboxId: string;
  visitorId: string;
  kind: UploadKind;
  mime: string;
  name: string;
  size: number;
  sha256: string;
  chunks: number;
  createdAt: Date;
}

/** What the upload answers, and what a message carries (activities/types.ts MediaRef). */
export function mediaRef(m: Pick<MediaInfo, 'id' | 'kind' | 'mime' | 'name' | 'size'>): MediaRef & { id: string; url: string } {
  return { kind: m.kind, id: m.id, url: mediaUrl(m.id), mime: m.mime, name: m.name, size: m.size };
}

/** 128 random bits: the media URL needs no sign-in (an <img> cannot send a token), so the id is the secret. */
const newMediaId = () => `med_${randomBytes(16).toString('hex')}`;
const chunkId = (mediaId: string, n: number) => `${mediaId}:${n}`;

export function mediaStore(models: Models) {
  return {
    /** Stores a checked upload; its chunks first, then the document that makes it visible. */
    async save(upload: { inboxId: string; visitorId: string; kind: UploadKind; mime: string; name: string; bytes: Buffer }): Promise<MediaInfo> {
      const id = newMediaId();
      const { bytes } = upload;
      const chunks: { _id: string; data: Buffer }[] = [];
      for (let n = 0, at = 0; at < bytes.length; n++, at += CHUNK_BYTES) chunks.push({ _id: chunkId(id, n), data: bytes.subarray(at, at + CHUNK_BYTES) });
      // One chunk per insert: a request stays far below the wire protocol's message limit.
      for (const chunk of chunks) await models.MediaChunk.create(chunk);
      const info: MediaInfo = {
        id, inboxId: upload.inboxId, visitorId: upload.visitorId, kind: upload.kind, mime: upload.mime, name: upload.name,
        size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), chunks: chunks.length, createdAt: new Date(),
      };
      const { id: _id, ...fields } = info;
      await models.Media.create({ _id, ...fields });
      return info;
    },

    /** What a stored file is; undefined when there is none of that id. */
    async info(id: string): Promise<MediaInfo | undefined> {
      const doc = await models.Media.findById(id).lean().exec();
      if (!doc) return undefined;
      const { _id, ...fields } = doc;
      return { id: _id, ...fields } as MediaInfo;
    },

    /** The file's bytes, a chunk at a time (so a 10 MB file never sits in memory whole). */
    async *chunks(info: Pick<MediaInfo, 'id' | 'chunks'>): AsyncGenerator<Buffer> {
      for (let n = 0; n < info.chunks; n++) {
        const chunk = await models.MediaChunk.findById(chunkId(info.id, n)).lean().exec();
        if (!chunk) throw new Error(`media ${info.id} lacks chunk ${n}`);
        yield bytesOf(chunk.data);
      }
    },
  };
}

export type MediaStore = ReturnType<typeof mediaStore>;

/** A Buffer field as lean() reads it: a Buffer, or BSON Binary (its bytes up to `position`). */
function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const binary = data as { buffer?: Uint8Array; position?: number };
  if (binary.buffer instanceof Uint8Array) {
    return Buffer.from(binary.buffer.buffer, binary.buffer.byteOffset, binary.position ?? binary.buffer.byteLength);
  }
  throw new Error('a media chunk holds no bytes');
}

/** `attachment` for files (a PDF or text is downloaded, never shown in our origin), `inline` for images; the name in both forms. */
export function contentDisposition(kind: UploadKind, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind === 'image' ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

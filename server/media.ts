// Media web chat visitors upload (images and documents), and serving stored
// media. The store itself (chunks in the database) is activities/media-store.ts,
// shared with the worker, which keeps copies of providers' media.
//
// What may be uploaded: the limits below, checked against the declared type,
// the size and the file's first bytes (a "PNG" that is not one is refused), so
// what we serve back is what it says it is.
import type { Request, Response } from 'express';
import { safeFileName, type MediaInfo, type MediaKind, type MediaStore } from '../activities/media-store';
import type { MediaRef } from '../activities/types';
import { AppError } from './errors';

export { mediaStore, safeFileName, type MediaInfo, type MediaStore } from '../activities/media-store';

const MB = 1024 * 1024;

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

/** Where a stored file is served (relative to the server: the console and the widget page are on it). */
export const mediaUrl = (id: string) => `/api/v1/media/${id}`;

/** What the upload answers, and what a message carries (activities/types.ts MediaRef). */
export function mediaRef(m: Pick<MediaInfo, 'id' | 'kind' | 'mime' | 'name' | 'size'>): MediaRef & { id: string; url: string } {
  return { kind: m.kind, id: m.id, url: mediaUrl(m.id), mime: m.mime, name: m.name, size: m.size };
}

/** `attachment` for files (a PDF or text is downloaded, never shown in our origin), `inline` for images; the name in both forms. */
export function contentDisposition(kind: MediaKind, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind === 'image' ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Sends a stored file: its type (never sniffed), a sandbox so it runs nothing
 * even when opened on its own, and an ETag (a media id always names the same
 * bytes); its chunks streamed with backpressure.
 */
export async function sendMedia(req: Request, res: Response, media: MediaStore, info: MediaInfo): Promise<void> {
  const etag = `"${info.sha256}"`;
  res.set({
    'Content-Type': info.mime,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': contentDisposition(info.kind, info.name),
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: etag,
  });
  if (req.header('if-none-match') === etag) { res.status(304).end(); return; }
  res.set('Content-Length', String(info.size));
  try {
    for await (const chunk of media.chunks(info)) {
      if (!res.write(chunk)) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      if (res.destroyed) return;
    }
  } catch (err) {
    // The headers are out: cut the response short, so the client sees it failed.
    console.error(`[huiliu] serving media ${info.id} failed:`, (err as Error).message);
    res.destroy();
    return;
  }
  res.end();
}

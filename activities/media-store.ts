// The media store: files kept in the database — what web chat visitors upload
// (server/media.ts checks those) and copies of what customers sent through a
// provider as a media id (./channels/provider-media.ts).
//
// Kept in the database, not on a server's disk: servers are stateless and run
// many behind a load balancer, so a file one stored must be readable by every
// other. A document is capped at 16 MB (MongoDB, and FerretDB v1), so the
// bytes go in 1 MiB chunks (`mediaChunks`, `_id` = `<mediaId>:<n>`: every read
// is by `_id`, the only indexed filter on FerretDB v1); the `media` document,
// written after its chunks (an insert, so atomic), says what the file is. A
// store that dies half way leaves chunks no media document names: unreachable
// and harmless.
import { createHash, randomBytes } from 'node:crypto';
import type { Models } from './store';
import type { MediaRef } from './types';

const CHUNK_BYTES = 1024 * 1024;

export type MediaKind = MediaRef['kind'];

export interface MediaInfo {
  id: string;
  inboxId: string;
  visitorId: string;
  kind: MediaKind;
  /** A web chat upload (served by id without sign-in), or a provider's media copied (served to agents only). */
  source?: 'upload' | 'provider';
  mime: string;
  name: string;
  size: number;
  sha256: string;
  chunks: number;
  createdAt: Date;
}

/** 128 random bits: the media URL needs no sign-in (an <img> cannot send a token), so the id is the secret. */
const newMediaId = () => `med_${randomBytes(16).toString('hex')}`;
const chunkId = (mediaId: string, n: number) => `${mediaId}:${n}`;

export function mediaStore(models: Models) {
  return {
    /** Stores a file; its chunks first, then the document that makes it visible. */
    async save(file: {
      inboxId: string; visitorId: string; kind: MediaKind; source?: 'upload' | 'provider'; mime: string; name: string; bytes: Buffer;
    }): Promise<MediaInfo> {
      const id = newMediaId();
      const { bytes } = file;
      const chunks: { _id: string; data: Buffer }[] = [];
      for (let n = 0, at = 0; at < bytes.length; n++, at += CHUNK_BYTES) chunks.push({ _id: chunkId(id, n), data: bytes.subarray(at, at + CHUNK_BYTES) });
      // One chunk per insert: a request stays far below the wire protocol's message limit.
      for (const chunk of chunks) await models.MediaChunk.create(chunk);
      const info: MediaInfo = {
        id, inboxId: file.inboxId, visitorId: file.visitorId, kind: file.kind, source: file.source ?? 'upload', mime: file.mime, name: file.name,
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

/**
 * The name to keep for a file: as given (percent-encoded UTF-8, as
 * encodeURIComponent writes it, is decoded) without any path or control
 * characters, at most 200 characters; `upload.<ext>` when none is left.
 */
export function safeFileName(raw: string | undefined, ext: string): string {
  let name = raw ?? '';
  try { name = decodeURIComponent(name); } catch { /* not percent-encoded: taken as it is */ }
  name = name.replace(/^.*[\\/]/, '').replace(/[\p{Cc}\p{Cf}"]/gu, '').trim().slice(0, 200);
  return name && name !== '.' && name !== '..' ? name : `upload.${ext}`;
}

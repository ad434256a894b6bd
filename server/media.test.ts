// The media store: what may be uploaded (types, sizes, content that matches
// its type, safe names), and storing and reading files in chunks on the real
// FerretDB.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../activities/store';
import { openTestStore } from '../test/support/env';
import { AppError } from './errors';
import { checkUpload, contentDisposition, mediaRef, mediaStore, mediaTypeOf, safeFileName, UPLOAD_LIMITS, uploadRule } from './media';
import { mediaPlaceholder } from './routes/webchat';

const MB = 1024 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(64)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), randomBytes(16)]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1');
const ZIP = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(32)]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The AppError a call throws (its status and message), or fails the test. */
function refusal(call: () => unknown): { status: number; message: string; details: unknown } {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { status: e.status, message: e.message, details: e.details };
  }
  throw new Error('expected a refusal');
}

describe('checkUpload', () => {
  it('accepts the allowed images and files whose bytes match their type, and says which kind each is', () => {
    expect(checkUpload('image/png', PNG, 'a.png')).toEqual({ kind: 'image', mime: 'image/png', name: 'a.png' });
    expect(checkUpload('image/jpeg', JPEG, 'b.jpg').kind).toBe('image');
    expect(checkUpload('image/gif', GIF, 'c.gif').kind).toBe('image');
    expect(checkUpload('image/webp', WEBP, 'd.webp').kind).toBe('image');
    expect(checkUpload('application/pdf', PDF, 'e.pdf')).toMatchObject({ kind: 'file', mime: 'application/pdf' });
    expect(checkUpload('text/plain; charset=utf-8', Buffer.from('订单号 12345\n'), 'f.txt')).toMatchObject({ kind: 'file', mime: 'text/plain' });
    expect(checkUpload(DOCX, ZIP, 'g.docx').kind).toBe('file');
    expect(checkUpload(XLSX, ZIP, 'h.xlsx').kind).toBe('file');
    expect(checkUpload('application/zip', ZIP, 'i.zip').kind).toBe('file');
  });

  it('takes the names browsers give the same types (image/jpg, Windows\' zip)', () => {
    expect(checkUpload('image/jpg', JPEG, 'x.jpg').mime).toBe('image/jpeg');
    expect(checkUpload('application/x-zip-compressed', ZIP, 'x.zip').mime).toBe('application/zip');
    expect(mediaTypeOf('Image/PNG ; q=1')).toBe('image/png');
  });

  it('refuses other types with 415, naming what is accepted', () => {
    for (const type of ['image/svg+xml', 'text/html', 'application/javascript', 'application/octet-stream', undefined]) {
      const r = refusal(() => checkUpload(type, PNG, 'x'));
      expect(r.status).toBe(415);
      expect(r.message).toMatch(/JPEG, PNG, GIF or WebP.*PDF, TXT, DOCX, XLSX or ZIP/);
      expect(r.details).toMatchObject({ accepted: { image: { maxBytes: 5 * MB }, file: { maxBytes: 10 * MB } } });
    }
  });

  it('refuses content that is not what its type says with 415 (an HTML page called a PNG, a binary called text)', () => {
    expect(refusal(() => checkUpload('image/png', Buffer.from('<html><script>alert(1)</script>'), 'x.png'))).toMatchObject({ status: 415, message: expect.stringMatching(/not what its type \(image\/png\) says/) });
    expect(refusal(() => checkUpload('image/jpeg', PNG, 'x.jpg')).status).toBe(415);
    expect(refusal(() => checkUpload('application/pdf', ZIP, 'x.pdf')).status).toBe(415);
    expect(refusal(() => checkUpload('text/plain', Buffer.from([0x61, 0x00, 0x62]), 'x.txt')).status).toBe(415);
    expect(refusal(() => checkUpload(DOCX, PDF, 'x.docx')).status).toBe(415);
  });

  it('refuses images over 5 MB and files over 10 MB with 413, and empty files with 400', () => {
    const bigImage = Buffer.concat([PNG, Buffer.alloc(5 * MB + 1 - PNG.length)]);
    expect(refusal(() => checkUpload('image/png', bigImage, 'big.png'))).toMatchObject({
      status: 413, message: 'images may be at most 5 MB; this one is 5.0 MB', details: { kind: 'image', size: 5 * MB + 1, maxBytes: 5 * MB },
    });
    expect(checkUpload('image/png', bigImage.subarray(0, 5 * MB), 'ok.png').kind).toBe('image');
    const bigFile = Buffer.concat([PDF, Buffer.alloc(10 * MB + 1 - PDF.length)]);
    expect(refusal(() => checkUpload('application/pdf', bigFile, 'big.pdf'))).toMatchObject({ status: 413, details: { kind: 'file', maxBytes: 10 * MB } });
    expect(refusal(() => checkUpload('image/png', Buffer.alloc(0), 'x.png'))).toMatchObject({ status: 400, message: 'the file is empty' });
  });

  it('refuses by the declared length before the body is read', () => {
    expect(refusal(() => uploadRule('image/webp', 6 * MB)).status).toBe(413);
    expect(refusal(() => uploadRule('application/zip', 11 * MB)).status).toBe(413);
    expect(uploadRule('application/zip', 9 * MB).kind).toBe('file');
  });
});

describe('file names and headers', () => {
  it('keeps a percent-encoded UTF-8 name, without paths, control characters or quotes', () => {
    expect(safeFileName(encodeURIComponent('发票 2024.pdf'), 'pdf')).toBe('发票 2024.pdf');
    expect(safeFileName('..%2F..%2Fetc%2Fpasswd', 'txt')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\photo.png', 'png')).toBe('photo.png');
    expect(safeFileName('a\u0000b\u202e"c.txt', 'txt')).toBe('abc.txt');
    expect(safeFileName(undefined, 'png')).toBe('upload.png');
    expect(safeFileName('%E0%A4%A', 'txt')).toBe('%E0%A4%A'); // not valid percent-encoding: taken as it is
    expect(safeFileName('x'.repeat(300), 'txt')).toHaveLength(200);
  });

  it('serves images inline and files as attachments, the name in both forms', () => {
    expect(contentDisposition('image', 'a.png')).toBe(`inline; filename="a.png"; filename*=UTF-8''a.png`);
    expect(contentDisposition('file', '发票.pdf')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('发票.pdf')}`);
  });

  it("stands in for a message's text with what it carries", () => {
    expect(mediaPlaceholder([{ kind: 'image' }])).toBe('[图片 Image]');
    expect(mediaPlaceholder([{ kind: 'file', name: '发票.pdf' }])).toBe('[文件 File] 发票.pdf');
    expect(mediaPlaceholder([{ kind: 'image' }, { kind: 'file', name: 'a.zip' }])).toBe('[图片 Image] [文件 File] a.zip');
  });

  it('publishes the same limits it enforces', () => {
    expect(UPLOAD_LIMITS.image).toEqual({ maxBytes: 5 * MB, types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], extensions: ['.jpg', '.png', '.gif', '.webp', '.jpeg'] });
    expect(UPLOAD_LIMITS.file.maxBytes).toBe(10 * MB);
    expect(UPLOAD_LIMITS.file.types).toEqual(['application/pdf', 'text/plain', DOCX, XLSX, 'application/zip']);
  });
});

describe('mediaStore (FerretDB)', () => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(); });
  afterAll(async () => { await store?.close(); });

  const read = async (media: ReturnType<typeof mediaStore>, info: { id: string; chunks: number }) => {
    const parts: Buffer[] = [];
    for await (const chunk of media.chunks(info)) parts.push(chunk);
    return Buffer.concat(parts);
  };

  it('stores a file over several 1 MiB chunks and reads back the same bytes', async () => {
    const media = mediaStore(store.models);
    const bytes = Buffer.concat([PDF, randomBytes(2 * MB + 123)]);
    const saved = await media.save({ inboxId: 'demo-webchat', visitorId: 'v-1', kind: 'file', mime: 'application/pdf', name: '合同.pdf', bytes });
    expect(saved).toMatchObject({ kind: 'file', mime: 'application/pdf', name: '合同.pdf', size: bytes.length, chunks: 3 });
    expect(saved.id).toMatch(/^med_[0-9a-f]{32}$/);
    expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.models.MediaChunk.countDocuments()).toBe(3);

    const info = await media.info(saved.id);
    expect(info).toEqual(saved);
    expect((await read(media, info!)).equals(bytes)).toBe(true);
    expect(mediaRef(info!)).toEqual({ kind: 'file', id: saved.id, url: `/api/v1/media/${saved.id}`, mime: 'application/pdf', name: '合同.pdf', size: bytes.length });
  });

  it('stores a small image in one chunk, and knows no media of an unknown id', async () => {
    const media = mediaStore(store.models);
    const saved = await media.save({ inboxId: 'demo-webchat', visitorId: 'v-2', kind: 'image', mime: 'image/png', name: 'a.png', bytes: PNG });
    expect(saved.chunks).toBe(1);
    expect((await read(media, saved)).equals(PNG)).toBe(true);
    expect(await media.info('med_00000000000000000000000000000000')).toBeUndefined();
  });
});

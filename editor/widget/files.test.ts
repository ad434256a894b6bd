// What the widget lets a visitor send before anything is uploaded: the
// server's published limits, with types from the browser or the extension.
import { describe, expect, it } from 'vitest';
import { acceptList, checkFile, placeholderFor, type UploadLimits } from './files';

const MB = 1024 * 1024;
// As POST /api/v1/webchat/{inboxId}/session publishes them.
const LIMITS: UploadLimits = {
  image: { maxBytes: 5 * MB, types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], extensions: ['.jpg', '.png', '.gif', '.webp', '.jpeg'] },
  file: {
    maxBytes: 10 * MB,
    types: ['application/pdf', 'text/plain', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'],
    extensions: ['.pdf', '.txt', '.docx', '.xlsx', '.zip'],
  },
};

describe('checkFile', () => {
  it('accepts images up to 5 MB and files up to 10 MB, by the browser\'s type', () => {
    expect(checkFile({ name: 'a.png', size: 5 * MB, type: 'image/png' }, LIMITS)).toEqual({ ok: true, kind: 'image', type: 'image/png' });
    expect(checkFile({ name: 'b.pdf', size: 10 * MB, type: 'application/pdf' }, LIMITS)).toEqual({ ok: true, kind: 'file', type: 'application/pdf' });
  });

  it('falls back to the extension when the browser gives no type, or another name for it', () => {
    expect(checkFile({ name: '报价.XLSX', size: 100, type: '' }, LIMITS)).toMatchObject({ ok: true, kind: 'file', type: LIMITS.file.types[3] });
    expect(checkFile({ name: 'a.zip', size: 100, type: 'application/x-zip-compressed' }, LIMITS)).toMatchObject({ ok: true, type: 'application/zip' });
    expect(checkFile({ name: 'photo', size: 100, type: 'image/jpg' }, LIMITS)).toMatchObject({ ok: true, type: 'image/jpeg' });
  });

  it('says what is wrong: too large (with the limit and size in MB), or a type not accepted', () => {
    expect(checkFile({ name: 'big.jpg', size: 5 * MB + 1, type: 'image/jpeg' }, LIMITS)).toEqual({ ok: false, problem: 'size', kind: 'image', maxMb: 5, sizeMb: '5.0' });
    expect(checkFile({ name: 'big.zip', size: 12.3 * MB, type: 'application/zip' }, LIMITS)).toEqual({ ok: false, problem: 'size', kind: 'file', maxMb: 10, sizeMb: '12.3' });
    expect(checkFile({ name: 'x.svg', size: 10, type: 'image/svg+xml' }, LIMITS)).toEqual({ ok: false, problem: 'type' });
    expect(checkFile({ name: 'run.exe', size: 10, type: 'application/octet-stream' }, LIMITS)).toEqual({ ok: false, problem: 'type' });
  });

  it('offers the picker every allowed type and extension, and shows a sent file as the server will', () => {
    expect(acceptList(LIMITS).split(',')).toEqual(expect.arrayContaining(['image/png', '.jpeg', 'application/pdf', '.docx']));
    expect(placeholderFor('image', 'a.png')).toBe('[图片 Image]');
    expect(placeholderFor('file', '发票.pdf')).toBe('[文件 File] 发票.pdf');
  });
});

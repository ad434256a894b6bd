// What the visitor may send, checked before uploading (the server checks the
// same limits, which it publishes with the session, and the content too).

export type UploadKind = 'image' | 'file';

export interface UploadLimits {
  image: { maxBytes: number; types: string[]; extensions: string[] };
  file: { maxBytes: number; types: string[]; extensions: string[] };
}

/** Types by extension, for files the browser gives no type (or another name for it). */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  pdf: 'application/pdf', txt: 'text/plain', zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-zip-compressed': 'application/zip' };

export type FileCheck =
  | { ok: true; kind: UploadKind; type: string }
  | { ok: false; problem: 'type' }
  | { ok: false; problem: 'size'; kind: UploadKind; maxMb: number; sizeMb: string };

/** Whether a picked file may be sent, as what type; the browser's type first, else its extension's. */
export function checkFile(file: { name: string; size: number; type: string }, limits: UploadLimits): FileCheck {
  const declared = ALIASES[file.type.toLowerCase()] ?? file.type.toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  const candidates = [declared, ext ? BY_EXTENSION[ext] : undefined];
  for (const type of candidates) {
    if (!type) continue;
    const kind: UploadKind | undefined = limits.image.types.includes(type) ? 'image' : limits.file.types.includes(type) ? 'file' : undefined;
    if (!kind) continue;
    const { maxBytes } = limits[kind];
    if (file.size > maxBytes) return { ok: false, problem: 'size', kind, maxMb: maxBytes / 1024 / 1024, sizeMb: (file.size / 1024 / 1024).toFixed(1) };
    return { ok: true, kind, type };
  }
  return { ok: false, problem: 'type' };
}

/** The file picker's `accept`: every type and extension the limits allow. */
export function acceptList(limits: UploadLimits): string {
  return [...limits.image.types, ...limits.image.extensions, ...limits.file.types, ...limits.file.extensions].join(',');
}

/** What stands for a file in the transcript until the server has it (the server's own placeholder). */
export function placeholderFor(kind: UploadKind, name: string): string {
  return kind === 'image' ? '[图片 Image]' : `[文件 File] ${name}`;
}

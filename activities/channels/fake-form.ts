// Test support for the local provider stand-ins: the file a media upload
// (multipart/form-data, as `curl -F media=@file`) carries, checked as WeChat
// and WeCom check an uploaded image.
import type { IncomingMessage } from 'node:http';

export interface FormFile { filename: string; contentType: string; bytes: Buffer }

/** The form's `media` file as an image upload, or the errcode refusing it: 41005 no file, 40005 a type not taken, 40006 too large. */
export function uploadedImage(req: IncomingMessage, body: Buffer, types: readonly string[], maxBytes: number): FormFile | number {
  const file = formFile(req.headers['content-type'] ?? '', body, 'media');
  if (!file) return 41005;
  if (!types.includes(file.contentType)) return 40005;
  if (file.bytes.length > maxBytes) return 40006;
  return file;
}

/** The named file of a multipart/form-data body, or undefined. */
function formFile(contentType: string, body: Buffer, name: string): FormFile | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  for (let at = body.indexOf(delimiter); at !== -1;) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2); // past the CRLF after the delimiter, before the CRLF ahead of the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    if (headerEnd !== -1 && new RegExp(`name="${name}"`).test(headers)) {
      return {
        filename: /filename="([^"]*)"/.exec(headers)?.[1] ?? '',
        contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? '',
        bytes: Buffer.from(part.subarray(headerEnd + 4)),
      };
    }
    at = next;
  }
  return undefined;
}

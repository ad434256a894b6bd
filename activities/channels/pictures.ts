// Pictures in a reply (markdown images) for channels that send an image as an
// uploaded file rather than a URL (WeChat's and WeCom's image messages take a
// media_id). The picture is fetched under the same guard as flows' HTTP
// calls, from any public host the author named — never a private or internal
// address — bounded in time and size. A picture that cannot be had (refused,
// gone, too large, not an image the channel takes) goes out as its link, as
// on channels without pictures; a host that is down is retried.
import { guardedRequest, isRetryableStatus, NetGuardError } from '../plugins/net-guard';
import type { MarkdownImage } from './markdown';

const FETCH_TIMEOUT_MS = 10_000;

export interface PictureRules {
  /** The largest picture the channel takes, in bytes. */
  maxBytes: number;
  /** The content types the channel takes, by file extension for the upload's filename. */
  types: Readonly<Record<string, string>>;
}

export interface Picture {
  bytes: Buffer;
  contentType: string;
  filename: string;
}

/** Tests fetch pictures from 127.0.0.1; nothing else should. */
export interface PictureFetchOptions {
  allowPrivateAddresses?: boolean;
}

/** The picture, or why it goes out as a link; throws (retryable) when its host is down or busy. */
export async function fetchPicture(image: MarkdownImage, rules: PictureRules, opts: PictureFetchOptions = {}): Promise<Picture | { refused: string }> {
  let host: string;
  try {
    host = new URL(image.url).hostname;
  } catch {
    return { refused: 'not a valid URL' };
  }
  let res;
  try {
    res = await guardedRequest(
      { method: 'GET', url: image.url, headers: { accept: Object.values(rules.types).join(', ') }, timeoutMs: FETCH_TIMEOUT_MS, maxResponseBytes: rules.maxBytes },
      { allowHosts: [host], allowPrivateAddresses: opts.allowPrivateAddresses ?? false },
    );
  } catch (err) {
    if (err instanceof NetGuardError && !err.retryable) return { refused: err.message };
    throw err;
  }
  if (isRetryableStatus(res.status)) throw new Error(`the picture's host answered HTTP ${res.status}`);
  if (res.status !== 200) return { refused: `the picture's host answered HTTP ${res.status}` };
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = Object.entries(rules.types).find(([, type]) => type === contentType)?.[0];
  if (!extension) return { refused: `the channel does not take ${contentType || 'an untyped file'} as a picture` };
  return { bytes: res.body, contentType, filename: `picture.${extension}` };
}

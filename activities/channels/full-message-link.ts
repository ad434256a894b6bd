// Links to the public page that shows an outbound message whole
// (`GET /m/<messageId>?s=<signature>`, server/routes/full-message.ts), for
// channels that cut a long text short. The page needs no sign-in, so the link
// carries a signature of the message id: message ids follow a pattern
// (`<conversationId>:out:<n>`), and without the signature anyone could read
// other people's messages by guessing them. Workers sign, the server checks:
// both derive the same key from SECRET_KEY.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** 22 base64url characters: 132 bits of the HMAC, beyond guessing. */
const SIGNATURE_CHARS = 22;

export interface FullMessageLinks {
  /** The page's URL for a message. */
  url(messageId: string): string;
  /** Whether the signature is the one the message's link carries. */
  verify(messageId: string, signature: string): boolean;
}

/**
 * Links under `publicUrl`, signed with a key derived from the installation's
 * secret key: the key that seals credentials is never used for anything else
 * as it is.
 */
export function fullMessageLinks(publicUrl: string, secretKey: Buffer): FullMessageLinks {
  const key = createHmac('sha256', secretKey).update('huiliu full-message link v1').digest();
  const sign = (messageId: string) => createHmac('sha256', key).update(messageId, 'utf8').digest('base64url').slice(0, SIGNATURE_CHARS);
  const base = publicUrl.replace(/\/+$/, '');
  return {
    url: (messageId) => `${base}/m/${encodeURIComponent(messageId)}?s=${sign(messageId)}`,
    verify(messageId, signature) {
      const expected = Buffer.from(sign(messageId));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

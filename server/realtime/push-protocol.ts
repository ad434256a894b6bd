// The wire contract between workers and servers: where a push goes and how it
// is signed. A message push's body is the message view JSON, exactly what the
// visitor's stream sends; an event push's is the logged routing event, with the
// audience each server filters its streams by.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PUSH_PATH = '/internal/v1/realtime/messages';
export const EVENT_PUSH_PATH = '/internal/v1/realtime/events';
export const SIGNATURE_HEADER = 'x-huiliu-signature';

/** `sha256=<hex HMAC-SHA256 of the body>` */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

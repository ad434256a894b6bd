// Identity verification for customer-facing channels (mobile app; web chat can
// use the same): the customer's own backend signs its user id with the inbox's
// identity secret, `userHash = hex(HMAC-SHA256(key = secret, message = userId))`,
// and hands both to its client. A valid signature makes the visitor
// `user:<userId>`, the same person (and conversation) on every device; anything
// else — no signature, a wrong one, no secret configured — stays the anonymous
// device or visitor id the client sent. Secrets and hashes are never logged.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors';

/** The visitor ids of verified users; anonymous ids may not use it. */
export const USER_VISITOR_PREFIX = 'user:';
/**
 * A user id: what fits a visitor id (`user:` + id within the 128 characters
 * and the characters every id in the API allows).
 */
export const USER_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,123}$';
const USER_ID = new RegExp(USER_ID_PATTERN);
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The signature a customer's backend computes for a user id. */
export function userHashOf(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `userHash` signs `userId` with `secret`; compared in constant time, so a guess learns nothing from timing. */
export function verifyUserHash(secret: string, userId: string, userHash: string): boolean {
  if (!secret || !USER_ID.test(userId) || !HEX_SHA256.test(userHash)) return false;
  const expected = Buffer.from(userHashOf(secret, userId), 'hex');
  return timingSafeEqual(expected, Buffer.from(userHash, 'hex'));
}

export interface VisitorIdentity {
  /** Who the conversation is with: `user:<userId>` when verified, else the anonymous id. */
  visitorId: string;
  identified: boolean;
  /** Set only when verified. */
  userId?: string;
}

export interface IdentityClaim {
  /** The device's (or browser's) own id, used when the identity does not verify. */
  anonymousId: string;
  userId?: string;
  userHash?: string;
}

/**
 * The visitor a request speaks for. An anonymous id in the `user:` namespace is
 * refused (400): otherwise anyone could speak as a verified user by sending it
 * as their device id.
 */
export function resolveVisitor(claim: IdentityClaim, secret: string | undefined): VisitorIdentity {
  if (isUserVisitorId(claim.anonymousId)) {
    throw new AppError(400, `an anonymous id may not start with "${USER_VISITOR_PREFIX}"; send userId and userHash instead`, { anonymousId: claim.anonymousId });
  }
  const { userId, userHash } = claim;
  if (secret && userId && userHash && verifyUserHash(secret, userId, userHash)) {
    return { visitorId: `${USER_VISITOR_PREFIX}${userId}`, identified: true, userId };
  }
  return { visitorId: claim.anonymousId, identified: false };
}

export function isUserVisitorId(visitorId: string): boolean {
  return visitorId.startsWith(USER_VISITOR_PREFIX);
}

/** The user id of a verified visitor id, else undefined. */
export function userIdOf(visitorId: string): string | undefined {
  return isUserVisitorId(visitorId) ? visitorId.slice(USER_VISITOR_PREFIX.length) : undefined;
}

/**
 * Whether a reader may see this visitor's messages: a verified user's only
 * with that user's signature (client keys ship inside apps and pages, so they
 * prove nothing about the person), an anonymous visitor's with its id (an
 * unguessable id the client generated and keeps).
 */
export function mayReadVisitor(visitorId: string, userHash: string | undefined, secret: string | undefined): boolean {
  const userId = userIdOf(visitorId);
  if (userId === undefined) return true;
  return !!secret && !!userHash && verifyUserHash(secret, userId, userHash);
}

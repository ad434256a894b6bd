// The HMAC identity scheme: what a customer's backend signs, what verifies,
// and what stays anonymous.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { USER_PREFIX } from '../activities/channels/app/send';
import { AppError } from './errors';
import { mayReadVisitor, resolveVisitor, USER_VISITOR_PREFIX, userHashOf, userIdOf, verifyUserHash } from './identity';

const SECRET = 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184';
// What the README tells a developer to compute on their backend.
const sign = (userId: string, secret = SECRET) => createHmac('sha256', secret).update(userId).digest('hex');

describe('userHashOf / verifyUserHash', () => {
  it('computes the hex HMAC-SHA256 of the user id with the secret, as a backend would', () => {
    expect(userHashOf(SECRET, 'alice-42')).toBe(sign('alice-42'));
    expect(userHashOf(SECRET, 'alice-42')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the right signature, in either hex case', () => {
    expect(verifyUserHash(SECRET, 'alice-42', sign('alice-42'))).toBe(true);
    expect(verifyUserHash(SECRET, 'alice-42', sign('alice-42').toUpperCase())).toBe(true);
  });

  it('refuses another user id, another secret, a changed digit, a wrong length, non-hex and an empty secret', () => {
    const good = sign('alice-42');
    expect(verifyUserHash(SECRET, 'alice-43', good)).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', sign('alice-42', 'another secret'))).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', good.slice(0, 62))).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', `${good}00`)).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', 'z'.repeat(64))).toBe(false);
    expect(verifyUserHash(SECRET, 'alice-42', '')).toBe(false);
    expect(verifyUserHash('', 'alice-42', userHashOf('', 'alice-42'))).toBe(false);
  });

  it('refuses user ids that cannot be a visitor id, even when signed', () => {
    expect(verifyUserHash(SECRET, 'alice@example.com', sign('alice@example.com'))).toBe(false);
    expect(verifyUserHash(SECRET, 'x'.repeat(124), sign('x'.repeat(124)))).toBe(false);
    expect(verifyUserHash(SECRET, 'x'.repeat(123), sign('x'.repeat(123)))).toBe(true);
  });
});

describe('resolveVisitor', () => {
  it('makes a correctly signed user the visitor user:<userId>, identified', () => {
    expect(resolveVisitor({ anonymousId: 'device-1', userId: 'alice-42', userHash: sign('alice-42') }, SECRET))
      .toEqual({ visitorId: 'user:alice-42', identified: true, userId: 'alice-42' });
  });

  it('keeps the anonymous id when unsigned, wrongly signed, half given, or the inbox has no secret', () => {
    const anonymous = { visitorId: 'device-1', identified: false };
    expect(resolveVisitor({ anonymousId: 'device-1' }, SECRET)).toEqual(anonymous);
    expect(resolveVisitor({ anonymousId: 'device-1', userId: 'alice-42' }, SECRET)).toEqual(anonymous);
    expect(resolveVisitor({ anonymousId: 'device-1', userHash: sign('alice-42') }, SECRET)).toEqual(anonymous);
    expect(resolveVisitor({ anonymousId: 'device-1', userId: 'alice-42', userHash: sign('bob') }, SECRET)).toEqual(anonymous);
    expect(resolveVisitor({ anonymousId: 'device-1', userId: 'alice-42', userHash: 'not hex' }, SECRET)).toEqual(anonymous);
    expect(resolveVisitor({ anonymousId: 'device-1', userId: 'alice-42', userHash: sign('alice-42') }, undefined)).toEqual(anonymous);
  });

  it('refuses an anonymous id in the user: namespace with a 400, so nobody speaks as a verified user unsigned', () => {
    const claim = () => resolveVisitor({ anonymousId: 'user:alice-42' }, SECRET);
    expect(claim).toThrow(AppError);
    expect(claim).toThrow(/may not start with "user:"/);
    try { claim(); } catch (err) { expect((err as AppError).status).toBe(400); }
  });
});

describe('mayReadVisitor', () => {
  it("lets anyone with the anonymous id read it, and a verified user's only with their signature", () => {
    expect(mayReadVisitor('device-1', undefined, SECRET)).toBe(true);
    expect(mayReadVisitor('user:alice-42', sign('alice-42'), SECRET)).toBe(true);
    expect(mayReadVisitor('user:alice-42', undefined, SECRET)).toBe(false);
    expect(mayReadVisitor('user:alice-42', sign('bob'), SECRET)).toBe(false);
    expect(mayReadVisitor('user:alice-42', sign('alice-42'), undefined)).toBe(false);
  });

  it('finds the user id of a verified visitor id, and the prefix is the one the app sender uses', () => {
    expect(userIdOf('user:alice-42')).toBe('alice-42');
    expect(userIdOf('device-1')).toBeUndefined();
    expect(USER_PREFIX).toBe(USER_VISITOR_PREFIX);
  });
});

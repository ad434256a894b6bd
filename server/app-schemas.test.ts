// The mobile app's request schemas: what the API accepts, and the 4xx with a
// reason for what it does not (the same validate() every route uses).
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { userHashOf } from './identity';
import { validate } from './schemas';

type Name = Parameters<typeof validate>[0];

/** Runs the validator as a route would: undefined when accepted, else the error. */
function check(name: Name, value: unknown, source: 'body' | 'query' = 'body'): AppError | undefined {
  const req = { body: value, query: value, is: (type: string) => type === 'application/json' } as unknown as Request;
  try {
    let passed = false;
    validate(name, source)(req, {} as Response, () => { passed = true; });
    return passed ? undefined : new AppError(500, 'next() not called');
  } catch (err) {
    return err as AppError;
  }
}

const message = { deviceId: 'f3b1c2d4-device', clientMessageId: 'c-1', text: '你好' };

describe('AppMessageRequest', () => {
  it('accepts an anonymous message and one with a user id and its hash', () => {
    expect(check('AppMessageRequest', message)).toBeUndefined();
    expect(check('AppMessageRequest', { ...message, userId: 'alice-42', userHash: userHashOf('s', 'alice-42') })).toBeUndefined();
    // A hash of the wrong shape is not a 400: it simply does not verify, and the device stays anonymous.
    expect(check('AppMessageRequest', { ...message, userId: 'alice-42', userHash: 'nonsense' })).toBeUndefined();
  });

  it.each([
    ['missing deviceId', { clientMessageId: 'c', text: 'hi' }, /missing field "deviceId"/],
    ['missing clientMessageId', { deviceId: 'd', text: 'hi' }, /missing field "clientMessageId"/],
    ['unknown field', { ...message, visitorId: 'x' }, /unknown field "visitorId"/],
    ['empty text', { ...message, text: '  ' }, /text is empty/],
    ['text too long', { ...message, text: 'x'.repeat(4001) }, /longer than 4000/],
    ['bad deviceId', { ...message, deviceId: '../etc' }, /deviceId must match pattern/],
    ['userId with @', { ...message, userId: 'a@b.c', userHash: 'x' }, /userId must match pattern/],
    ['userId too long', { ...message, userId: 'x'.repeat(124) }, /userId must match pattern/],
    ['userHash too long', { ...message, userHash: 'x'.repeat(257) }, /longer than 256/],
  ])('refuses %s with a 400 naming it', (_name, body, reason) => {
    const err = check('AppMessageRequest', body);
    expect(err?.status).toBe(400);
    expect(err?.message).toMatch(reason);
  });

  it('refuses a body that is not a JSON object with a 415', () => {
    expect(check('AppMessageRequest', [message])?.status).toBe(415);
  });
});

describe('app inbox schemas', () => {
  it('creates an app inbox with or without a push URL; nothing else', () => {
    expect(check('AppInboxCreateRequest', { name: '商城 App', channel: 'app' })).toBeUndefined();
    expect(check('AppInboxCreateRequest', { name: 'x', channel: 'app', settings: { pushUrl: 'https://push.example.com/huiliu?tenant=3' } })).toBeUndefined();
    expect(check('AppInboxCreateRequest', { name: 'x', channel: 'app', credentials: {} })?.message).toMatch(/unknown field "credentials"/);
    expect(check('AppInboxCreateRequest', { name: 'x', channel: 'app', settings: { pushUrl: 'ftp://x' } })?.message).toMatch(/pushUrl/);
    expect(check('AppInboxCreateRequest', { name: 'x', channel: 'app', settings: { pushUrl: 'https://a b' } })?.status).toBe(400);
  });

  it('sets or clears the push URL', () => {
    expect(check('AppInboxSettingsRequest', { pushUrl: 'http://127.0.0.1:8080/push' })).toBeUndefined();
    expect(check('AppInboxSettingsRequest', { pushUrl: null })).toBeUndefined();
    expect(check('AppInboxSettingsRequest', {})?.message).toMatch(/missing field "pushUrl"/);
  });

  it('rotates named secrets only', () => {
    expect(check('AppSecretsRotateRequest', { rotate: ['apiKey'] })).toBeUndefined();
    expect(check('AppSecretsRotateRequest', { rotate: [] })?.status).toBe(400);
    expect(check('AppSecretsRotateRequest', { rotate: ['apiKey', 'apiKey'] })?.status).toBe(400);
    expect(check('AppSecretsRotateRequest', { rotate: ['adminToken'] })?.message).toMatch(/allowed values/);
  });

  it('reads a transcript after a message id', () => {
    expect(check('AppTranscriptQuery', { after: 'app:app-1:device-1:c-1' }, 'query')).toBeUndefined();
    expect(check('AppTranscriptQuery', {}, 'query')).toBeUndefined();
    expect(check('AppTranscriptQuery', { after: '{"$gt":""}' }, 'query')?.status).toBe(400);
    expect(check('AppTranscriptQuery', { since: 'x' }, 'query')?.message).toMatch(/unknown field "since"/);
  });
});

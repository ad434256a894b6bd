// The error handler's answers: a database that cannot be reached is a 503 to
// retry (webhook providers retry on it), not a 500.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError, errorHandler } from './errors';

async function answer(error: Error): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const app = express();
  app.get('/', () => { throw error; });
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  } finally {
    server.close();
  }
}

const named = (name: string) => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name });

describe('error handler', () => {
  it('answers 503 with a retry hint when MongoDB cannot be reached', async () => {
    for (const name of ['MongoServerSelectionError', 'MongoNetworkError']) {
      expect(await answer(named(name))).toMatchObject({ status: 503, retryAfter: '5', body: { error: /database is unavailable/ } });
    }
  });

  it('keeps AppError statuses and hides unexpected errors behind a 500', async () => {
    expect(await answer(new AppError(404, 'no such inbox'))).toMatchObject({ status: 404, body: { error: 'no such inbox' } });
    expect(await answer(new TypeError('boom'))).toMatchObject({ status: 500, body: { error: 'internal error' } });
  });
});

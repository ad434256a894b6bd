// One error type with an HTTP status, and one handler that turns every error
// into JSON `{error, details}`; only unexpected ones are 5xx (and logged).
import type { ErrorRequestHandler } from 'express';

export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly isOperational = true,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Driver errors that mean MongoDB cannot be reached right now (not that the request is wrong). */
const DATABASE_DOWN = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoNotConnectedError']);

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
  if (err instanceof AppError) {
    res.status(err.status).json({ error: err.message, details: err.details ?? null });
    return;
  }
  // body-parser's own errors (malformed JSON, body too large) carry a 4xx status.
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) {
    const error = e.type === 'entity.too.large' ? 'request body is larger than 1 MB' : e.type === 'entity.parse.failed' ? 'malformed JSON body' : (e.message ?? 'bad request');
    res.status(status).json({ error, details: { type: e.type ?? null } });
    return;
  }
  // The database is unreachable: like Temporal being down, a retry later works (providers retry on 5xx).
  if (DATABASE_DOWN.has((err as Error).name)) {
    console.error(`[huiliu] database unavailable: ${(err as Error).message}`);
    res.status(503).set('Retry-After', '5').json({ error: 'the database is unavailable; retry shortly', details: { retryAfterSeconds: 5 } });
    return;
  }
  console.error('[huiliu] unexpected error:', err);
  res.status(500).json({ error: 'internal error', details: null });
};

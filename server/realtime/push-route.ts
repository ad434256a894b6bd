// The receiving end of worker pushes, in each server: verify the signature over
// the exact bytes sent, then hand the message to this process's streams.
import express, { Router } from 'express';
import { AppError } from '../errors';
import type { MessageView } from '../views';
import type { LocalSubscribers } from './local-subscribers';
import { PUSH_PATH, SIGNATURE_HEADER, signatureMatches } from './push-protocol';

export interface PushReceiver {
  subscribers: LocalSubscribers;
  /** The shared signing secret; never logged or returned. */
  secret: string;
}

export function realtimePushRoutes({ subscribers, secret }: PushReceiver): Router {
  const r = Router();
  // The raw body: the signature covers bytes, not a re-serialized object.
  r.post(PUSH_PATH, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header(SIGNATURE_HEADER);
    if (!signature) throw new AppError(401, 'realtime push is not signed', { header: SIGNATURE_HEADER });
    if (!signatureMatches(secret, body, signature)) throw new AppError(401, 'realtime push signature does not match', { header: SIGNATURE_HEADER });
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError(400, 'malformed JSON body', { type: 'entity.parse.failed' });
    }
    if (!isMessageView(message)) throw new AppError(400, 'realtime push is not a message', { required: ['id', 'inboxId', 'visitorId'] });
    subscribers.dispatch(message);
    res.status(204).end();
  });
  return r;
}

// Signed pushes come from our own workers; this guards against a worker of
// another version sending something else.
function isMessageView(value: unknown): value is MessageView {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    && typeof v.id === 'string' && typeof v.inboxId === 'string' && typeof v.visitorId === 'string';
}

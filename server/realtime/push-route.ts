// The receiving end of pushes from workers (and other servers), in each
// server: verify the signature over the exact bytes sent, then hand the
// message or event to this process's streams.
import express, { Router, type Request } from 'express';
import type { LoggedEvent } from '../../activities/events';
import { AppError } from '../errors';
import type { MessageView } from '../views';
import type { EventSubscribers } from './event-subscribers';
import type { LocalSubscribers } from './local-subscribers';
import { EVENT_PUSH_PATH, PUSH_PATH, SIGNATURE_HEADER, signatureMatches } from './push-protocol';

export interface PushReceiver {
  subscribers: LocalSubscribers;
  events: EventSubscribers;
  /** The shared signing secret; never logged or returned. */
  secret: string;
}

export function realtimePushRoutes({ subscribers, events, secret }: PushReceiver): Router {
  const r = Router();
  // The raw body: the signature covers bytes, not a re-serialized object.
  const raw = express.raw({ type: () => true, limit: '1mb' });

  r.post(PUSH_PATH, raw, (req, res) => {
    const message = signedJson(req, secret);
    if (!isMessageView(message)) throw new AppError(400, 'realtime push is not a message', { required: ['id', 'inboxId', 'visitorId'] });
    subscribers.dispatch(message);
    res.status(204).end();
  });

  r.post(EVENT_PUSH_PATH, raw, (req, res) => {
    const event = signedJson(req, secret);
    if (!isLoggedEvent(event)) throw new AppError(400, 'realtime push is not an event', { required: ['id', 'type', 'at', 'data', 'audience'] });
    events.dispatch(event);
    res.status(204).end();
  });
  return r;
}

function signedJson(req: Request, secret: string): unknown {
  const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const signature = req.header(SIGNATURE_HEADER);
  if (!signature) throw new AppError(401, 'realtime push is not signed', { header: SIGNATURE_HEADER });
  if (!signatureMatches(secret, body, signature)) throw new AppError(401, 'realtime push signature does not match', { header: SIGNATURE_HEADER });
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError(400, 'malformed JSON body', { type: 'entity.parse.failed' });
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Signed pushes come from our own processes; these guard against one of
// another version sending something else.
function isMessageView(value: unknown): value is MessageView {
  return isObject(value) && typeof value.id === 'string' && typeof value.inboxId === 'string' && typeof value.visitorId === 'string';
}

function isLoggedEvent(value: unknown): value is LoggedEvent {
  return isObject(value) && typeof value.id === 'string' && typeof value.type === 'string' && typeof value.at === 'string'
    && isObject(value.data) && Array.isArray(value.audience) && value.audience.every((a) => typeof a === 'string');
}

// The mobile app channel. The app calls /api/v1/app with its inbox's API key
// (`Authorization: Bearer <key>` or `X-Api-Key`): the key names the inbox, so
// one app's key never reaches another app's users. A user is verified with the
// identity scheme (server/identity.ts); otherwise the device is an anonymous
// visitor. While the app holds its stream open, replies arrive on it; while it
// is closed, the worker posts them to the app's push webhook
// (activities/channels/app/send.ts). Keys and secrets are never logged.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { apiKeyMatches, appSettings, inboxIdOfApiKey, rotateAppSecrets, type AppCredentials, type AppInbox, type AppSecretName, type AppSecrets, type AppSettings } from '../../activities/channels/app/inbox';
import { APP_SESSION_HEARTBEAT_MS } from '../../activities/channels/app/send';
import { appInboxReader, recordAppClosed, recordAppSeen } from '../../activities/channels/app/store';
import { isDuplicateKey } from '../../activities/store';
import type { Config } from '../config';
import { AppError } from '../errors';
import { mayReadVisitor, resolveVisitor } from '../identity';
import { startSse } from '../realtime/event-stream';
import { streamVisitorMessages, visitorTranscript } from '../realtime/visitor-stream';
import { idParam, MESSAGE_ID_PATTERN, validate } from '../schemas';
import { loadSecretKey, openSecret, sealSecret } from '../secrets';
import type { AppDeps } from '../app';

const MESSAGE_ID = new RegExp(MESSAGE_ID_PATTERN);
const USER_HASH_HEADER = 'x-user-hash';

interface AppMessageRequest { deviceId: string; clientMessageId: string; text: string; userId?: string; userHash?: string }

/** The key from `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
  return bearer ?? req.header('x-api-key') ?? undefined;
}

const inboxOf = (res: Response) => res.locals.appInbox as AppInbox;

/** The app-facing API, mounted at /api/v1/app. */
export function appRoutes({ models, config, inbound, realtime }: AppDeps): Router {
  const r = Router();
  const inboxes = appInboxReader(models, async (sealed) => openSecret(sealed, await loadSecretKey(config)));

  // Every request: a key shaped wrong, of no app inbox, or not the inbox's current key is the same 401.
  r.use(async (req, res, next) => {
    const key = presentedKey(req);
    if (!key) throw new AppError(401, 'an app API key is required: `Authorization: Bearer <key>` or `X-Api-Key: <key>`');
    const inboxId = inboxIdOfApiKey(key);
    let inbox = inboxId ? await inboxes(inboxId) : undefined;
    // A key that does not match the cached inbox may have been rotated in just now: read the inbox again.
    if (inbox && !apiKeyMatches(key, inbox.credentials.apiKeyHash)) inbox = await inboxes(inbox.id, { fresh: true });
    if (!inbox || !apiKeyMatches(key, inbox.credentials.apiKeyHash)) throw new AppError(401, 'invalid app API key');
    res.locals.appInbox = inbox;
    next();
  });

  r.post('/messages', validate('AppMessageRequest'), async (req, res) => {
    const inbox = inboxOf(res);
    const { deviceId, clientMessageId, text, userId, userHash } = req.body as AppMessageRequest;
    const who = resolveVisitor({ anonymousId: deviceId, userId, userHash }, inbox.credentials.identitySecret);
    // Per device: a verified user writes from several devices whose message ids may coincide.
    const providerMessageId = who.identified ? `${who.visitorId}:${deviceId}:${clientMessageId}` : `${deviceId}:${clientMessageId}`;
    const { conversationId } = await inbound.acceptIntoConversation(
      { inboxId: inbox.id, channel: 'app', visitorId: who.visitorId },
      { providerMessageId, clientMessageId, text, receivedAt: Date.now() },
    );
    res.status(202).json({ conversationId, visitorId: who.visitorId, identified: who.identified });
  });

  /** The visitor named in the path, if this request may read them (a verified user's needs their userHash). */
  function readableVisitor(req: Request, inbox: AppInbox): string {
    const visitorId = idParam(req, 'visitorId');
    if (!mayReadVisitor(visitorId, req.header(USER_HASH_HEADER), inbox.credentials.identitySecret)) {
      throw new AppError(403, "a verified user's messages need their signature: send `X-User-Hash: <userHash>`", { visitorId });
    }
    return visitorId;
  }

  r.get('/conversations/:visitorId/messages', validate('AppTranscriptQuery', 'query'), async (req, res) => {
    const inbox = inboxOf(res);
    const visitorId = readableVisitor(req, inbox);
    const after = typeof req.query.after === 'string' ? req.query.after : undefined;
    res.json({ visitorId, messages: await visitorTranscript(models, inbox.id, visitorId, after) });
  });

  // Server-Sent Events while the app is open, as web chat's stream: the
  // transcript (after Last-Event-ID on a reconnect), then each new message.
  // The stream also records that the app is open, so replies are not pushed.
  r.get('/conversations/:visitorId/stream', async (req, res) => {
    const inbox = inboxOf(res);
    const visitorId = readableVisitor(req, inbox);
    const header = req.header('Last-Event-ID');
    const lastEventId = header && MESSAGE_ID.test(header) ? header : undefined;
    // This stream's session writes run one after another: FerretDB v1 does not
    // isolate updates, so a heartbeat racing the close could undo it (and the
    // app would count as open, its replies unpushed, for up to 30 s).
    let writes = Promise.resolve();
    const record = (write: typeof recordAppSeen) => {
      const at = new Date();
      writes = writes.then(() => write(models, inbox.id, visitorId, at)).catch((err: Error) => console.error('[huiliu] recording an app session failed:', err.message));
      return writes;
    };
    let closed = false;
    let stopHeartbeat = () => {};
    // Registered before anything is awaited, so a client gone meanwhile is still recorded as closed.
    res.on('close', () => {
      closed = true;
      stopHeartbeat();
      void record(recordAppClosed);
    });
    // Before the 200: once the app sees its stream open, no reply is pushed.
    await record(recordAppSeen);
    if (closed) return;
    const heartbeat = setInterval(() => void record(recordAppSeen), APP_SESSION_HEARTBEAT_MS);
    stopHeartbeat = () => clearInterval(heartbeat);
    await streamVisitorMessages(res, startSse(res), { models, subscribers: realtime.subscribers }, { inboxId: inbox.id, visitorId, lastEventId });
  });

  return r;
}

// ---- Admin side: creating app inboxes, their settings and secrets (mounted under /api/v1/inboxes) ----

export interface AppInboxCreateRequest { id?: string; name: string; channel: 'app'; settings?: AppSettings; flowId?: string }

const ALL_SECRETS: AppSecretName[] = ['apiKey', 'identitySecret', 'pushSecret'];

/** What GET /api/v1/inboxes shows of an app inbox: where the API is and its settings, never a secret. */
export function appInboxView(config: Config, settings: unknown) {
  return { apiUrl: `${config.publicUrl}/api/v1/app`, settings: { pushUrl: appSettings(settings as Partial<AppSettings>).pushUrl ?? null } };
}

/** Creates an app inbox (409 when the id is taken); returns it with its secrets, to show this once. */
export async function createAppInbox({ models, config }: Pick<AppDeps, 'models' | 'config'>, body: AppInboxCreateRequest, flowId: string) {
  const id = body.id ?? `app-${randomUUID().slice(0, 8)}`;
  const { credentials, shown } = rotateAppSecrets(id, undefined, ALL_SECRETS);
  const inbox = { _id: id, name: body.name, channel: 'app', flowId, credentials: sealSecret(credentials, await loadSecretKey(config)), settings: appSettings(body.settings) };
  try {
    await models.Inbox.create(inbox);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, `inbox "${id}" exists already`, { id });
    throw err;
  }
  return { inbox, secrets: shown as AppSecrets };
}

export function appInboxAdminRoutes({ models, config }: Pick<AppDeps, 'models' | 'config'>): Router {
  const r = Router();

  async function appInboxDoc(id: string) {
    const doc = await models.Inbox.findById(id).lean();
    if (!doc) throw new AppError(404, `no inbox "${id}"`, { id });
    if (doc.channel !== 'app' || !doc.credentials) throw new AppError(422, `inbox "${id}" is a ${doc.channel} inbox; only app inboxes have these settings`, { id, channel: doc.channel });
    return doc;
  }

  // Other servers see the change within 5 s (their inbox cache).
  r.patch('/:id/settings', validate('AppInboxSettingsRequest'), async (req, res) => {
    const doc = await appInboxDoc(idParam(req, 'id'));
    const { pushUrl } = req.body as { pushUrl: string | null };
    const settings = appSettings(pushUrl ? { pushUrl } : {});
    await models.Inbox.updateOne({ _id: doc._id }, { $set: { settings } });
    res.json({ id: doc._id, channel: 'app', ...appInboxView(config, settings) });
  });

  // The new secrets are shown this once; the old ones stop working.
  r.post('/:id/secrets', validate('AppSecretsRotateRequest'), async (req, res) => {
    const doc = await appInboxDoc(idParam(req, 'id'));
    const key = await loadSecretKey(config);
    const { credentials, shown } = rotateAppSecrets(doc._id, openSecret(doc.credentials!, key) as AppCredentials, (req.body as { rotate: AppSecretName[] }).rotate);
    await models.Inbox.updateOne({ _id: doc._id }, { $set: { credentials: sealSecret(credentials, key) } });
    res.json({ id: doc._id, secrets: shown });
  });

  return r;
}


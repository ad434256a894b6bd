// Web chat, the visitor's side (the widget, editor/widget): no sign-in. A
// visitor is the anonymous id their browser keeps, or, when the site signs its
// user id with the inbox's identity secret (server/identity.ts), the verified
// user `user:<userId>`, whose transcript then needs that signature to read.
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { newEventId, timeOfEventId, type LoggedEvent } from '../../activities/events';
import { isDuplicateKey } from '../../activities/store';
import { ttlCache } from '../../activities/ttl-cache';
import type { MediaRef } from '../../activities/types';
import { PLACEHOLDERS } from '../../activities/unified-message';
import type { Principal } from '../auth';
import type { Config } from '../config';
import { AppError } from '../errors';
import { mayReadVisitor, resolveVisitor, type VisitorIdentity } from '../identity';
import { checkUpload, MAX_UPLOAD_BYTES, mediaRef, mediaStore, UPLOAD_LIMITS, uploadRule } from '../media';
import { startSse } from '../realtime/event-stream';
import { streamVisitorMessages, visitorTranscript } from '../realtime/visitor-stream';
import { idParam, MESSAGE_ID_PATTERN, validate } from '../schemas';
import { loadSecretKey, sealSecret } from '../secrets';
import { newIdentitySecret, sealWebchatCredentials, webchatInboxReader, widgetSnippet, type WebchatInbox } from '../webchat-inbox';
import type { AppDeps } from '../app';

const MESSAGE_ID = new RegExp(MESSAGE_ID_PATTERN);
const USER_HASH_HEADER = 'x-user-hash';
/**
 * A resume reads back this much before the Last-Event-ID message: messages are
 * stamped by the clock of the worker that stored them, so one stored just after
 * it by a worker whose clock runs behind sorts just before it. What the client
 * had already comes again; clients drop repeats by message id (the widget does).
 */
const RESUME_SLACK_MS = 2_000;

interface MessageRequest { visitorId: string; clientMessageId: string; text?: string; media?: string[]; userId?: string; userHash?: string }

/** What stands in for the text of a message with media and no caption, readable on every screen and channel. */
export function mediaPlaceholder(media: readonly Pick<MediaRef, 'kind' | 'name'>[]): string {
  return media.map((m) => (m.kind === 'image' ? PLACEHOLDERS.image : `${PLACEHOLDERS.file} ${m.name ?? ''}`.trim())).join(' ');
}

export function webchatRoutes({ models, config, inbound, realtime }: AppDeps): Router {
  const r = Router();
  const inboxes = webchatInboxReader(models, config);
  const media = mediaStore(models);
  // Typing is sent every few seconds while someone types: the conversation it names is read at most every 2 s.
  const conversationOf = ttlCache(2_000, (id) => models.Conversation.findById(id).select({ inboxId: 1, visitorId: 1, agentId: 1, status: 1, channel: 1 }).lean().exec());
  const rawBody = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES });

  async function webchatInbox(req: Request): Promise<WebchatInbox> {
    const inboxId = idParam(req, 'inboxId');
    const inbox = await inboxes(inboxId);
    if (!inbox) throw new AppError(404, `unknown web chat inbox "${inboxId}"`, { inboxId });
    return inbox;
  }

  /** Who a request that names the visitor in its body speaks for (anonymous ids in the `user:` namespace are a 400). */
  const visitorOfClaim = (inbox: WebchatInbox, claim: { visitorId: string; userId?: string; userHash?: string }): VisitorIdentity =>
    resolveVisitor({ anonymousId: claim.visitorId, userId: claim.userId, userHash: claim.userHash }, inbox.identitySecret);

  /** The visitor named in the path, if this request may act as them: a verified user's needs their signature. */
  function pathVisitor(req: Request, inbox: WebchatInbox): string {
    const visitorId = idParam(req, 'visitorId');
    const query = typeof req.query.userHash === 'string' ? req.query.userHash : undefined;
    const body = (req.body as { userHash?: unknown } | undefined)?.userHash;
    const userHash = req.header(USER_HASH_HEADER) ?? query ?? (typeof body === 'string' ? body : undefined);
    if (!mayReadVisitor(visitorId, userHash, inbox.identitySecret)) {
      throw new AppError(403, "a verified user's conversation needs their signature: send `userHash` (or `X-User-Hash`)", { visitorId });
    }
    return visitorId;
  }

  // The widget starts here: which visitor it is (a valid signature makes it the user), and the upload limits.
  r.post('/:inboxId/session', validate('WebchatSessionRequest'), async (req, res) => {
    const inbox = await webchatInbox(req);
    const who = visitorOfClaim(inbox, req.body as { visitorId: string; userId?: string; userHash?: string });
    res.json({ visitorId: who.visitorId, identified: who.identified, inbox: { id: inbox.id, name: inbox.name }, uploads: UPLOAD_LIMITS });
  });

  r.post('/:inboxId/messages', validate('WebchatMessageRequest'), async (req, res) => {
    const inbox = await webchatInbox(req);
    const body = req.body as MessageRequest;
    const who = visitorOfClaim(inbox, body);
    const refs: MediaRef[] = [];
    for (const mediaId of body.media ?? []) {
      const info = await media.info(mediaId);
      // Only what this visitor uploaded to this inbox: a media id seen elsewhere cannot be passed off as theirs.
      if (!info || info.inboxId !== inbox.id || (info.visitorId !== who.visitorId && info.visitorId !== body.visitorId)) {
        throw new AppError(400, `no upload "${mediaId}" of this visitor`, { mediaId });
      }
      refs.push(mediaRef(info));
    }
    const text = body.text ?? (refs.length > 0 ? mediaPlaceholder(refs) : undefined);
    if (text === undefined) throw new AppError(400, 'invalid body: send text, media, or both', [{ path: '/text', message: 'missing field "text"' }]);
    // A verified user writes from several browsers whose message ids may coincide: per browser.
    const providerMessageId = who.identified ? `${who.visitorId}:${body.visitorId}:${body.clientMessageId}` : `${body.visitorId}:${body.clientMessageId}`;
    const { conversationId } = await inbound.acceptIntoConversation(
      { inboxId: inbox.id, channel: 'webchat', visitorId: who.visitorId },
      {
        providerMessageId, clientMessageId: body.clientMessageId, text, receivedAt: Date.now(),
        ...(refs.length > 0 ? { type: refs.every((m) => m.kind === 'image') ? 'image' as const : 'file' as const, media: refs } : {}),
      },
    );
    res.status(202).json({ conversationId, visitorId: who.visitorId, identified: who.identified });
  });

  const afterOf = (req: Request): string | undefined => {
    const header = req.header('Last-Event-ID');
    const id = header || (typeof req.query.after === 'string' ? req.query.after : undefined);
    return id && MESSAGE_ID.test(id) ? id : undefined;
  };

  r.get('/:inboxId/visitors/:visitorId/messages', validate('WebchatReadQuery', 'query'), async (req, res) => {
    const inbox = await webchatInbox(req);
    const visitorId = pathVisitor(req, inbox);
    res.json({ messages: await visitorTranscript(models, inbox.id, visitorId, afterOf(req)) });
  });

  // Server-Sent Events: the transcript (after Last-Event-ID, or ?after=, on a
  // reconnect), then each new message as workers push it to this process, each
  // once per connection; and `event: typing` (no id: it is not resumed) while
  // the agent types.
  r.get('/:inboxId/visitors/:visitorId/stream', validate('WebchatReadQuery', 'query'), async (req, res) => {
    const inbox = await webchatInbox(req);
    const visitorId = pathVisitor(req, inbox);
    const lastEventId = afterOf(req);
    const sse = startSse(res);
    const unsubscribeTyping = realtime.events.subscribe((e, redelivered) => {
      if (!redelivered && e.type === 'conversation.typing' && e.data.from === 'agent' && e.inboxId === inbox.id && e.data.visitorId === visitorId) {
        sse.signal('typing', { from: 'agent', typing: e.data.typing, conversationId: e.conversationId });
      }
    });
    res.on('close', unsubscribeTyping);
    await streamVisitorMessages(res, sse, { models, subscribers: realtime.subscribers }, { inboxId: inbox.id, visitorId, lastEventId, slackMs: RESUME_SLACK_MS });
  });

  // An image or file, as the raw body with its Content-Type (and its name in
  // X-File-Name, percent-encoded); then attached to a message by its mediaId.
  r.post('/:inboxId/visitors/:visitorId/uploads', async (req, res) => {
    const inbox = await webchatInbox(req);
    const visitorId = pathVisitor(req, inbox);
    const contentType = req.header('content-type');
    const length = req.header('content-length');
    // The type and declared size are refused before a byte is read.
    const rule = uploadRule(contentType, length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined);
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      rawBody(req, res, (err?: unknown) => {
        if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
          const { maxBytes } = UPLOAD_LIMITS[rule.kind];
          reject(new AppError(413, `${rule.kind === 'image' ? 'images' : 'files'} may be at most ${maxBytes / 1024 / 1024} MB`, { kind: rule.kind, maxBytes }));
        } else if (err) reject(err as Error);
        else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });
    const upload = checkUpload(contentType, bytes, req.header('x-file-name'));
    const info = await media.save({ inboxId: inbox.id, visitorId, ...upload, bytes });
    const { id, ...ref } = mediaRef(info);
    res.status(201).json({ mediaId: id, ...ref });
  });

  // The visitor is typing (or stopped): the agent holding the conversation (and supervisors) hear it.
  r.post('/:inboxId/visitors/:visitorId/typing', validate('WebchatTypingRequest'), async (req, res) => {
    const inbox = await webchatInbox(req);
    const visitorId = pathVisitor(req, inbox);
    const { typing, conversationId } = req.body as { typing: boolean; conversationId?: string };
    const conversation = conversationId ? await conversationOf(conversationId) : null;
    // No conversation yet, or not this visitor's, or over: nobody to tell (not an error; the widget may know an old id).
    if (!conversation || conversation.inboxId !== inbox.id || conversation.visitorId !== visitorId || conversation.status === 'closed') {
      res.status(202).json({ delivered: false });
      return;
    }
    const agentId = conversation.agentId ?? undefined;
    realtime.publishEvent(typingEvent({
      conversationId: conversation._id, inboxId: inbox.id, channel: conversation.channel, agentId, audience: agentId ? [agentId] : [],
      data: { from: 'visitor', typing, visitorId },
    }));
    res.status(202).json({ delivered: true });
  });

  return r;
}

/** A typing event, ready to publish: not logged, since nobody needs it later (a stream resuming does not replay it). */
function typingEvent(fields: Omit<Extract<LoggedEvent, { type: 'conversation.typing' }>, 'id' | 'at' | 'type'>): LoggedEvent {
  const id = newEventId();
  return { ...fields, type: 'conversation.typing', id, at: new Date(timeOfEventId(id)).toISOString() };
}

/**
 * The agent's side, mounted at /api/v1/conversations (signed in):
 * `POST /:id/typing {typing}`, by the agent who accepted the conversation; the
 * visitor's stream shows it.
 */
export function agentTypingRoutes({ models, realtime }: Pick<AppDeps, 'models' | 'realtime'>): Router {
  const r = Router();
  r.post('/:id/typing', validate('AgentTypingRequest'), async (req, res) => {
    const id = idParam(req, 'id');
    const principal = res.locals.principal as Principal;
    const conversation = await models.Conversation.findById(id).select({ inboxId: 1, visitorId: 1, agentId: 1, status: 1, channel: 1 }).lean().exec();
    if (!conversation) throw new AppError(404, `no conversation "${id}"`, { id });
    if (conversation.status !== 'assigned' || conversation.agentId !== principal.id) {
      throw new AppError(409, 'only the agent who accepted the conversation types in it', { id, status: conversation.status });
    }
    realtime.publishEvent(typingEvent({
      conversationId: id, inboxId: conversation.inboxId, channel: conversation.channel, agentId: principal.id, audience: [],
      data: { from: 'agent', typing: (req.body as { typing: boolean }).typing, visitorId: conversation.visitorId },
    }));
    res.status(202).json({ delivered: true });
  });
  return r;
}

// ---- Admin side: web chat inboxes and their identity secret (mounted under /api/v1/inboxes) ----

export interface WebchatInboxCreateRequest { id?: string; name: string; channel: 'webchat'; identity?: boolean; flowId?: string }

/** What GET /api/v1/inboxes shows of a web chat inbox: how to embed it, and whether identities are verified (never the secret). */
export function webchatInboxView(config: Config, i: { _id: string; credentials?: string | null }) {
  return {
    messagesUrl: `${config.publicUrl}/api/v1/webchat/${i._id}/messages`,
    widget: { scriptUrl: `${config.publicUrl}/widget.js`, pageUrl: `${config.publicUrl}/widget/${i._id}`, snippet: widgetSnippet(config.publicUrl, i._id) },
    identity: !!i.credentials,
  };
}

/** Creates a web chat inbox (409 when the id is taken); with `identity`, returns its secret to show this once. */
export async function createWebchatInbox({ models, config }: Pick<AppDeps, 'models' | 'config'>, body: WebchatInboxCreateRequest, flowId: string) {
  const id = body.id ?? `webchat-${randomUUID().slice(0, 8)}`;
  const identitySecret = body.identity ? newIdentitySecret() : undefined;
  const credentials = await sealWebchatCredentials(config, { identitySecret });
  const inbox = { _id: id, name: body.name, channel: 'webchat', flowId, ...(credentials ? { credentials } : {}) };
  try {
    await models.Inbox.create(inbox);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, `inbox "${id}" exists already`, { id });
    throw err;
  }
  return { inbox, secrets: identitySecret ? { identitySecret } : undefined };
}

export function webchatInboxAdminRoutes({ models, config }: Pick<AppDeps, 'models' | 'config'>): Router {
  const r = Router();
  const webchatDoc = async (req: Request) => {
    const doc = await models.Inbox.findById(idParam(req, 'id')).lean();
    return doc?.channel === 'webchat' ? doc : undefined;
  };
  const rotated = (res: Response, id: string, identitySecret: string) => res.json({ id, secrets: { identitySecret } });

  // A new identity secret, shown this once (or the first one: identities are then verified). Other inboxes: the app's route.
  r.post('/:id/secrets', async (req, res, next) => {
    const doc = await webchatDoc(req);
    if (!doc) { next(); return; }
    validate('WebchatSecretsRotateRequest')(req, res, () => undefined);
    const identitySecret = newIdentitySecret();
    await models.Inbox.updateOne({ _id: doc._id }, { $set: { credentials: sealSecret({ identitySecret }, await loadSecretKey(config)) } });
    rotated(res, doc._id, identitySecret);
  });

  // No identity secret: every visitor is anonymous again (verified users' transcripts stay, readable by nobody but agents).
  r.delete('/:id/secrets/identitySecret', async (req, res) => {
    const doc = await webchatDoc(req);
    if (!doc) throw new AppError(422, `inbox "${String(req.params.id)}" is not a web chat inbox`, { id: req.params.id ?? null });
    await models.Inbox.updateOne({ _id: doc._id }, { $unset: { credentials: 1 } });
    res.json({ id: doc._id, identity: false });
  });

  return r;
}

// Web chat, the visitor's side: no auth (a visitor is anonymous).
import { Router } from 'express';
import { trusted } from '../../activities/store';
import { ttlCache } from '../../activities/ttl-cache';
import { AppError } from '../errors';
import { openEventStream } from '../realtime/event-stream';
import { idParam, validate } from '../schemas';
import { messageView, type MessageView } from '../views';
import type { AppDeps } from '../app';

export function webchatRoutes({ models, gateway, realtime }: AppDeps): Router {
  const r = Router();

  // Every message names its inbox; inboxes change rarely (a new or changed one shows within 5 s).
  const findInbox = ttlCache(5_000, (inboxId) => models.Inbox.findById(inboxId).lean().exec());

  async function webchatInbox(inboxId: string) {
    const inbox = await findInbox(inboxId);
    if (!inbox || inbox.channel !== 'webchat') throw new AppError(404, `unknown web chat inbox "${inboxId}"`, { inboxId });
    return inbox;
  }

  r.post('/:inboxId/messages', validate('WebchatMessageRequest'), async (req, res) => {
    const inbox = await webchatInbox(idParam(req, 'inboxId'));
    const { visitorId, clientMessageId, text } = req.body as { visitorId: string; clientMessageId: string; text: string };
    const { conversationId } = await gateway.deliver(
      { inboxId: inbox._id, channel: 'webchat', visitorId },
      { providerMessageId: `${visitorId}:${clientMessageId}`, clientMessageId, text, receivedAt: Date.now() },
    );
    res.status(202).json({ conversationId });
  });

  async function transcript(inboxId: string, visitorId: string, afterId?: string) {
    const after = afterId ? await models.Message.findOne({ _id: afterId, inboxId, visitorId }).lean() : null;
    const filter = after ? trusted({ inboxId, visitorId, storedAt: { $gte: after.storedAt } }) : { inboxId, visitorId };
    const docs = await models.Message.find(filter).sort({ storedAt: 1, _id: 1 }).limit(1000).lean();
    return docs.filter((d) => d._id !== afterId).map(messageView);
  }

  r.get('/:inboxId/visitors/:visitorId/messages', async (req, res) => {
    const inbox = await webchatInbox(idParam(req, 'inboxId'));
    res.json({ messages: await transcript(inbox._id, idParam(req, 'visitorId')) });
  });

  // Server-Sent Events: the transcript (after Last-Event-ID on a reconnect), then
  // each new message as workers push it to this process; each message once.
  r.get('/:inboxId/visitors/:visitorId/stream', async (req, res) => {
    const inbox = await webchatInbox(idParam(req, 'inboxId'));
    const visitorId = idParam(req, 'visitorId');
    const header = req.header('Last-Event-ID');
    const lastEventId = header && /^[\w.:-]{1,300}$/.test(header) ? header : undefined;
    const send = openEventStream(res);
    const sent = new Set<string>(lastEventId ? [lastEventId] : []); // the client has that one
    const sendOnce = (m: MessageView) => { if (!sent.has(m.id)) { sent.add(m.id); send(m); } };
    // Subscribe first, so nothing stored while the transcript loads falls in
    // between; hold what arrives meanwhile, so it follows the older messages.
    let held: MessageView[] | undefined = [];
    const unsubscribe = realtime.subscribers.subscribe(inbox._id, visitorId, (m) => { if (held) held.push(m); else sendOnce(m); });
    res.on('close', unsubscribe);
    try {
      for (const m of await transcript(inbox._id, visitorId, lastEventId)) sendOnce(m);
    } catch (err) {
      // The 200 is out already: end the stream, and the client reconnects (after Last-Event-ID).
      console.error('[huiliu] loading a visitor transcript failed:', (err as Error).message);
      res.end();
      return;
    }
    for (const m of held) sendOnce(m);
    held = undefined;
  });

  return r;
}

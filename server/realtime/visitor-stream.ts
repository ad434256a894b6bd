// One visitor's messages, for every client that shows them (the web chat
// widget, the mobile app): the transcript from the store, and a stream of it
// that goes on with each new message as workers push it to this process.
import type { Response } from 'express';
import { trusted, type Models } from '../../activities/store';
import { messageView, type MessageView } from '../views';
import type { SseWriter } from './event-stream';
import type { LocalSubscribers } from './local-subscribers';

/**
 * The visitor's messages in the order they were stored, after `afterId` when
 * given (an id that is not theirs reads from the start: clients drop repeats
 * by id). `slackMs` reads back that much before it, for messages stamped by a
 * worker whose clock runs behind.
 */
export async function visitorTranscript(m: Models, inboxId: string, visitorId: string, afterId?: string, slackMs = 0): Promise<MessageView[]> {
  const after = afterId ? await m.Message.findOne({ _id: afterId, inboxId, visitorId }).lean() : null;
  const filter = after ? trusted({ inboxId, visitorId, storedAt: { $gte: new Date(after.storedAt.getTime() - slackMs) } }) : { inboxId, visitorId };
  const docs = await m.Message.find(filter).sort({ storedAt: 1, _id: 1 }).limit(1000).lean();
  return docs.filter((d) => d._id !== afterId).map(messageView);
}

/**
 * Sends the transcript (after `lastEventId`) on an open SSE response, then
 * each new message, each once per connection. It subscribes before reading
 * the transcript, so nothing stored meanwhile falls in between, and holds what
 * arrives meanwhile so it follows the older messages. It unsubscribes when
 * the response closes.
 */
export async function streamVisitorMessages(
  res: Response, sse: SseWriter, deps: { models: Models; subscribers: LocalSubscribers },
  visitor: { inboxId: string; visitorId: string; lastEventId?: string; slackMs?: number },
): Promise<void> {
  const { inboxId, visitorId, lastEventId } = visitor;
  const sent = new Set<string>(lastEventId ? [lastEventId] : []); // the client has that one
  const sendOnce = (m: MessageView) => { if (!sent.has(m.id)) { sent.add(m.id); sse.send('message', m.id, m); } };
  let held: MessageView[] | undefined = [];
  res.on('close', deps.subscribers.subscribe(inboxId, visitorId, (m) => { if (held) held.push(m); else sendOnce(m); }));
  try {
    for (const m of await visitorTranscript(deps.models, inboxId, visitorId, lastEventId, visitor.slackMs)) sendOnce(m);
  } catch (err) {
    // The 200 is out already: end the stream, and the client reconnects (after Last-Event-ID).
    console.error(`[huiliu] loading the transcript of a ${inboxId} visitor failed:`, (err as Error).message);
    res.end();
    return;
  }
  for (const m of held) sendOnce(m);
  held = undefined;
}

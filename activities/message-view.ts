// A message as clients see it: in the API, in the realtime stream, and in the
// copy each conversation keeps of its own messages.
import type { MessageDoc } from './store/models';

export function messageView(m: MessageDoc & { _id: string }) {
  return {
    id: m._id,
    conversationId: m.conversationId,
    inboxId: m.inboxId,
    visitorId: m.visitorId,
    direction: m.direction,
    author: m.author,
    ...(m.agentId ? { agentId: m.agentId } : {}),
    text: m.text,
    kind: m.kind ?? 'text',
    ...(m.clientMessageId ? { clientMessageId: m.clientMessageId } : {}),
    at: m.at.toISOString(),
  };
}

export type MessageView = ReturnType<typeof messageView>;

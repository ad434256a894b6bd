// Storing what the customer wrote (normalized) and what we sent them. Web chat
// delivers straight from the message store (the visitor's stream reads it);
// other channels will add their provider send here.
import { invalidInput } from './errors';
import type { Models } from './store';
import type { ConversationRef, InboundMessage, Language, OutboundMessage } from './types';
import { detectLanguage, validateUnifiedMessage, type UnifiedMessage } from './unified-message';

export function messageActivities(m: Models) {
  return {
    async normalizeMessage(input: ConversationRef & { inbound: InboundMessage; language: Language }): Promise<UnifiedMessage> {
      const { inbound, language, ...ref } = input;
      const text = inbound.text.normalize('NFC').trim();
      const message = {
        id: `${ref.channel}:${ref.inboxId}:${inbound.providerMessageId}`,
        conversationId: ref.conversationId, inboxId: ref.inboxId, channel: ref.channel, visitorId: ref.visitorId,
        direction: 'in', author: 'visitor', type: 'text', text, language: detectLanguage(text, language),
        providerMessageId: inbound.providerMessageId,
        ...(inbound.clientMessageId ? { clientMessageId: inbound.clientMessageId } : {}),
        at: new Date(inbound.receivedAt).toISOString(),
      } as UnifiedMessage;
      if (!validateUnifiedMessage(message)) {
        throw invalidInput(`message does not fit the unified format: ${JSON.stringify(validateUnifiedMessage.errors)}`);
      }
      const { id, at, ...fields } = message;
      await m.Message.updateOne(
        { _id: id },
        { $setOnInsert: { ...fields, at: new Date(at), storedAt: new Date() } },
        { upsert: true },
      );
      await touchConversation(m, ref.conversationId, { language: message.language });
      return message;
    },

    async sendMessage(msg: OutboundMessage): Promise<void> {
      const { messageId, conversationId, at, ...fields } = msg;
      await m.Message.updateOne(
        { _id: messageId },
        { $setOnInsert: { ...fields, conversationId, direction: 'out', type: 'text', at: new Date(at), storedAt: new Date() } },
        { upsert: true },
      );
      await touchConversation(m, conversationId, {});
    },
  };
}

async function touchConversation(m: Models, conversationId: string, set: Record<string, unknown>) {
  const now = new Date();
  await m.Conversation.updateOne({ _id: conversationId }, { $set: { ...set, lastMessageAt: now, updatedAt: now } });
}

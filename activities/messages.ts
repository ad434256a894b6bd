// Storing what the customer wrote (normalized) and what we sent them. Web chat
// delivers from the message store: the visitor's stream replays it on connect,
// and each newly stored message is handed to the realtime publisher so open
// streams get it at once. Channels with a provider API (WeChat) are sent
// through their sender (./channels) right after the message is stored.
import type { ChannelSenders } from './channels';
import { invalidInput } from './errors';
import { isDuplicateKey, type Models } from './store';
import type { MessageDoc } from './store/models';
import type { ConversationRef, InboundMessage, Language, OutboundMessage } from './types';
import { detectLanguage, validateUnifiedMessage, type UnifiedMessage } from './unified-message';

/** A message as it is stored. */
export type StoredMessage = MessageDoc & { _id: string };

/**
 * Announces a stored message to realtime subscribers, wherever they are. It
 * returns at once and never throws: the stored message is what counts, and a
 * subscriber that misses it reads it from the store when it reconnects.
 */
export type PublishMessage = (message: StoredMessage) => void;

/**
 * Stores a message once (a retried step finds it there) and publishes what is
 * stored. It publishes on every attempt: an attempt that stored the message
 * may have died before publishing, and subscribers drop repeats. An outbound
 * message on a channel with a sender is then sent, unless a previous attempt
 * already recorded its delivery; a sender's throw fails the attempt, so the
 * step retries.
 */
export type StoreMessage = (id: string, fields: Omit<StoredMessage, '_id'>) => Promise<void>;

export function messageStore(m: Models, publish: PublishMessage, senders: ChannelSenders = {}): StoreMessage {
  async function deliver(doc: StoredMessage) {
    const send = senders[doc.channel];
    if (doc.direction !== 'out' || !send || doc.delivery?.status) return;
    const delivery = await send({ id: doc._id, inboxId: doc.inboxId, visitorId: doc.visitorId, text: doc.text, ...(doc.choices?.length ? { choices: doc.choices } : {}) });
    await m.Message.updateOne({ _id: doc._id }, { $set: { delivery } });
  }

  return async (id, fields) => {
    // A plain insert is one write; only a retry pays for reading back what is there.
    let stored: StoredMessage | null;
    try {
      stored = { _id: id, ...fields };
      await m.Message.create(stored);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      stored = await m.Message.findById(id).lean();
    }
    if (!stored) return;
    publish(stored);
    await deliver(stored);
  };
}

/** Stores an outbound message (bot, agent or system) under the id the workflow gave it. */
export function storeOutbound(store: StoreMessage, msg: OutboundMessage): Promise<void> {
  const { messageId, at, ...fields } = msg;
  return store(messageId, { ...fields, direction: 'out', type: 'text', at: new Date(at), storedAt: new Date() });
}

export function messageActivities(m: Models, store: StoreMessage) {
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
      await store(id, { ...fields, kind: 'text', at: new Date(at), storedAt: new Date() });
      await touchConversation(m, ref.conversationId, { language: message.language });
      return message;
    },

    async sendMessage(msg: OutboundMessage): Promise<void> {
      // One database write per reply: the conversation list orders by the customer's activity and status changes, not by our replies.
      await storeOutbound(store, msg);
    },
  };
}

async function touchConversation(m: Models, conversationId: string, set: Record<string, unknown>) {
  const now = new Date();
  await m.Conversation.updateOne({ _id: conversationId }, { $set: { ...set, lastMessageAt: now, updatedAt: now } });
}

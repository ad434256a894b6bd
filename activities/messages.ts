// Storing what the customer wrote (normalized) and what we sent them. Web chat
// delivers from the message store: the visitor's stream replays it on connect,
// and each newly stored message is handed to the realtime publisher so open
// streams get it at once. Channels with a provider API (WeChat) are sent
// through their sender (./channels) right after the message is stored; what a
// customer sent as a provider media id is copied into the media store then
// (./channels/provider-media.ts), off the message's path.
import type { ChannelSenders } from './channels';
import type { ProviderMedia } from './channels/provider-media';
import { invalidInput } from './errors';
import { isDuplicateKey, type Models } from './store';
import type { MessageDoc } from './store/models';
import { transcribe, type SpeechRecognizer } from './speech';
import type { ContentType, ConversationRef, InboundMessage, Language, MediaRef, MessageCard, OutboundMessage, RawPayload } from './types';
import {
  CONTENT_TYPES, detectLanguage, isPlaceholder, MEDIA_KINDS, PLACEHOLDERS, validateUnifiedMessage, withoutPlaceholders, type UnifiedMessage,
} from './unified-message';

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
 * step retries. An inbound message's provider media start being copied, best
 * effort and not awaited: a copy that fails never fails the message.
 */
export type StoreMessage = (id: string, fields: Omit<StoredMessage, '_id'>) => Promise<void>;

export function messageStore(m: Models, publish: PublishMessage, senders: ChannelSenders = {}, media?: ProviderMedia): StoreMessage {
  async function deliver(doc: StoredMessage) {
    const send = senders[doc.channel];
    if (doc.direction !== 'out' || !send || doc.delivery?.status) return;
    const delivery = await send({
      id: doc._id, inboxId: doc.inboxId, visitorId: doc.visitorId, text: doc.text, ...(doc.choices?.length ? { choices: doc.choices } : {}),
      ...(doc.card ? { card: doc.card as MessageCard } : {}),
      partsSent: doc.partsSent ?? 0,
      recordPartsSent: async (n) => { await m.Message.updateOne({ _id: doc._id }, { $set: { partsSent: n } }); },
    });
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
    media?.keep(stored);
    await deliver(stored);
  };
}

/** Stores an outbound message (bot, agent or system) under the id the workflow gave it. */
export function storeOutbound(store: StoreMessage, msg: OutboundMessage): Promise<void> {
  const { messageId, at, ...fields } = msg;
  return store(messageId, { ...fields, direction: 'out', type: 'text', at: new Date(at), storedAt: new Date() });
}

export function messageActivities(m: Models, store: StoreMessage, speech?: SpeechRecognizer) {
  return {
    /**
     * Turns what a channel delivered into the unified message
     * (./unified-message.ts), stores it (and the provider's raw payload, when
     * the channel kept one) and returns it. A voice message without a
     * transcript is given to the speech recognizer, when one is plugged in.
     */
    async normalizeMessage(input: ConversationRef & { inbound: InboundMessage; language: Language }): Promise<UnifiedMessage> {
      const { inbound, language, ...ref } = input;
      const id = `${ref.channel}:${ref.inboxId}:${inbound.providerMessageId}`;
      const content = unifiedContent(inbound);
      let text = inbound.text.normalize('NFC').trim();
      let transcript: 'provider' | 'recognizer' | undefined;
      let heard: Language | undefined;
      if (content.type === 'voice') {
        if (!isPlaceholder(text)) transcript = 'provider';
        else if (speech) {
          const recognized = await recognizeVoice(m, speech, id, ref, content.media?.[0]);
          if (recognized) {
            text = recognized.text;
            heard = recognized.language;
            transcript = 'recognizer';
          }
        }
      }
      // The placeholder of what the channel said it was, even when its content did not survive.
      const declared = CONTENT_TYPES.includes(inbound.type as ContentType) ? inbound.type! : content.type;
      text = (text || PLACEHOLDERS[declared]).slice(0, MAX_TEXT);
      // A placeholder, an event or a place name says nothing of the customer's language: a caption beside a placeholder does.
      const ownWords = transcript !== undefined ? text : WORDED.has(content.type) ? withoutPlaceholders(text) : '';
      const message = {
        id,
        conversationId: ref.conversationId, inboxId: ref.inboxId, channel: ref.channel, visitorId: ref.visitorId,
        direction: 'in', sender: { author: 'visitor', id: ref.visitorId },
        ...content, text, language: heard ?? (ownWords ? detectLanguage(ownWords, language) : language),
        ...(transcript ? { transcript } : {}),
        providerMessageId: inbound.providerMessageId,
        ...(inbound.clientMessageId ? { clientMessageId: inbound.clientMessageId } : {}),
        ...(inbound.raw ? { rawRef: `rawPayloads/${id}` } : {}),
        at: new Date(inbound.receivedAt).toISOString(),
        ...(validTime(inbound.sentAt) ? { sentAt: new Date(inbound.sentAt).toISOString() } : {}),
      } as UnifiedMessage;
      if (!validateUnifiedMessage(message)) {
        throw invalidInput(`message does not fit the unified format: ${JSON.stringify(validateUnifiedMessage.errors)}`);
      }
      if (inbound.raw) await keepRawPayload(m, id, ref, inbound.raw, new Date(inbound.receivedAt));
      // Stored under its id, its sender as the author.
      const { sender, at, sentAt, ...fields } = message;
      delete (fields as Partial<typeof fields>).id;
      await store(id, {
        ...fields, author: sender.author, kind: 'text', at: new Date(at), ...(sentAt ? { sentAt: new Date(sentAt) } : {}), storedAt: new Date(),
      });
      await touchConversation(m, ref.conversationId, { language: message.language });
      return message;
    },

    async sendMessage(msg: OutboundMessage): Promise<void> {
      // One database write per reply: the conversation list orders by the customer's activity and status changes, not by our replies.
      await storeOutbound(store, msg);
    },
  };
}

/** The unified message's text limit. */
const MAX_TEXT = 4000;
/** Types whose text is the customer's own words (a caption, a transcript) unless it is a placeholder. */
const WORDED = new Set<ContentType>(['text', 'voice', 'image', 'video', 'file', 'sticker']);

const validTime = (ms: number | undefined): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms < 8.64e15;
const str = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined;

/**
 * What the message carries besides its text, from the channel's InboundMessage,
 * keeping only what the unified format takes: a channel's slip (an unknown
 * media kind, a coordinate out of range) loses that detail, never the message.
 */
function unifiedContent(inbound: InboundMessage): Pick<UnifiedMessage, 'type' | 'media' | 'location' | 'event' | 'link'> {
  const media = (inbound.media ?? []).flatMap((ref): MediaRef[] => {
    if (!(MEDIA_KINDS as readonly string[]).includes(ref?.kind)) return [];
    const kept = {
      kind: ref.kind, id: str(ref.id, 200), url: str(ref.url, 2048), providerMediaId: str(ref.providerMediaId, 512), mime: str(ref.mime, 200), name: str(ref.name, 500),
      size: Number.isSafeInteger(ref.size) && ref.size! >= 0 ? ref.size : undefined,
    };
    return [Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)) as unknown as MediaRef];
  }).slice(0, 20);
  const l = inbound.location;
  const location = l && Number.isFinite(l.latitude) && Math.abs(l.latitude) <= 90 && Number.isFinite(l.longitude) && Math.abs(l.longitude) <= 180
    ? { latitude: l.latitude, longitude: l.longitude, ...(str(l.label, 1000) ? { label: str(l.label, 1000) } : {}) }
    : undefined;
  const name = str(inbound.event?.name, 100);
  const key = typeof inbound.event?.key === 'string' ? inbound.event.key.slice(0, 1000) : undefined;
  const event = name ? { name, ...(key ? { key } : {}) } : undefined;
  const url = str(inbound.link?.url, 2048);
  const link = url ? {
    url,
    ...Object.fromEntries((['title', 'description', 'imageUrl'] as const)
      .map((k) => [k, str(inbound.link?.[k], k === 'description' ? 2000 : k === 'imageUrl' ? 2048 : 1000)]).filter(([, v]) => v !== undefined)),
  } : undefined;
  let type: ContentType = CONTENT_TYPES.includes(inbound.type as ContentType) ? inbound.type! : 'text';
  // A type whose content did not survive is read as text (its text says what it was).
  if ((type === 'location' && !location) || (type === 'event' && !event) || (['image', 'video', 'file', 'sticker'].includes(type) && media.length === 0)) type = 'text';
  return {
    type,
    ...(media.length ? { media } : {}),
    ...(location ? { location } : {}),
    ...(event ? { event } : {}),
    ...(link ? { link } : {}),
  } as Pick<UnifiedMessage, 'type' | 'media' | 'location' | 'event' | 'link'>;
}

/**
 * The transcript of a voice message, from the recognizer. A retried step finds
 * the transcript it stored before instead of recognizing the recording again.
 */
async function recognizeVoice(m: Models, speech: SpeechRecognizer, id: string, ref: ConversationRef, media: MediaRef | undefined): Promise<{ text: string; language?: Language } | undefined> {
  const stored = await m.Message.findById(id, { text: 1, language: 1, transcript: 1 }).lean();
  if (stored) return stored.transcript === 'recognizer' ? { text: stored.text, ...(stored.language === 'zh' || stored.language === 'en' ? { language: stored.language } : {}) } : undefined;
  return transcribe(speech, {
    inboxId: ref.inboxId, channel: ref.channel,
    ...(media?.url ? { url: media.url } : {}), ...(media?.providerMediaId ? { providerMediaId: media.providerMediaId } : {}), ...(media?.mime ? { mime: media.mime } : {}),
  });
}

/** Keeps the provider's payload under the message's id, once (a retried step finds it there). */
async function keepRawPayload(m: Models, id: string, ref: ConversationRef, raw: RawPayload, at: Date): Promise<void> {
  try {
    await m.RawPayload.create({ _id: id, channel: ref.channel, inboxId: ref.inboxId, format: raw.format, body: raw.body, ...(raw.truncated ? { truncated: true } : {}), at });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

async function touchConversation(m: Models, conversationId: string, set: Record<string, unknown>) {
  const now = new Date();
  await m.Conversation.updateOne({ _id: conversationId }, { $set: { ...set, lastMessageAt: now, updatedAt: now } });
}

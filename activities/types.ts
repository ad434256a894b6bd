// Domain types shared by activities, workflows (as types only) and the server.

export type Language = 'zh' | 'en';
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'survey' | 'closed';
export type Author = 'visitor' | 'bot' | 'agent' | 'system';

/** What a message carries, on every channel. */
export type ContentType = 'text' | 'image' | 'voice' | 'video' | 'file' | 'location' | 'sticker' | 'event' | 'rich';

/** A picture, recording, clip or file a message refers to (never its bytes). */
export interface MediaRef {
  kind: 'image' | 'voice' | 'video' | 'file' | 'sticker';
  /** Our media store's id, when we keep a copy (web chat uploads). */
  id?: string;
  /** Where it can be fetched (ours, or the provider's). */
  url?: string;
  /** The provider's id for it (WeChat MediaId), to fetch it through the provider's API. */
  providerMediaId?: string;
  mime?: string;
  name?: string;
  size?: number;
}

/** What a channel webhook hands to the conversation workflow: the raw inbound message. */
export interface InboundMessage {
  /** The provider's id for the message; repeats of it are dropped. */
  providerMessageId: string;
  /** The id the client chose (web chat), kept so a client can match its own message. */
  clientMessageId?: string;
  /** Always readable on its own: the text, a caption, a voice transcript, or a placeholder such as "[图片]". */
  text: string;
  /** Epoch milliseconds when the server accepted it. */
  receivedAt: number;
  /** Absent: text. */
  type?: ContentType;
  media?: MediaRef[];
  location?: { latitude: number; longitude: number; label?: string };
  /** A channel event (subscribe, menu click...): its name and key. */
  event?: { name: string; key?: string };
  /** A shared link or card (type rich). */
  link?: { url: string; title?: string; description?: string; imageUrl?: string };
  /** Epoch milliseconds when the customer sent it, as the provider says (WeChat CreateTime, WeCom send_time). */
  sentAt?: number;
  /**
   * The provider's original payload (decrypted), kept by normalizeMessage in
   * the rawPayloads collection under the message's id. Absent where the request
   * itself is the message (web chat). Bounded by RAW_PAYLOAD_LIMIT (./unified-message).
   */
  raw?: RawPayload;
}

/** A provider's payload as it came: its format and its text (cut at RAW_PAYLOAD_LIMIT characters, then `truncated`). */
export interface RawPayload {
  format: 'xml' | 'json';
  body: string;
  truncated?: boolean;
}

/** Identifies one conversation and where it lives. */
export interface ConversationRef {
  conversationId: string;
  inboxId: string;
  channel: string;
  visitorId: string;
}

/** The customer's contact record, one per inbox and visitor until profiles merge identities. */
export const contactIdOf = (ref: Pick<ConversationRef, 'inboxId' | 'visitorId'>) => `${ref.inboxId}:${ref.visitorId}`;

/** One answer the customer can pick; picking it sends `label` back as the customer's message. */
export interface MessageChoice {
  id: string;
  label: string;
}

/**
 * A rich card: sent as a card where the channel has them, else as text with
 * its buttons numbered (activities/channels/capabilities.ts).
 */
export interface MessageCard {
  title: string;
  text?: string;
  imageUrl?: string;
  /** Where the card leads. */
  url?: string;
  buttons?: { label: string; url?: string }[];
}

/** A message as it is sent out on the customer's channel (bot, agent or system). */
export interface OutboundMessage extends ConversationRef {
  messageId: string;
  author: Exclude<Author, 'visitor'>;
  agentId?: string;
  text: string;
  kind: 'text' | 'survey';
  /** Answers the customer can pick (a survey's ratings): sent as buttons or a menu where the channel has them, listed under the text elsewhere. */
  choices?: MessageChoice[];
  card?: MessageCard;
  /** Epoch milliseconds, from workflow time. */
  at: number;
}

export interface BotResult {
  answered: boolean;
  confidence: number;
  answer?: string;
  faqId?: string;
}

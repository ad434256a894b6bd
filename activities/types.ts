// Domain types shared by activities, workflows (as types only) and the server.

export type Language = 'zh' | 'en';
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'survey' | 'closed';
export type Author = 'visitor' | 'bot' | 'agent' | 'system';

/** What a channel webhook hands to the conversation workflow: the raw inbound message. */
export interface InboundMessage {
  /** The provider's id for the message; repeats of it are dropped. */
  providerMessageId: string;
  /** The id the client chose (web chat), kept so a client can match its own message. */
  clientMessageId?: string;
  text: string;
  /** Epoch milliseconds when the server accepted it. */
  receivedAt: number;
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

/** A message as it is sent out on the customer's channel (bot, agent or system). */
export interface OutboundMessage extends ConversationRef {
  messageId: string;
  author: Exclude<Author, 'visitor'>;
  agentId?: string;
  text: string;
  kind: 'text' | 'survey';
  /** Answers the customer can pick (a survey's ratings): sent as buttons or a menu where the channel has them; `text` lists them for the rest. */
  choices?: MessageChoice[];
  /** Epoch milliseconds, from workflow time. */
  at: number;
}

export interface BotResult {
  answered: boolean;
  confidence: number;
  answer?: string;
  faqId?: string;
}

// What each channel can show, declared by the channel in its own folder
// (`<channel>/capabilities.ts`) and listed here, and the one function that
// adapts an outbound message to it. Every sender adapts every message it sends
// (bot, agent, system, survey), right before its provider's own formatting; the
// stored message keeps what was written. Pure, and free of Node APIs: the web
// chat widget adapts what it shows with the same code.
import type { MessageCard, MessageChoice } from '../types';
import { appCapabilities } from './app/capabilities';
import { markdownToPlain, type MarkdownImage } from './markdown';
import { cutText, sizeOf, splitText, type TextUnit } from './text-limit';
import { webchatCapabilities } from './webchat/capabilities';
import { wechatCapabilities } from './wechat/capabilities';
import { emojiToFaceCodes, FACE_TOKEN } from './wechat/emoji';
import { wecomCapabilities } from './wecom/capabilities';
import { weiboCapabilities } from './weibo/capabilities';

export interface Size {
  max: number;
  unit: TextUnit;
}

export interface ChannelCapabilities {
  /**
   * The longest text one provider message takes, and what happens to a longer
   * one: `split` into several messages, or `truncate` to one that ends with a
   * link to the whole text. Absent: no limit.
   */
  maxText?: Size & { overLimit: 'split' | 'truncate' };
  /** Whether markdown is rendered; if not, it goes out as plain text. */
  markdown: boolean;
  /** Choices as buttons or a menu, and how many and how long; false: listed in the text. */
  buttons: false | { max: number; label: Size; id?: Size };
  /**
   * Cards: `rich` shows title, text, picture and link buttons; `link` is one
   * article that opens the card's url (its buttons go into the text, and a card
   * without a url goes out as text); false: the card goes out as text.
   */
  cards: false | 'link' | 'rich';
  /** Whether pictures in the text are shown as pictures; if not, as links. */
  images: boolean;
  /** How emoji are written: Unicode, or WeChat's own face codes. */
  emoji: 'unicode' | 'wechat-faces';
}

/** The channels that declare what they show. A new channel is one folder and one line here. */
const CHANNELS: Record<string, ChannelCapabilities> = {
  app: appCapabilities,
  webchat: webchatCapabilities,
  wechat: wechatCapabilities,
  wecom: wecomCapabilities,
  weibo: weiboCapabilities,
};

/** What a channel that declares nothing gets: plain text, everything in it, no limit. */
const PLAIN_TEXT: ChannelCapabilities = { markdown: false, buttons: false, cards: false, images: false, emoji: 'unicode' };

export function capabilitiesOf(channel: string): ChannelCapabilities {
  return Object.hasOwn(CHANNELS, channel) ? CHANNELS[channel]! : PLAIN_TEXT;
}

/** An outbound message as written (stored). */
export interface OutboundContent {
  /** The stored message's id: a text cut short links to the page that shows it whole. */
  id: string;
  text: string;
  choices?: readonly MessageChoice[];
  card?: MessageCard;
}

export interface AdaptOptions {
  /** The public page that shows a message whole (`/m/<id>?s=…`); without it a cut text just ends with "…". */
  fullMessageUrl?: (messageId: string) => string;
}

/** What the provider should send. */
export interface AdaptedMessage {
  /** The text in the pieces the provider takes, in order; none when there is no text. */
  parts: string[];
  /** Choices to offer as buttons or a menu; absent when there are none or the text lists them. */
  choices?: MessageChoice[];
  /** The card to send as a card, in the channel's form; absent when there is none or it went into the text. */
  card?: MessageCard;
  /** Pictures to show as pictures (markdown images, on channels that show them). */
  images: MarkdownImage[];
}

/**
 * Adapts a message to a channel: markdown to plain text, a card and choices
 * the channel cannot show into numbered text, pictures into links, emoji into
 * the channel's own, and the text to the channel's length limit. The same
 * message always gives the same result, so a retried send goes on from the
 * part it reached.
 */
export function adaptOutbound(message: OutboundContent, capabilities: ChannelCapabilities, opts: AdaptOptions = {}): AdaptedMessage {
  const { text, ...rest } = compose(message, capabilities);
  const written = capabilities.emoji === 'wechat-faces' ? emojiToFaceCodes(text) : text;
  return { parts: fit(written, message.id, capabilities, opts), ...rest };
}

/** The whole text a channel gets before it is fitted to the length limit: what the full-message page shows. */
export function fullText(message: OutboundContent, capabilities: ChannelCapabilities): string {
  return compose(message, capabilities).text;
}

/**
 * Choices as lines of text, for a customer who answers by typing. Labels that
 * already begin with their answer (a survey's "5 非常满意") are listed as they
 * are, so the number the customer types is the one they read; others are
 * numbered.
 */
export function choicesText(choices: readonly MessageChoice[]): string {
  const selfNumbered = choices.every((c) => c.label.startsWith(c.id) && /^($|[\s.:：、)）])/u.test(c.label.slice(c.id.length)));
  return choices.map((c, i) => (selfNumbered ? c.label : `${i + 1}. ${c.label}`)).join('\n');
}

function compose(message: OutboundContent, capabilities: ChannelCapabilities): Omit<AdaptedMessage, 'parts'> & { text: string } {
  const plain = (text: string, keepImages = false) => (capabilities.markdown ? { text, images: [] } : markdownToPlain(text, { keepImages }));
  const body = plain(message.text, capabilities.images);
  const blocks = [body.text];

  let card: MessageCard | undefined;
  if (message.card) {
    const { title, text, ...links } = message.card;
    const written: MessageCard = { title: plain(title).text, ...(text ? { text: plain(text).text } : {}), ...links };
    if (capabilities.cards === 'rich') card = written;
    else if (capabilities.cards === 'link' && written.url) {
      const { buttons, ...article } = written;
      card = article;
      if (buttons?.length) blocks.push(buttonsText(buttons));
    } else blocks.push(cardText(written));
  }

  let choices = message.choices?.length ? message.choices.map(({ id, label }) => ({ id, label })) : undefined;
  if (choices && !choicesFit(choices, capabilities.buttons)) {
    blocks.push(choicesText(choices));
    choices = undefined;
  }
  return { text: blocks.filter(Boolean).join('\n\n'), images: body.images, ...(choices ? { choices } : {}), ...(card ? { card } : {}) };
}

/** A card as text: title, text, picture and link, then its buttons numbered. */
function cardText(card: MessageCard): string {
  return [card.title, card.text, card.imageUrl, card.url, card.buttons?.length ? buttonsText(card.buttons) : undefined].filter(Boolean).join('\n');
}

function buttonsText(buttons: NonNullable<MessageCard['buttons']>): string {
  return buttons.map((b, i) => `${i + 1}. ${b.label}${b.url ? ` — ${b.url}` : ''}`).join('\n');
}

function choicesFit(choices: readonly MessageChoice[], buttons: ChannelCapabilities['buttons']): boolean {
  if (!buttons || choices.length > buttons.max) return false;
  const within = (value: string, size: Size | undefined) => value !== '' && (!size || sizeOf(value, size.unit) <= size.max);
  return choices.every((c) => within(c.label, buttons.label) && within(c.id, buttons.id));
}

/** Marks where a text was cut, with the link to the whole of it when there is one. */
const cutMark = (url?: string) => (url ? `…\n全文 Full message: ${url}` : '…');

function fit(text: string, id: string, { maxText: limit, emoji }: ChannelCapabilities, opts: AdaptOptions): string[] {
  if (!text) return [];
  if (!limit || sizeOf(text, limit.unit) <= limit.max) return [text];
  // A face code cut in two would show as its pieces.
  const keep = emoji === 'wechat-faces' ? FACE_TOKEN : undefined;
  if (limit.overLimit === 'split') return splitText(text, limit.max, limit.unit, keep);
  const linked = cutMark(opts.fullMessageUrl?.(id));
  // A limit too small for the link still gets the mark.
  const mark = sizeOf(linked, limit.unit) < limit.max ? linked : cutMark();
  return [cutText(text, limit.max - sizeOf(mark, limit.unit), limit.unit, keep).trimEnd() + mark];
}

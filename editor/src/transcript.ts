// Pure state of the visitor's chat transcript: messages confirmed by the
// server plus the visitor's own messages that are still on their way.
import type { MediaRef, Message } from './api';

export type PendingState = 'sending' | 'sent' | 'failed';

/** A message the visitor sent that the server has not echoed back yet. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  at: string;
  state: PendingState;
}

export interface Transcript {
  /** Server messages, unique by id, in arrival order. */
  messages: Message[];
  pending: PendingMessage[];
}

export const emptyTranscript: Transcript = { messages: [], pending: [] };

/**
 * Adds messages from the server (stream replay, live events or a fetched
 * transcript). Messages already known by id are ignored, and each pending
 * message whose clientMessageId comes back is replaced by the server's copy.
 */
export function receiveMessages(transcript: Transcript, incoming: readonly Message[]): Transcript {
  const known = new Set(transcript.messages.map((m) => m.id));
  const fresh = incoming.filter((m) => {
    if (known.has(m.id)) return false;
    known.add(m.id);
    return true;
  });
  if (fresh.length === 0) return transcript;
  const confirmed = new Set(fresh.map((m) => m.clientMessageId));
  return {
    messages: [...transcript.messages, ...fresh],
    pending: transcript.pending.filter((p) => !confirmed.has(p.clientMessageId)),
  };
}

/** Shows a message being sent (or sent again, for a retry); ignored once the server has it. */
export function addPending(transcript: Transcript, message: PendingMessage): Transcript {
  if (transcript.messages.some((m) => m.clientMessageId === message.clientMessageId)) return transcript;
  const others = transcript.pending.filter((p) => p.clientMessageId !== message.clientMessageId);
  return { ...transcript, pending: [...others, message] };
}

export function setPendingState(transcript: Transcript, clientMessageId: string, state: PendingState): Transcript {
  if (!transcript.pending.some((p) => p.clientMessageId === clientMessageId)) return transcript;
  return {
    ...transcript,
    pending: transcript.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, state } : p)),
  };
}

/**
 * The id of the survey message the visitor can still answer: the last survey
 * message, when the visitor has sent nothing since it.
 */
export function openSurveyId(transcript: Transcript): string | undefined {
  if (transcript.pending.length > 0) return undefined;
  for (let i = transcript.messages.length - 1; i >= 0; i--) {
    const message = transcript.messages[i];
    if (message.author === 'visitor') return undefined;
    if (message.kind === 'survey') return message.id;
  }
  return undefined;
}

/** The star rating the visitor gave to each answered survey message, by survey message id. */
export function surveyAnswers(messages: readonly Message[]): Map<string, number> {
  const answers = new Map<string, number>();
  let surveyId: string | undefined;
  for (const message of messages) {
    if (message.kind === 'survey') {
      surveyId = message.id;
    } else if (message.author === 'visitor' && surveyId) {
      if (/^[1-5]$/.test(message.text.trim())) answers.set(surveyId, Number(message.text.trim()));
      surveyId = undefined;
    }
  }
  return answers;
}

/** Where a message's choices stand: open to pick, or answered (with the choice picked, when the answer was one). */
export interface ChoiceState {
  open: boolean;
  chosenId?: string;
}

/**
 * The state of each message that offers choices, by message id. Any visitor
 * message after it answers it, typed or picked, and so does a message still
 * on its way (the buttons close at once, so a second tap cannot send a second
 * answer); the choice whose label the answer is counts as picked.
 */
export function choiceStates(transcript: Transcript): Map<string, ChoiceState> {
  const states = new Map<string, ChoiceState>();
  let waiting: Message[] = [];
  const answer = (text: string) => {
    const said = text.trim();
    for (const message of waiting) {
      const chosen = message.choices?.find((c) => c.label.trim() === said);
      states.set(message.id, chosen ? { open: false, chosenId: chosen.id } : { open: false });
    }
    waiting = [];
  };
  for (const message of transcript.messages) {
    if (message.author === 'visitor') answer(message.text);
    else if (message.choices?.length) waiting.push(message);
  }
  const next = transcript.pending[0];
  if (next) answer(next.text);
  for (const message of waiting) states.set(message.id, { open: true });
  return states;
}

/**
 * Whether a text only names the message's type, such as "[图片 Image]" (the
 * placeholder a channel gives a picture or recording without words): the
 * transcript then shows the content instead.
 */
export function isPlaceholderText(text: string): boolean {
  const t = text.trim();
  return t === '' || /^\[[^[\]\n]{1,40}\]$/.test(t);
}

/** Whether a text only names the media it comes with: placeholders ("[文件 File] invoice.pdf", "[图片 Image] [图片 Image]") and file names. */
function restates(text: string, media: readonly MediaRef[]): boolean {
  let rest = text.replace(/\[[^[\]\n]{1,40}\]/g, ' ');
  for (const name of media.map((m) => m.name).filter(Boolean)) rest = rest.split(name!).join(' ');
  return rest.trim() === '';
}

/** A URL safe to link or load: http(s), or a path on our own server; anything else (javascript:, data:) is not shown. */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** How the transcript shows a message's content, beside (or instead of) its text. */
export type MessageContent =
  | { kind: 'text' }
  | { kind: 'image'; media: MediaRef; href?: string }
  | { kind: 'voice'; media?: MediaRef; href?: string; transcript?: 'provider' | 'recognizer' }
  | { kind: 'video'; media: MediaRef; href?: string }
  | { kind: 'file'; media: MediaRef; href?: string; name?: string }
  | { kind: 'location'; latitude: number; longitude: number; label?: string }
  | { kind: 'event'; event: 'follow' | 'unfollow' | 'menu' | 'other'; name: string; key?: string }
  | { kind: 'rich'; href?: string; title?: string; description?: string };

const FOLLOW_EVENTS = new Set(['subscribe', 'follow', 'scan_follow']);
const UNFOLLOW_EVENTS = new Set(['unsubscribe', 'unfollow']);

/** The content a message carries, read from its type and fields; plain text for anything incomplete. */
export function messageContent(message: Message): MessageContent {
  const media = message.media?.[0] ?? undefined;
  const href = safeUrl(media?.url);
  switch (message.type) {
    case 'image':
    case 'sticker':
      return media ? { kind: 'image', media, ...(href ? { href } : {}) } : { kind: 'text' };
    case 'voice':
      return { kind: 'voice', ...(media ? { media } : {}), ...(href ? { href } : {}), ...(message.transcript ? { transcript: message.transcript } : {}) };
    case 'video':
      return media ? { kind: 'video', media, ...(href ? { href } : {}) } : { kind: 'text' };
    case 'file':
      return media ? { kind: 'file', media, ...(href ? { href } : {}), ...(media.name ? { name: media.name } : {}) } : { kind: 'text' };
    case 'location': {
      const l = message.location;
      return l ? { kind: 'location', latitude: l.latitude, longitude: l.longitude, ...(l.label ? { label: l.label } : {}) } : { kind: 'text' };
    }
    case 'event': {
      const e = message.event;
      if (!e) return { kind: 'text' };
      const event = FOLLOW_EVENTS.has(e.name) ? 'follow' : UNFOLLOW_EVENTS.has(e.name) ? 'unfollow' : e.name === 'click' ? 'menu' : 'other';
      return { kind: 'event', event, name: e.name, ...(e.key ? { key: e.key } : {}) };
    }
    case 'rich': {
      const link = message.link;
      const url = safeUrl(link?.url);
      return { kind: 'rich', ...(url ? { href: url } : {}), ...(link?.title ? { title: link.title } : {}), ...(link?.description ? { description: link.description } : {}) };
    }
    default:
      return { kind: 'text' };
  }
}

const MEDIA_CONTENT: Record<MediaRef['kind'], 'image' | 'voice' | 'video' | 'file'> = { image: 'image', sticker: 'image', voice: 'voice', video: 'video', file: 'file' };

/** Every content a message carries: one per picture or file (web chat sends several at once), else its one content. */
export function messageContents(message: Message): MessageContent[] {
  const media = message.media ?? [];
  if (media.length < 2 || !['image', 'sticker', 'video', 'file'].includes(message.type ?? 'text')) return [messageContent(message)];
  return media.map((ref) => messageContent({ ...message, type: MEDIA_CONTENT[ref.kind] ?? 'file', media: [ref] }));
}

/**
 * The words to show with a content, or undefined when the content says it all:
 * a placeholder beside the picture, file or note it names, a place name shown
 * with its coordinates, a link shown as a link, an event shown as a line.
 * Media that cannot be shown (no URL: only the provider's media id) keep their text.
 */
export function captionOf(message: Message, contents: MessageContent | readonly MessageContent[]): string | undefined {
  const text = message.text;
  const all = Array.isArray(contents) ? contents : [contents as MessageContent];
  const content = all[0] ?? { kind: 'text' };
  switch (content.kind) {
    case 'text': return text;
    case 'event': return undefined;
    case 'image':
    case 'video':
    case 'file': return all.every((c) => 'href' in c && c.href) && restates(text, message.media ?? []) ? undefined : text;
    case 'voice': return isPlaceholderText(text) ? undefined : text;
    case 'location': return text.trim() === content.label || isPlaceholderText(text) ? undefined : text;
    case 'rich': return content.href ? undefined : text;
  }
}

import { useEffect, useRef, useState } from 'react';
import { ApiError, type Message, type MessageChoice } from '../api';
import { formatTime, useI18n } from '../i18n';
import { MessageCardSummary, MessageCardView } from './MessageCard';
import {
  captionOf, choiceStates, messageContents, surveyAnswers, type ChoiceState, type MessageContent, type PendingMessage,
} from '../transcript';

type Perspective = 'visitor' | 'agent';

interface MessageListProps {
  /** Whose screen this is: their own messages are shown on the right. */
  perspective: Perspective;
  messages: Message[];
  pending?: PendingMessage[];
  label: string;
  emptyText: string;
  testId: string;
  /** The survey message whose stars can be clicked (visitor side only). */
  openSurveyId?: string;
  onRate?: (stars: number) => void;
  /** Sends a picked choice's label as the visitor's message (visitor side only; the agent sees the choices read-only). */
  onChoose?: (label: string) => void;
  onRetry?: (message: PendingMessage) => void;
  /** Fetches a message's media item that has no URL (agent side: a WeChat or WeCom media id, or our copy of one). */
  loadMedia?: (messageId: string, index: number) => Promise<Blob>;
}

export function MessageList(props: MessageListProps) {
  const { perspective, messages, pending = [], label, emptyText, testId, openSurveyId, onRate, onChoose, onRetry, loadMedia } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const count = messages.length + pending.length;
  const answers = surveyAnswers(messages);
  const choices = choiceStates({ messages, pending });

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [count]);

  return (
    <ol ref={listRef} className="messages" role="log" aria-label={label} data-testid={testId} tabIndex={0}>
      {count === 0 && <li className="messages-empty">{emptyText}</li>}
      {messages.map((message) => (
        <MessageItem
          key={message.id}
          message={message}
          perspective={perspective}
          surveyOpen={message.id === openSurveyId}
          surveyAnswer={answers.get(message.id)}
          onRate={onRate}
          choiceState={choices.get(message.id)}
          onChoose={onChoose}
          loadMedia={loadMedia}
        />
      ))}
      {pending.map((message) => (
        <PendingItem key={message.clientMessageId} message={message} onRetry={onRetry} />
      ))}
    </ol>
  );
}

function side(message: Message, perspective: Perspective): 'self' | 'other' | 'center' {
  // A channel event (the visitor followed the account, tapped a menu) reads as a line of its own, like a system note.
  if (message.author === 'system' || message.type === 'event') return 'center';
  return (message.author === 'visitor') === (perspective === 'visitor') ? 'self' : 'other';
}

interface MessageItemProps {
  message: Message;
  perspective: Perspective;
  surveyOpen: boolean;
  surveyAnswer?: number;
  onRate?: (stars: number) => void;
  choiceState?: ChoiceState;
  onChoose?: (label: string) => void;
  loadMedia?: (messageId: string, index: number) => Promise<Blob>;
}

function MessageItem({ message, perspective, surveyOpen, surveyAnswer, onRate, choiceState, onChoose, loadMedia }: MessageItemProps) {
  const { t, lang } = useI18n();
  const author =
    message.author === 'visitor'
      ? t(perspective === 'visitor' ? 'author.you' : 'author.visitor')
      : message.author === 'agent'
        ? message.agentName || t('author.agent')
        : t(`author.${message.author}` as const);
  const isSurvey = message.kind === 'survey';
  const choices = message.choices?.length ? message.choices : undefined;
  return (
    <li
      className={`msg msg-${message.author} msg-${side(message, perspective)}`}
      data-testid="message"
      data-author={message.author}
      data-kind={message.kind ?? 'text'}
      data-type={message.type ?? 'text'}
    >
      <div className="msg-meta">
        <span className="msg-author">{author}</span>
        <time dateTime={message.at}>{formatTime(message.at, lang)}</time>
      </div>
      <MessageBody message={message} loadMedia={loadMedia} />
      {message.card && (perspective === 'visitor' ? <MessageCardView card={message.card} onChoose={onChoose} /> : <MessageCardSummary card={message.card} />)}
      {/* A survey with choices is answered with them; the stars stay for one without. */}
      {choices && perspective === 'visitor' && onChoose && (
        <ChoiceButtons choices={choices} state={choiceState} onChoose={onChoose} />
      )}
      {choices && perspective === 'agent' && <ChoiceChips choices={choices} state={choiceState} />}
      {!choices && isSurvey && perspective === 'visitor' && onRate && (
        <SurveyStars enabled={surveyOpen} answer={surveyAnswer} onRate={onRate} />
      )}
    </li>
  );
}

function PendingItem({ message, onRetry }: { message: PendingMessage; onRetry?: (message: PendingMessage) => void }) {
  const { t, lang } = useI18n();
  return (
    <li className={`msg msg-visitor msg-self msg-${message.state}`} data-testid="message" data-author="visitor" data-pending={message.state}>
      <div className="msg-meta">
        <span className="msg-author">{t('author.you')}</span>
        <time dateTime={message.at}>{formatTime(message.at, lang)}</time>
      </div>
      <div className="msg-bubble">{message.text}</div>
      <div className="msg-state">
        {t(`message.${message.state}` as const)}
        {message.state === 'failed' && onRetry && (
          <button type="button" className="link-btn" onClick={() => onRetry(message)}>
            {t('message.retry')}
          </button>
        )}
      </div>
    </li>
  );
}

interface SurveyStarsProps {
  enabled: boolean;
  /** The rating already given, shown as filled stars. */
  answer?: number;
  onRate: (stars: number) => void;
}

function SurveyStars({ enabled, answer = 0, onRate }: SurveyStarsProps) {
  const { t } = useI18n();
  return (
    <div className="stars" role="group" aria-label={t('survey.prompt')}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          disabled={!enabled}
          className={n <= answer ? 'chosen' : undefined}
          aria-label={t('survey.star', { n })}
          data-testid={`survey-star-${n}`}
          onClick={() => onRate(n)}
        >
          ★
        </button>
      ))}
    </div>
  );
}

interface ChoicesProps {
  choices: MessageChoice[];
  state?: ChoiceState;
}

/** The visitor's answers as buttons; closed once anything answers the message, the picked one marked. */
function ChoiceButtons({ choices, state, onChoose }: ChoicesProps & { onChoose: (label: string) => void }) {
  const { t } = useI18n();
  const open = state?.open ?? true;
  return (
    <div className="choices" role="group" aria-label={t('choices.label')} data-testid="choices" data-open={open}>
      {choices.map((choice) => {
        const chosen = choice.id === state?.chosenId;
        return (
          <button
            key={choice.id}
            type="button"
            className={chosen ? 'choice chosen' : 'choice'}
            disabled={!open}
            data-testid="choice"
            data-choice-id={choice.id}
            onClick={() => onChoose(choice.label)}
          >
            {choice.label}
            {chosen && <span className="visually-hidden"> ({t('choices.chosen')})</span>}
          </button>
        );
      })}
    </div>
  );
}

/** What the visitor was offered, for the agent: not clickable, the visitor's pick marked. */
function ChoiceChips({ choices, state }: ChoicesProps) {
  const { t } = useI18n();
  return (
    <ul className="choices choice-chips" aria-label={t('choices.offered')} data-testid="choices">
      {choices.map((choice) => {
        const chosen = choice.id === state?.chosenId;
        return (
          <li key={choice.id} className={chosen ? 'choice chosen' : 'choice'} data-choice-id={choice.id}>
            {choice.label}
            {chosen && <span className="visually-hidden"> ({t('choices.chosenByVisitor')})</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** Whether a content is media only the channel has (a media id) or only a signed-in agent may read (our copy of one). */
const fetchable = (content: MessageContent) =>
  'media' in content && !content.href && Boolean(content.media?.providerMediaId || content.media?.id);

/** A message's content as the transcript shows it: its words, and what it carries (picture, recording, file, place, event, link). */
function MessageBody({ message, loadMedia }: { message: Message; loadMedia?: (messageId: string, index: number) => Promise<Blob> }) {
  const contents = messageContents(message);
  const caption = captionOf(message, contents);
  const [first] = contents;
  if (first?.kind === 'event') return <EventLine content={first} />;
  return (
    <>
      {/* The i-th content is the message's i-th media item (messageContents). */}
      {contents.map((content, i) => content.kind !== 'text' && content.kind !== 'event' && (
        <ContentView key={i} content={content} load={loadMedia && fetchable(content) ? () => loadMedia(message.id, i) : undefined} />
      ))}
      {caption !== undefined && <div className="msg-bubble">{caption}</div>}
    </>
  );
}

const THUMBNAIL = { maxWidth: 240, maxHeight: 240, display: 'block', borderRadius: 6 } as const;

function ContentView({ content, load }: { content: Exclude<MessageContent, { kind: 'text' | 'event' }>; load?: () => Promise<Blob> }) {
  const { t } = useI18n();
  const external = { target: '_blank', rel: 'noopener noreferrer' } as const;
  switch (content.kind) {
    case 'image':
      // Providers' image hosts (WeChat's mmbiz.qpic.cn) refuse requests that carry our page as referrer.
      return content.href ? (
        <a className="msg-media msg-image" href={content.href} {...external} referrerPolicy="no-referrer" title={t('content.imageOpen')} data-testid="message-image">
          <img src={content.href} alt={t('content.image')} loading="lazy" referrerPolicy="no-referrer" style={THUMBNAIL} />
        </a>
      ) : (
        <div className="msg-note" data-testid="message-image">
          {t('content.image')} · {load ? <ChannelMedia kind="image" load={load} /> : t('content.atProvider')}
        </div>
      );
    case 'voice': {
      const note = content.transcript === 'provider' ? 'content.voiceProvider' : content.transcript === 'recognizer' ? 'content.voiceRecognizer' : 'content.voiceNone';
      return (
        <div className="msg-note msg-voice" data-testid="message-voice" data-transcript={content.transcript ?? 'none'}>
          <span aria-hidden="true">🎤 </span>{t(note)}
          {content.href ? <> · <a href={content.href} {...external}>{t('content.voiceOpen')}</a></> : load && <> · <ChannelMedia kind="voice" load={load} /></>}
        </div>
      );
    }
    case 'video':
      return (
        <div className="msg-note msg-video" data-testid="message-video">
          <span aria-hidden="true">🎬 </span>
          {content.href
            ? <a href={content.href} {...external}>{t('content.videoOpen')}</a>
            : <>{t('content.video')} · {load ? <ChannelMedia kind="video" load={load} /> : t('content.atProvider')}</>}
        </div>
      );
    case 'file': {
      const name = content.name ?? t('content.file');
      const size = content.media.size !== undefined ? ` (${formatSize(content.media.size)})` : '';
      return (
        <div className="msg-note msg-file" data-testid="message-file">
          <span aria-hidden="true">📎 </span>
          {content.href
            ? <a href={content.href} download={content.name ?? true}>{t('content.download', { name })}{size}</a>
            : <>{name}{size} · {load ? <ChannelMedia kind="file" load={load} name={content.name} /> : t('content.atProvider')}</>}
        </div>
      );
    }
    case 'location':
      return (
        <div className="msg-note msg-location" data-testid="message-location">
          <span aria-hidden="true">📍 </span>
          <span className="visually-hidden">{t('content.location')}: </span>
          {content.label && <>{content.label} · </>}
          {t('content.coordinates', { lat: content.latitude.toFixed(6), lng: content.longitude.toFixed(6) })}
        </div>
      );
    case 'rich':
      return content.href ? (
        <div className="msg-note msg-link" data-testid="message-link">
          <span aria-hidden="true">🔗 </span>
          <a href={content.href} {...external}>{content.title ?? content.href}</a>
          {content.description && <div>{content.description}</div>}
        </div>
      ) : null;
  }
}

type ChannelMediaState = { status: 'idle' | 'loading' } | { status: 'ready'; url: string } | { status: 'failed'; error: string };

/**
 * Media only the channel has, or our copy of it: fetched with the agent's
 * token when they ask (a voice note, a video can be megabytes), then played,
 * shown or saved from memory.
 */
function ChannelMedia({ kind, load, name }: { kind: 'image' | 'voice' | 'video' | 'file'; load: () => Promise<Blob>; name?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<ChannelMediaState>({ status: 'idle' });
  const url = state.status === 'ready' ? state.url : undefined;
  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);

  async function fetchIt() {
    setState({ status: 'loading' });
    try {
      setState({ status: 'ready', url: URL.createObjectURL(await load()) });
    } catch (err) {
      setState({ status: 'failed', error: err instanceof ApiError && err.message ? err.message : t('content.fetchFailed') });
    }
  }

  if (url) {
    const save = <a href={url} download={name ?? true}>{t('content.save')}</a>;
    switch (kind) {
      case 'image': return <img src={url} alt={t('content.image')} style={THUMBNAIL} data-testid="channel-media" />;
      case 'voice': return <><audio controls src={url} data-testid="channel-media" /> {save}</>;
      case 'video': return <><video controls src={url} style={THUMBNAIL} data-testid="channel-media" /> {save}</>;
      case 'file': return <span data-testid="channel-media">{save}</span>;
    }
  }
  return (
    <>
      <button type="button" className="link-btn" onClick={() => void fetchIt()} disabled={state.status === 'loading'} data-testid="channel-media-fetch">
        {state.status === 'loading' ? t('content.fetching') : t('content.fetch')}
      </button>
      {state.status === 'failed' && <span role="alert"> {t('content.fetchFailed')}: {state.error}</span>}
    </>
  );
}

function EventLine({ content }: { content: Extract<MessageContent, { kind: 'event' }> }) {
  const { t } = useI18n();
  const text = content.event === 'menu'
    ? t('content.event.menu', { key: content.key ?? '' })
    : content.event === 'other' ? t('content.event.other', { name: content.name }) : t(`content.event.${content.event}`);
  return <div className="msg-event" data-testid="message-event" data-event={content.name}>{text}</div>;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

import { useEffect, useRef } from 'react';
import type { Message } from '../api';
import { formatTime, useI18n } from '../i18n';
import { surveyAnswers, type PendingMessage } from '../transcript';

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
  onRetry?: (message: PendingMessage) => void;
}

export function MessageList(props: MessageListProps) {
  const { perspective, messages, pending = [], label, emptyText, testId, openSurveyId, onRate, onRetry } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const count = messages.length + pending.length;
  const answers = surveyAnswers(messages);

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
        />
      ))}
      {pending.map((message) => (
        <PendingItem key={message.clientMessageId} message={message} onRetry={onRetry} />
      ))}
    </ol>
  );
}

function side(message: Message, perspective: Perspective): 'self' | 'other' | 'center' {
  if (message.author === 'system') return 'center';
  return (message.author === 'visitor') === (perspective === 'visitor') ? 'self' : 'other';
}

interface MessageItemProps {
  message: Message;
  perspective: Perspective;
  surveyOpen: boolean;
  surveyAnswer?: number;
  onRate?: (stars: number) => void;
}

function MessageItem({ message, perspective, surveyOpen, surveyAnswer, onRate }: MessageItemProps) {
  const { t, lang } = useI18n();
  const author =
    message.author === 'visitor'
      ? t(perspective === 'visitor' ? 'author.you' : 'author.visitor')
      : message.author === 'agent'
        ? message.agentName || t('author.agent')
        : t(`author.${message.author}` as const);
  const isSurvey = message.kind === 'survey';
  return (
    <li
      className={`msg msg-${message.author} msg-${side(message, perspective)}`}
      data-testid="message"
      data-author={message.author}
      data-kind={message.kind ?? 'text'}
    >
      <div className="msg-meta">
        <span className="msg-author">{author}</span>
        <time dateTime={message.at}>{formatTime(message.at, lang)}</time>
      </div>
      <div className="msg-bubble">{message.text}</div>
      {isSurvey && perspective === 'visitor' && onRate && (
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

import { useState, type FormEvent } from 'react';
import {
  acceptConversation,
  closeConversation,
  getConversation,
  getMessageMedia,
  requestSurvey,
  replyToConversation,
  type Conversation,
  type ConversationDetail,
} from '../api';
import { agentActions, surveyOutcome, type SurveyOutcome } from '../conversation';
import { useAction, usePolling } from '../hooks';
import { useI18n } from '../i18n';
import { Composer } from './Composer';
import { Button, Spinner } from './Button';
import { ErrorNotice } from './ErrorNotice';
import { FlowSteps } from './FlowSteps';
import { MessageList } from './MessageList';
import { StatusBadge } from './StatusBadge';

const REFRESH_MS = 2000;

interface ConversationViewProps {
  token: string;
  meId: string;
  conversationId: string;
  /** Called after an action changed the conversation, to refresh the list. */
  onChanged: () => void;
}

export function ConversationView({ token, meId, conversationId, onChanged }: ConversationViewProps) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [reply, setReply] = useState('');
  const action = useAction();
  const poll = usePolling(
    async (signal) => setDetail(await getConversation(token, conversationId, signal)),
    REFRESH_MS,
    `${token}\n${conversationId}`,
  );

  if (!detail) {
    return (
      <div className="conv-view">
        {poll.error ? (
          <ErrorNotice error={poll.error} />
        ) : (
          <p className="muted" role="status">
            <Spinner /> {t('detail.loading')}
          </p>
        )}
      </div>
    );
  }

  const { canAccept, canReply, canClose } = agentActions(detail, meId);
  const outcome = surveyOutcome(detail);

  function update(name: string, change: () => Promise<Conversation>) {
    void action.run(name, async () => {
      const updated = await change();
      setDetail((current) => current && { ...current, ...updated });
      poll.refresh();
      onChanged();
    });
  }

  function sendReply(event: FormEvent) {
    event.preventDefault();
    const text = reply.trim();
    if (!text) return;
    void action.run('reply', async () => {
      await replyToConversation(token, conversationId, text);
      setReply('');
      poll.refresh();
    });
  }

  return (
    <section className="conv-view" aria-labelledby="conv-view-title" data-testid="conversation-detail" data-status={detail.status}>
      <div className="conv-view-header">
        <div>
          <h3 id="conv-view-title">
            {t('list.visitor')} <span title={detail.visitorId}>{detail.visitorId.slice(0, 8)}</span>
          </h3>
          <div className="conv-item-row small">
            <StatusBadge status={detail.status} />
            <span>{detail.channel}</span>
            {detail.queue && (
              <span>
                {t('list.queue')} {detail.queue}
              </span>
            )}
            {detail.priority != null && (
              <span>
                {t('list.priority')} {detail.priority}
              </span>
            )}
          </div>
        </div>
        <div className="actions">
          {canAccept && (
            <Button
              variant="primary"
              data-testid="agent-accept"
              busy={action.busy === 'accept'}
              disabled={action.busy !== null}
              onClick={() => update('accept', () => acceptConversation(token, conversationId))}
            >
              {t('detail.accept')}
            </Button>
          )}
          {canClose && !outcome && (
            <Button
              data-testid="agent-ask-rating"
              busy={action.busy === 'survey'}
              disabled={action.busy !== null}
              onClick={() => update('survey', () => requestSurvey(token, conversationId))}
            >
              {t('detail.askRating')}
            </Button>
          )}
          {canClose && (
            <Button
              variant="danger"
              data-testid="agent-close"
              busy={action.busy === 'close'}
              disabled={action.busy !== null}
              onClick={() => update('close', () => closeConversation(token, conversationId))}
            >
              {t('detail.close')}
            </Button>
          )}
        </div>
      </div>
      {outcome && <Rating outcome={outcome} />}
      <ErrorNotice error={action.error} onDismiss={() => action.setError(null)} />
      <ErrorNotice error={poll.error} />
      <MessageList
        perspective="agent"
        messages={detail.messages}
        label={t('detail.timeline')}
        emptyText={t('detail.empty')}
        testId="agent-transcript"
        loadMedia={(messageId, index) => getMessageMedia(token, conversationId, messageId, index)}
      />
      <FlowSteps detail={detail} />
      {canReply && (
        <Composer
          id="agent-reply"
          testId="agent-reply"
          label={t('detail.reply')}
          placeholder={t('detail.replyPlaceholder')}
          sendLabel={t('detail.send')}
          value={reply}
          onChange={setReply}
          onSubmit={sendReply}
          busy={action.busy === 'reply'}
          disabled={action.busy !== null}
        />
      )}
    </section>
  );
}

function Rating({ outcome }: { outcome: SurveyOutcome }) {
  const { t } = useI18n();
  let text: string;
  if (outcome.kind === 'rated') {
    const stars = Math.min(5, Math.max(0, Math.round(outcome.rating)));
    text = `${'★'.repeat(stars)}${'☆'.repeat(5 - stars)} ${outcome.rating}/5`;
  } else {
    text = t(outcome.kind === 'waiting' ? 'detail.ratingWaiting' : outcome.kind === 'timeout' ? 'detail.ratingTimeout' : 'detail.ratingNone');
  }
  return (
    <p className="rating" data-testid="conversation-rating" data-rating={outcome.kind === 'rated' ? outcome.rating : undefined}>
      <span className="rating-label">{t('detail.rating')}</span> {text}
    </p>
  );
}

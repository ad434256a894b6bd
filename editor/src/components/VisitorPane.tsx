import { useState, type FormEvent } from 'react';
import { useStoredState } from '../hooks';
import { useI18n } from '../i18n';
import { randomId } from '../ids';
import { openSurveyId } from '../transcript';
import { useVisitorChat, type StreamState } from '../useVisitorChat';
import { Composer } from './Composer';
import { Button } from './Button';
import { ErrorNotice } from './ErrorNotice';
import { MessageList } from './MessageList';

const DEFAULT_INBOX = 'demo-webchat';

function initialInbox(): string {
  return new URLSearchParams(window.location.search).get('inbox')?.trim() || DEFAULT_INBOX;
}

export function VisitorPane() {
  const { t } = useI18n();
  const [inboxId, setInboxId] = useState(initialInbox);
  const [inboxDraft, setInboxDraft] = useState(inboxId);
  const [visitorId, setVisitorId] = useStoredState('huiliu.visitorId', randomId);
  const nextInbox = inboxDraft.trim();

  function switchInbox(event: FormEvent) {
    event.preventDefault();
    if (!nextInbox) return;
    setInboxId(nextInbox);
    const url = new URL(window.location.href);
    url.searchParams.set('inbox', nextInbox);
    window.history.replaceState(null, '', url);
  }

  return (
    <section className="pane" aria-labelledby="visitor-title" data-testid="visitor-pane">
      <header className="pane-header">
        <span className="pane-icon pane-icon-visitor" aria-hidden="true" />
        <h2 id="visitor-title">{t('visitor.title')}</h2>
      </header>
      <div className="pane-toolbar">
        <form className="field" onSubmit={switchInbox}>
          <label htmlFor="visitor-inbox">{t('visitor.inbox')}</label>
          <div className="field-row">
            <input
              id="visitor-inbox"
              data-testid="visitor-inbox"
              value={inboxDraft}
              onChange={(event) => setInboxDraft(event.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <Button type="submit" disabled={!nextInbox || nextInbox === inboxId}>
              {t('visitor.useInbox')}
            </Button>
          </div>
        </form>
        <div className="field">
          <span className="field-label" id="visitor-id-label">
            {t('visitor.id')}
          </span>
          <div className="field-row">
            <code className="id-chip" aria-labelledby="visitor-id-label" title={visitorId} data-testid="visitor-id">
              {visitorId}
            </code>
            <Button data-testid="visitor-new" onClick={() => setVisitorId(randomId())}>
              {t('visitor.new')}
            </Button>
          </div>
        </div>
      </div>
      <VisitorChat key={`${inboxId}\n${visitorId}`} inboxId={inboxId} visitorId={visitorId} />
    </section>
  );
}

function VisitorChat({ inboxId, visitorId }: { inboxId: string; visitorId: string }) {
  const { t } = useI18n();
  const chat = useVisitorChat(inboxId, visitorId);
  const [draft, setDraft] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    void chat.send(text);
  }

  return (
    <div className="chat">
      <StreamIndicator state={chat.stream} onReconnect={chat.reconnect} />
      <MessageList
        perspective="visitor"
        messages={chat.transcript.messages}
        pending={chat.transcript.pending}
        label={t('visitor.transcript')}
        emptyText={t('visitor.empty')}
        testId="visitor-transcript"
        openSurveyId={openSurveyId(chat.transcript)}
        onRate={(stars) => void chat.send(String(stars))}
        onChoose={(label) => void chat.send(label)}
        onRetry={(message) => void chat.send(message.text, message.clientMessageId)}
      />
      <ErrorNotice error={chat.error} onDismiss={chat.dismissError} />
      <Composer
        id="visitor-message"
        testId="visitor"
        label={t('visitor.message')}
        placeholder={t('visitor.placeholder')}
        sendLabel={t('visitor.send')}
        value={draft}
        onChange={setDraft}
        onSubmit={submit}
      />
    </div>
  );
}

function StreamIndicator({ state, onReconnect }: { state: StreamState; onReconnect: () => void }) {
  const { t } = useI18n();
  return (
    <div className={`stream stream-${state}`} role="status" data-testid="visitor-stream" data-state={state}>
      <span className="stream-dot" aria-hidden="true" />
      {t(`stream.${state}` as const)}
      {state === 'closed' && (
        <button type="button" className="link-btn" onClick={onReconnect}>
          {t('stream.reconnect')}
        </button>
      )}
    </div>
  );
}

// The chat panel's page: header, transcript (the console's MessageList, so
// choices and surveys look and work the same), the agent's typing, and a
// composer that also sends images and files.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Button } from '../src/components/Button';
import { ErrorNotice } from '../src/components/ErrorNotice';
import { MessageList } from '../src/components/MessageList';
import { I18nContext, translate, useI18n, type I18n } from '../src/i18n';
import { openSurveyId } from '../src/transcript';
import { acceptList } from './files';
import type { Identity, WidgetLang } from './protocol';
import { useWidgetChat } from './useWidgetChat';
import { visitorView } from './visitor-view';

export interface WidgetAppProps {
  inboxId: string;
  lang: WidgetLang;
  anonymousId: string;
  identity: Identity | null;
  /** Shown in the site's panel (not opened on its own): it has a close button. */
  embedded: boolean;
  open: boolean;
  onClose: () => void;
  onActive: () => void;
  onUnread: (count: number) => void;
}

export function WidgetApp(props: WidgetAppProps) {
  const i18n = useMemo<I18n>(() => ({ lang: props.lang, setLang: () => undefined, t: (key, params) => translate(props.lang, key, params) }), [props.lang]);
  useEffect(() => {
    document.documentElement.lang = props.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(props.lang, 'widget.title');
  }, [props.lang]);
  return (
    <I18nContext value={i18n}>
      <WidgetChat {...props} />
    </I18nContext>
  );
}

function WidgetChat({ inboxId, anonymousId, identity, embedded, open, onClose, onActive, onUnread }: WidgetAppProps) {
  const { t } = useI18n();
  const chat = useWidgetChat({ inboxId, anonymousId, identity, onActive });
  const [draft, setDraft] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const unread = useUnread(inboxId, chat.session?.visitorId, chat.transcript.messages, open);
  const messages = useMemo(() => chat.transcript.messages.map(visitorView), [chat.transcript.messages]);

  useEffect(() => onUnread(unread), [unread, onUnread]);
  useEffect(() => { if (open) input.current?.focus({ preventScroll: true }); }, [open]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    chat.send(text);
  }

  if (chat.unavailable) {
    return (
      <div className="widget" data-testid="widget">
        <WidgetHeader embedded={embedded} onClose={onClose} />
        <p className="widget-unavailable" data-testid="widget-unavailable">{t('widget.unavailable')}</p>
      </div>
    );
  }

  const problem = chat.fileProblem;
  return (
    <div className="widget" data-testid="widget" onKeyDown={(event) => { if (event.key === 'Escape' && embedded) onClose(); }}>
      <WidgetHeader embedded={embedded} onClose={onClose} state={chat.stream} />
      <MessageList
        perspective="visitor"
        messages={messages}
        pending={chat.transcript.pending}
        label={t('widget.transcript')}
        emptyText={t('widget.empty')}
        testId="widget-transcript"
        openSurveyId={openSurveyId(chat.transcript)}
        onRate={(stars) => chat.send(String(stars))}
        onChoose={(label) => chat.send(label)}
        onRetry={chat.retry}
      />
      {chat.agentTyping && (
        <div className="widget-typing" role="status" data-testid="widget-typing">
          <span className="widget-typing-dots" aria-hidden="true"><i /><i /><i /></span>
          {t('widget.typing')}
        </div>
      )}
      {problem && (
        <div className="notice notice-error" role="alert" data-testid="widget-file-problem">
          <span className="notice-text">
            {problem.check.problem === 'type'
              ? t('widget.badType', { name: problem.name })
              : t(problem.check.kind === 'image' ? 'widget.imageTooLarge' : 'widget.fileTooLarge', { name: problem.name, max: problem.check.maxMb, size: problem.check.sizeMb })}
          </span>
          <button type="button" className="icon-btn" onClick={chat.dismissError} aria-label={t('error.dismiss')}>×</button>
        </div>
      )}
      <ErrorNotice error={chat.error} onDismiss={chat.dismissError} />
      <form className="composer widget-composer" onSubmit={submit}>
        <input
          ref={fileInput}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          multiple
          accept={chat.session ? acceptList(chat.session.uploads) : undefined}
          data-testid="widget-file"
          onChange={(event) => {
            chat.sendFiles(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        <button
          type="button"
          className="icon-btn widget-attach"
          aria-label={t('widget.attach')}
          title={t('widget.attach')}
          data-testid="widget-attach"
          disabled={!chat.session}
          onClick={() => fileInput.current?.click()}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
            <path d="m21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
          </svg>
        </button>
        <label htmlFor="widget-input" className="visually-hidden">{t('widget.message')}</label>
        <input
          ref={input}
          id="widget-input"
          data-testid="widget-input"
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            if (event.target.value.trim()) chat.noteTyping();
          }}
          placeholder={t('widget.placeholder')}
          autoComplete="off"
          enterKeyHint="send"
        />
        <Button type="submit" variant="primary" data-testid="widget-send" disabled={!draft.trim()}>
          {t('widget.send')}
        </Button>
      </form>
    </div>
  );
}

function WidgetHeader({ embedded, onClose, state }: { embedded: boolean; onClose: () => void; state?: 'connecting' | 'open' | 'closed' }) {
  const { t } = useI18n();
  return (
    <header className="widget-header">
      <div className="widget-heading">
        <h1>{t('widget.title')}</h1>
        {state && (
          <span className={`widget-status stream-${state}`} role="status" data-testid="widget-stream" data-state={state}>
            <span className="stream-dot" aria-hidden="true" />
            {t(`widget.status.${state}` as const)}
          </span>
        )}
      </div>
      {embedded && (
        <button type="button" className="icon-btn widget-close" aria-label={t('widget.close')} title={t('widget.close')} data-testid="widget-close" onClick={onClose}>
          ×
        </button>
      )}
    </header>
  );
}

/**
 * Replies the visitor has not seen: those after the newest message shown while
 * the panel was open, remembered per visitor (message times are the server's,
 * so no clock is compared with another).
 */
function useUnread(inboxId: string, visitorId: string | undefined, messages: readonly { author: string; at: string }[], open: boolean): number {
  const key = visitorId ? `huiliu.widget.${inboxId}.${visitorId}.seenAt` : undefined;
  const newest = messages.at(-1)?.at;
  useEffect(() => {
    if (!key || !open || !newest) return;
    try { localStorage.setItem(key, newest); } catch { /* storage off: counts restart with the page */ }
  }, [key, open, newest]);
  if (!key || open) return 0;
  let seenAt = '';
  try { seenAt = localStorage.getItem(key) ?? ''; } catch { /* as above */ }
  return messages.filter((m) => m.author !== 'visitor' && m.at > seenAt).length;
}

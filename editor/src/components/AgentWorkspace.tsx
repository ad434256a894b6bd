import { useState } from 'react';
import { ApiError, getMe, listConversations, setMyStatus, type Conversation, type Me } from '../api';
import { useAction, usePolling } from '../hooks';
import { useI18n } from '../i18n';
import { Button, Spinner } from './Button';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { ErrorNotice } from './ErrorNotice';

const REFRESH_MS = 2000;

interface AgentWorkspaceProps {
  token: string;
  /** Null until the first /me answer after a reload. */
  me: Me | null;
  onMe: (me: Me) => void;
  onSignOut: (reason?: unknown) => void;
}

export function AgentWorkspace({ token, me, onMe, onSignOut }: AgentWorkspaceProps) {
  const { t } = useI18n();
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const statusAction = useAction();

  const poll = usePolling(
    async (signal) => {
      try {
        const [current, list] = await Promise.all([getMe(token, signal), listConversations(token, signal)]);
        onMe(current);
        setConversations(list.conversations);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) onSignOut(error);
        throw error;
      }
    },
    REFRESH_MS,
    token,
  );

  if (!me) {
    return (
      <div className="workspace-loading">
        {poll.error ? (
          <ErrorNotice error={poll.error} />
        ) : (
          <p role="status">
            <Spinner /> {t('agent.loading')}
          </p>
        )}
        <Button onClick={() => onSignOut()}>{t('agent.signOut')}</Button>
      </div>
    );
  }

  const online = me.status === 'online';
  function toggleStatus() {
    void statusAction.run('status', async () => {
      onMe(await setMyStatus(token, online ? 'offline' : 'online'));
      poll.refresh();
    });
  }

  return (
    <div className="workspace">
      <div className="agent-bar">
        <div className="agent-identity">
          <span className="avatar" aria-hidden="true">
            {me.name.slice(0, 1).toUpperCase()}
          </span>
          <div>
            <div className="agent-name" data-testid="agent-name">
              {me.name} <span className="badge">{t(`agent.role.${me.role}` as const)}</span>
            </div>
            <div className="muted small">{t('agent.load', { busy: me.capacity - me.free, capacity: me.capacity })}</div>
          </div>
        </div>
        <div className="agent-controls">
          <span id="agent-status-label" className="muted small">
            {t('agent.status')}
          </span>
          <button
            type="button"
            role="switch"
            className="switch"
            aria-checked={online}
            aria-labelledby="agent-status-label"
            aria-busy={statusAction.busy !== null || undefined}
            disabled={statusAction.busy !== null}
            data-testid="agent-status"
            data-status={me.status}
            onClick={toggleStatus}
          >
            <span className="switch-track" aria-hidden="true">
              <span className="switch-thumb" />
            </span>
            <span className={online ? 'switch-text online' : 'switch-text'}>
              {online ? t('agent.online') : t('agent.offline')}
            </span>
            {statusAction.busy && <Spinner />}
          </button>
          <Button onClick={() => onSignOut()}>{t('agent.signOut')}</Button>
        </div>
      </div>
      <ErrorNotice error={statusAction.error} onDismiss={() => statusAction.setError(null)} />
      <ErrorNotice error={poll.error} />
      <div className="workspace-body">
        <ConversationList conversations={conversations} selectedId={selectedId} meId={me.id} onSelect={setSelectedId} />
        {selectedId ? (
          <ConversationView
            key={selectedId}
            token={token}
            meId={me.id}
            conversationId={selectedId}
            onChanged={poll.refresh}
          />
        ) : (
          <p className="placeholder">{t('detail.placeholder')}</p>
        )}
      </div>
    </div>
  );
}

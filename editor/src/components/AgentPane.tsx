import { useCallback, useState, type FormEvent } from 'react';
import { getMe, type Me } from '../api';
import { useAction, useStoredState } from '../hooks';
import { useI18n } from '../i18n';
import { AgentWorkspace } from './AgentWorkspace';
import { Button } from './Button';
import { ErrorNotice } from './ErrorNotice';

export function AgentPane() {
  const { t } = useI18n();
  const [token, setToken] = useStoredState('huiliu.agentToken', () => '');
  const [me, setMe] = useState<Me | null>(null);
  const [signOutReason, setSignOutReason] = useState<unknown>(null);

  const signIn = useCallback(
    (nextToken: string, nextMe: Me) => {
      setToken(nextToken);
      setMe(nextMe);
      setSignOutReason(null);
    },
    [setToken],
  );
  const signOut = useCallback(
    (reason: unknown = null) => {
      setToken('');
      setMe(null);
      setSignOutReason(reason);
    },
    [setToken],
  );

  return (
    <section className="pane pane-agent" aria-labelledby="agent-title" data-testid="agent-pane">
      <header className="pane-header">
        <span className="pane-icon pane-icon-agent" aria-hidden="true" />
        <h2 id="agent-title">{t('agent.title')}</h2>
      </header>
      {token ? (
        <AgentWorkspace token={token} me={me} onMe={setMe} onSignOut={signOut} />
      ) : (
        <SignInForm reason={signOutReason} onSignedIn={signIn} />
      )}
    </section>
  );
}

function SignInForm({ reason, onSignedIn }: { reason: unknown; onSignedIn: (token: string, me: Me) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const action = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    const token = draft.trim();
    if (!token) return;
    void action.run('signIn', async () => onSignedIn(token, await getMe(token)));
  }

  return (
    <form className="sign-in" onSubmit={submit}>
      <label htmlFor="agent-token">{t('agent.token')}</label>
      <p className="hint" id="agent-token-hint">
        {t('agent.tokenHint')}
      </p>
      <div className="field-row">
        <input
          id="agent-token"
          data-testid="agent-token"
          type="password"
          aria-describedby="agent-token-hint"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" data-testid="agent-sign-in" busy={action.busy !== null} disabled={!draft.trim()}>
          {t('agent.signIn')}
        </Button>
      </div>
      <ErrorNotice error={action.error ?? reason} />
    </form>
  );
}

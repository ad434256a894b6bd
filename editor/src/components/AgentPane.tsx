import { useCallback, useState } from 'react';
import type { Me } from '../api';
import { useStoredState } from '../hooks';
import { useI18n } from '../i18n';
import { AgentWorkspace } from './AgentWorkspace';
import { TokenSignIn } from './TokenSignIn';

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
        <TokenSignIn idPrefix="agent" label={t('agent.token')} hint={t('agent.tokenHint')} className="sign-in" reason={signOutReason} onSignedIn={signIn} />
      )}
    </section>
  );
}

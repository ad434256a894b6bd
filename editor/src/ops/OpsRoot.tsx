// The operators' part of the console: sign in with a token (the same one the
// flow editor keeps, so one sign-in serves both), then the stuck list or one
// conversation.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, getMe, type Me } from '../api';
import { TokenSignIn } from '../components/TokenSignIn';
import { useStoredState } from '../hooks';
import { useI18n } from '../i18n';
import { TOKEN_KEY } from '../flows/api';
import { opsApi } from './api';
import { ConversationPage } from './ConversationPage';
import { OpsShell } from './OpsShell';
import { StuckListPage } from './StuckListPage';
import './ops.css';

export type OpsRoute = { page: 'ops' } | { page: 'ops-conversation'; workflowId: string };

export default function OpsRoot({ route }: { route: OpsRoute }) {
  const { t } = useI18n();
  const [token, setToken] = useStoredState(TOKEN_KEY, () => '');
  const [me, setMe] = useState<Me | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const api = useMemo(() => opsApi(token), [token]);

  const signOut = useCallback((reason: unknown = null) => {
    setToken('');
    setMe(null);
    setFailure(reason);
  }, [setToken]);

  // Who is signed in, for the header; the pages check the role with their own requests.
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    getMe(token, controller.signal).then(setMe, (error: unknown) => {
      if (!controller.signal.aborted && error instanceof ApiError && error.status === 401) signOut(error);
    });
    return () => controller.abort();
  }, [token, signOut]);

  if (!token) {
    return (
      <OpsShell me={null} onSignOut={() => signOut()}>
        <TokenSignIn
          idPrefix="ops"
          label={t('ops.signIn.token')}
          hint={t('ops.signIn.hint')}
          className="flows-sign-in card"
          reason={failure}
          onSignedIn={(nextToken, nextMe) => { setFailure(null); setMe(nextMe); setToken(nextToken); }}
        >
          <h2>{t('ops.signIn.title')}</h2>
          <p className="muted">{t('ops.signIn.intro')}</p>
        </TokenSignIn>
      </OpsShell>
    );
  }
  return (
    <OpsShell me={me} onSignOut={() => signOut()}>
      {route.page === 'ops-conversation' ? (
        <ConversationPage key={route.workflowId} api={api} workflowId={route.workflowId} onUnauthorized={signOut} />
      ) : (
        <StuckListPage key={token} api={api} onUnauthorized={signOut} />
      )}
    </OpsShell>
  );
}

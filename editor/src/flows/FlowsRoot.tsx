// The analysts' part of the console: sign in with a token (remembered like
// the agent view's), then the flow list or one flow's editor.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, type Me } from '../api';
import { Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useStoredState } from '../hooks';
import type { Route } from '../router';
import { flowsApi, TOKEN_KEY } from './api';
import { FlowEditorPage } from './FlowEditorPage';
import { FlowList } from './FlowList';
import { FlowsShell } from './FlowsShell';
import { SignIn } from './SignIn';

export default function FlowsRoot({ route }: { route: Exclude<Route, { page: 'demo' }> }) {
  const [token, setToken] = useStoredState(TOKEN_KEY, () => '');
  const [me, setMe] = useState<Me | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const api = useMemo(() => flowsApi(token), [token]);

  // The editor checks the token with its own requests, so it does not wait for /me.
  const needsMe = route.page === 'flows';
  useEffect(() => {
    if (!token || !needsMe) return;
    const controller = new AbortController();
    api.me(controller.signal).then(setMe, (error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) setToken('');
      setFailure(error);
    });
    return () => controller.abort();
  }, [api, token, needsMe, setToken]);

  const signOut = useCallback((reason: unknown = null) => {
    setToken('');
    setMe(null);
    setFailure(reason);
  }, [setToken]);

  if (!token) {
    return (
      <FlowsShell me={null} onSignOut={() => signOut()}>
        <SignIn reason={failure} onSignedIn={(nextToken, nextMe) => { setFailure(null); setMe(nextMe); setToken(nextToken); }} />
      </FlowsShell>
    );
  }
  if (route.page === 'flow') return <FlowEditorPage key={route.flowId} api={api} flowId={route.flowId} onUnauthorized={signOut} />;
  if (!me) {
    return (
      <FlowsShell me={null} onSignOut={() => signOut()}>
        {failure ? <ErrorNotice error={failure} /> : <div className="page-loading" role="status"><Spinner /></div>}
      </FlowsShell>
    );
  }
  return (
    <FlowsShell me={me} onSignOut={() => signOut()}>
      <FlowList api={api} />
    </FlowsShell>
  );
}

// One conversation's container: GET /conversations/{id}, the actions' POSTs,
// and a reload after each.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import type { ActionResult, ConversationOps, OpsAction, OpsApi } from './api';
import { Loading, OpsError } from './common';
import { ConversationView, type ActionRequest } from './ConversationView';
import { listPath } from './StuckListPage';

interface ConversationPageProps {
  api: OpsApi;
  workflowId: string;
  onUnauthorized: (reason: unknown) => void;
}

export function ConversationPage({ api, workflowId, onUnauthorized }: ConversationPageProps) {
  const { t } = useI18n();
  const [conversation, setConversation] = useState<ConversationOps | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api.conversation(workflowId, controller.signal).then(
      (answer) => {
        setConversation(answer);
        setError(null);
        setLoading(false);
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        if (caught instanceof ApiError && caught.status === 401) onUnauthorized(caught);
        setError(caught);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [api, workflowId, round, onUnauthorized]);

  const reload = useCallback(() => setRound((n) => n + 1), []);

  const onAction = useCallback(async (request: ActionRequest) => {
    setBusy(true);
    try {
      const act = api.act as (id: string, action: OpsAction, body: ActionRequest['body']) => Promise<ActionResult>;
      const answer = await act(workflowId, request.action, request.body);
      setResult(answer);
      reload();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) onUnauthorized(caught);
      throw caught;
    } finally {
      setBusy(false);
    }
  }, [api, workflowId, reload, onUnauthorized]);

  const back = listPath();
  return (
    <>
      <nav className="ops-breadcrumb">
        <a href={back} onClick={(event) => { if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) { event.preventDefault(); navigate(back); } }}>
          {t('ops.conv.back')}
        </a>
      </nav>
      {conversation ? (
        <>
          {error !== null && <OpsError error={error} />}
          <ConversationView conversation={conversation} busy={busy} result={result} onAction={onAction} onReload={reload} reloading={loading} />
        </>
      ) : error !== null ? (
        <OpsError error={error} />
      ) : (
        <Loading />
      )}
    </>
  );
}

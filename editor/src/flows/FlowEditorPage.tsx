// Loads what the canvas needs (the flow and the node types), then shows the
// editor; the rest (facts, inboxes, validation, versions) follows in the
// editor, so a big flow is on screen sooner.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';
import { followLink } from '../router';
import type { FlowsApi } from './api';
import { FlowEditor, type EditorData } from './FlowEditor';
import { makeCatalog } from './graph';
import { takePrefetched } from './prefetch';

export function FlowEditorPage({ api, flowId, onUnauthorized }: { api: FlowsApi; flowId: string; onUnauthorized: (error: ApiError) => void }) {
  const { t } = useI18n();
  const [data, setData] = useState<EditorData | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    (takePrefetched(flowId, api.token) ?? Promise.all([api.get(flowId, signal), api.nodeTypes(signal)])).then(([detail, nodeTypes]) => {
      if (!signal.aborted) setData({ detail, catalog: makeCatalog(nodeTypes) });
    }, (e: unknown) => {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 401) onUnauthorized(e);
      else setError(e);
    });
    return () => controller.abort();
  }, [api, flowId, onUnauthorized]);

  useEffect(() => {
    if (data) document.title = `${data.detail.name} · ${t('app.name')}`;
  }, [data, t]);

  if (error) {
    return (
      <div className="flows-page">
        <a href="/flows" onClick={followLink} className="back-link">← {t('flows.list.title')}</a>
        <ErrorNotice error={error} />
      </div>
    );
  }
  if (!data) {
    return <div className="page-loading" role="status" aria-label={t('flows.loading')}><Spinner /></div>;
  }
  return (
    <ReactFlowProvider>
      <FlowEditor api={api} data={data} />
    </ReactFlowProvider>
  );
}

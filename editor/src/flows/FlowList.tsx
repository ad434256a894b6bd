// Every flow with the inboxes that run it, whether its draft has unpublished
// changes, and its live version (who published it, when); create a new one.
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n } from '../i18n';
import { followLink, navigate } from '../router';
import type { FlowSummary, FlowsApi, FlowVersion } from './api';
import { formatDateTime } from './format';

/** What the list learns per flow after the list itself: its live version and whether the draft differs. */
interface FlowStatus {
  live: FlowVersion | null;
  draft: 'new' | 'changed' | 'same' | 'unknown';
}

async function statusOf(api: FlowsApi, flow: FlowSummary, signal: AbortSignal): Promise<FlowStatus> {
  if (flow.publishedVersion === 0) return { live: null, draft: 'new' };
  const [versions, diff] = await Promise.all([
    api.versions(flow.id, signal),
    api.diff(flow.id, flow.publishedVersion, 'draft', signal).catch(() => null), // an unreadable draft cannot be compared
  ]);
  const live = versions.find((v) => v.version === flow.publishedVersion) ?? null;
  if (!diff) return { live, draft: 'unknown' };
  const { nodes, edges } = diff.diff;
  const changed = [nodes.added, nodes.removed, nodes.changed, nodes.moved, edges.added, edges.removed, edges.changed].some((list) => list.length > 0);
  return { live, draft: changed ? 'changed' : 'same' };
}

export function FlowList({ api }: { api: FlowsApi }) {
  const { t } = useI18n();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [status, setStatus] = useState<Record<string, FlowStatus>>({});
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    api.list(signal).then((list) => {
      setFlows(list);
      for (const flow of list) {
        statusOf(api, flow, signal).then((s) => setStatus((prev) => ({ ...prev, [flow.id]: s })), () => undefined);
      }
    }, (error: unknown) => { if (!signal.aborted) setLoadError(error); });
    return () => controller.abort();
  }, [api]);

  return (
    <div className="flow-list-page">
      <div className="flow-list-head">
        <div>
          <h2>{t('flows.list.title')}</h2>
          <p className="muted">{t('flows.list.intro')}</p>
        </div>
        <NewFlowForm api={api} />
      </div>
      <ErrorNotice error={loadError} />
      {flows === null && !loadError && <div className="page-loading" role="status"><Spinner /></div>}
      {flows && (
        <table className="flow-table" data-testid="flow-list">
          <thead>
            <tr>
              <th scope="col">{t('flows.list.name')}</th>
              <th scope="col">{t('flows.list.inboxes')}</th>
              <th scope="col">{t('flows.list.draft')}</th>
              <th scope="col">{t('flows.list.published')}</th>
              <th scope="col">{t('flows.list.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {flows.length === 0 && (
              <tr><td colSpan={5} className="muted">{t('flows.list.empty')}</td></tr>
            )}
            {flows.map((flow) => <FlowRow key={flow.id} flow={flow} status={status[flow.id]} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}

function FlowRow({ flow, status }: { flow: FlowSummary; status: FlowStatus | undefined }) {
  const { lang, t } = useI18n();
  const href = `/flows/${encodeURIComponent(flow.id)}`;
  return (
    <tr data-testid="flow-row" data-flow-id={flow.id} onClick={(e) => { if (!(e.target instanceof HTMLAnchorElement)) navigate(href); }}>
      <td>
        <a href={href} onClick={followLink} className="flow-link">{flow.name}</a>
        {flow.description && <div className="muted small">{flow.description}</div>}
      </td>
      <td>{flow.inboxes.length ? flow.inboxes.map((i) => <code key={i} className="chip">{i}</code>) : <span className="muted">—</span>}</td>
      <td>
        {status ? (
          <span className={`draft-status draft-${status.draft}`} data-testid="draft-status" data-status={status.draft}>
            {t(`flows.list.draft.${status.draft}`)}
          </span>
        ) : <Spinner />}
      </td>
      <td>
        {flow.publishedVersion ? (
          <>
            <strong>v{flow.publishedVersion}</strong>
            {status?.live && (
              <div className="muted small">
                {status.live.publishedBy ?? '—'}{status.live.publishedAt && ` · ${formatDateTime(status.live.publishedAt, lang)}`}
              </div>
            )}
          </>
        ) : <span className="muted">{t('flows.header.unpublished')}</span>}
      </td>
      <td className="muted small">{flow.updatedAt ? formatDateTime(flow.updatedAt, lang) : '—'}</td>
    </tr>
  );
}

/** A new flow drawn from nothing: the analyst adds the start node from the palette. */
const EMPTY_FLOW = { schemaVersion: 1, nodes: [], edges: [] };

function NewFlowForm({ api }: { api: FlowsApi }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<'empty' | 'default'>('empty');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    void action.run('create', async () => {
      const created = await api.create(name.trim(), template === 'empty' ? EMPTY_FLOW : undefined);
      navigate(`/flows/${encodeURIComponent(created.id)}`);
    });
  };
  return (
    <form className="new-flow" onSubmit={submit}>
      <label htmlFor="flow-new-name" className="visually-hidden">{t('flows.list.newName')}</label>
      <input id="flow-new-name" data-testid="flow-new-name" placeholder={t('flows.list.newName')} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="flow-new-template" className="visually-hidden">{t('flows.list.template')}</label>
      <select id="flow-new-template" data-testid="flow-new-template" value={template} onChange={(e) => setTemplate(e.target.value as 'empty' | 'default')}>
        <option value="empty">{t('flows.list.templateEmpty')}</option>
        <option value="default">{t('flows.list.templateDefault')}</option>
      </select>
      <Button type="submit" variant="primary" data-testid="flow-new" busy={action.busy !== null} disabled={!name.trim()}>
        {t('flows.list.new')}
      </Button>
      <ErrorNotice error={action.error} onDismiss={() => action.setError(null)} />
    </form>
  );
}

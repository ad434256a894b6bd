// Every flow with the inboxes that run it, whether its draft has unpublished
// changes, and its live version (who published it, when), all from one
// GET /flows; create a new one.
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n } from '../i18n';
import { followLink, navigate } from '../router';
import type { FlowListEntry, FlowsApi } from './api';
import { formatDateTime } from './format';

export function FlowList({ api }: { api: FlowsApi }) {
  const { t } = useI18n();
  const [flows, setFlows] = useState<FlowListEntry[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    api.list(signal).then(setFlows, (error: unknown) => { if (!signal.aborted) setLoadError(error); });
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
            {flows.map((flow) => <FlowRow key={flow.id} flow={flow} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}

function FlowRow({ flow }: { flow: FlowListEntry }) {
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
        <span className={`draft-status draft-${flow.draftStatus}`} data-testid="draft-status" data-status={flow.draftStatus}>
          {t(`flows.list.draft.${flow.draftStatus}`)}
        </span>
      </td>
      <td>
        {flow.publishedVersion ? (
          <>
            <strong>v{flow.publishedVersion}</strong>
            {flow.live && (
              <div className="muted small">
                {flow.live.publishedBy ?? '—'}{flow.live.publishedAt && ` · ${formatDateTime(flow.live.publishedAt, lang)}`}
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

// Published versions: who published what and why, what changed between any
// two (or a version and the draft), and rollback to an old one.
import { useEffect, useState } from 'react';
import { Button, Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import type { FlowDiff, FlowVersion, FlowsApi, VersionRef } from './api';
import { MessageDialog } from './MessageDialog';
import { formatDateTime } from './format';

interface VersionsPanelProps {
  api: FlowsApi;
  flowId: string;
  versions: FlowVersion[] | null;
  publishedVersion: number;
  diff: ShownDiff | null;
  onDiff: (diff: ShownDiff | null) => void;
  onRolledBack: (version: FlowVersion) => void;
  /** Flushes unsaved changes first, so "the draft" is what the canvas shows. */
  flush: () => Promise<void>;
}

export interface ShownDiff {
  from: VersionRef;
  to: VersionRef;
  diff: FlowDiff;
}

export function VersionsPanel({ api, flowId, versions, publishedVersion, diff, onDiff, onRolledBack, flush }: VersionsPanelProps) {
  const { lang, t } = useI18n();
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('draft');
  const [rollbackOf, setRollbackOf] = useState<number | null>(null);
  const compare = useAction();
  const rollback = useAction();

  // Default comparison: the published version against the draft.
  useEffect(() => {
    if (!from && publishedVersion > 0) setFrom(String(publishedVersion));
  }, [from, publishedVersion]);

  const ref = (value: string): VersionRef => (value === 'draft' ? 'draft' : Number(value));
  const runDiff = (a: VersionRef, b: VersionRef) =>
    void compare.run('diff', async () => {
      if (a === 'draft' || b === 'draft') await flush();
      onDiff(await api.diff(flowId, a, b));
    });

  const confirmRollback = (message: string) =>
    void rollback.run('rollback', async () => {
      const published = await api.rollback(flowId, rollbackOf!, message);
      setRollbackOf(null);
      onRolledBack(published);
    });

  const label = (r: VersionRef) => (r === 'draft' ? t('flows.versions.draft') : t('flows.versions.v', { n: r }));
  const options = [{ value: 'draft', text: t('flows.versions.draft') }, ...(versions ?? []).map((v) => ({ value: String(v.version), text: t('flows.versions.v', { n: v.version }) }))];

  return (
    <section className="side-section" data-testid="versions-panel" aria-labelledby="versions-title">
      <h2 id="versions-title" className="side-title">{t('flows.versions.title')}</h2>
      {versions === null && <Spinner />}
      {versions?.length === 0 && <p className="muted small">{t('flows.versions.none')}</p>}
      {versions && versions.length > 0 && (
        <>
          <form className="diff-form" onSubmit={(e) => { e.preventDefault(); if (from) runDiff(ref(from), ref(to)); }}>
            <div>
              <label htmlFor="diff-from" className="field-label">{t('flows.versions.from')}</label>
              <select id="diff-from" value={from} onChange={(e) => setFrom(e.target.value)}>
                {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor="diff-to" className="field-label">{t('flows.versions.to')}</label>
              <select id="diff-to" value={to} onChange={(e) => setTo(e.target.value)}>
                {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
              </select>
            </div>
            <Button type="submit" data-testid="diff-run" busy={compare.busy !== null} disabled={!from || from === to}>
              {t('flows.versions.compare')}
            </Button>
          </form>
          <ErrorNotice error={compare.error} onDismiss={() => compare.setError(null)} />
          {diff && <DiffSummary shown={diff} label={label} onClear={() => onDiff(null)} />}
          <ol className="version-list">
            {versions.map((v) => (
              <li key={v.version} data-testid={`version-${v.version}`} className={v.version === publishedVersion ? 'is-published' : undefined}>
                <div className="version-head">
                  <strong>{label(v.version)}</strong>
                  {v.version === publishedVersion && <span className="badge badge-assigned">{t('flows.versions.live')}</span>}
                  {v.rollbackOf && <span className="muted small">{t('flows.versions.rollbackOf', { n: v.rollbackOf })}</span>}
                </div>
                {v.message && <p className="version-message">{v.message}</p>}
                <p className="muted small">
                  {v.publishedBy ?? '—'} · {v.publishedAt ? formatDateTime(v.publishedAt, lang) : '—'}
                </p>
                <div className="version-actions">
                  <Button data-testid={`diff-draft-${v.version}`} onClick={() => runDiff(v.version, 'draft')}>
                    {t('flows.versions.vsDraft')}
                  </Button>
                  {v.version !== publishedVersion && (
                    <Button data-testid={`rollback-${v.version}`} onClick={() => { rollback.setError(null); setRollbackOf(v.version); }}>
                      {t('flows.versions.rollback')}
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
      {rollbackOf !== null && (
        <MessageDialog
          title={t('flows.versions.rollbackTitle', { n: rollbackOf })}
          label={t('flows.publish.message')}
          confirmLabel={t('flows.versions.rollback')}
          inputTestId="rollback-message"
          confirmTestId="rollback-confirm"
          initial={t('flows.versions.rollbackDefault', { n: rollbackOf })}
          busy={rollback.busy !== null}
          error={rollback.error}
          onConfirm={confirmRollback}
          onCancel={() => setRollbackOf(null)}
        >
          <p className="muted small">{t('flows.versions.rollbackHint', { n: rollbackOf })}</p>
        </MessageDialog>
      )}
    </section>
  );
}

function DiffSummary({ shown, label, onClear }: { shown: ShownDiff; label: (r: VersionRef) => string; onClear: () => void }) {
  const { t } = useI18n();
  const { nodes, edges, rules } = shown.diff;
  const nothing = !nodes.added.length && !nodes.removed.length && !nodes.changed.length && !nodes.moved.length && !edges.added.length && !edges.removed.length && !edges.changed.length;
  return (
    <div className="diff-summary" data-testid="diff-summary" aria-live="polite">
      <div className="diff-summary-head">
        <strong>{t('flows.versions.diffTitle', { from: label(shown.from), to: label(shown.to) })}</strong>
        <button type="button" className="link-btn" onClick={onClear}>{t('flows.sim.clear')}</button>
      </div>
      {nothing && <p className="muted small">{t('flows.versions.same')}</p>}
      <DiffLine testId="diff-added" label={t('flows.diff.added')} ids={nodes.added} />
      <DiffLine testId="diff-changed" label={t('flows.diff.changed')} ids={nodes.changed.map((c) => `${c.nodeId} (${c.fields.map((f) => t(`flows.diff.field.${f}` as MessageKey)).join(', ')})`)} />
      <DiffLine testId="diff-removed" label={t('flows.diff.removed')} ids={nodes.removed} />
      <DiffLine testId="diff-moved" label={t('flows.diff.moved')} ids={nodes.moved} />
      <DiffLine testId="diff-edges" label={t('flows.diff.edges')} ids={[...edges.added.map((e) => `+${e}`), ...edges.removed.map((e) => `−${e}`), ...edges.changed.map((e) => `~${e}`)]} />
      {rules.map((r) => (
        <DiffLine key={r.nodeId} testId="diff-rules" label={t('flows.diff.rules', { node: r.nodeId })} ids={[...r.added.map((n) => `+${n}`), ...r.removed.map((n) => `−${n}`), ...r.changed.map((n) => `~${n}`)]} />
      ))}
    </div>
  );
}

function DiffLine({ label, ids, testId }: { label: string; ids: string[]; testId: string }) {
  if (ids.length === 0) return null;
  return (
    <p className="diff-line small" data-testid={testId}>
      <span className="diff-label">{label}</span> {ids.map((id) => <code key={id}>{id}</code>)}
    </p>
  );
}

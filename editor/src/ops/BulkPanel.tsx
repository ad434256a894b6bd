// Bulk actions over the stuck list: on the ticked rows or on everything the
// filter matches; a dry run shows the plan, a run shows its progress and, at
// the end, what failed. Takes data and callbacks; StuckListPage runs them.
import { useId, useState } from 'react';
import { Button } from '../components/Button';
import { useI18n, type MessageKey } from '../i18n';
import { BULK_ACTIONS, type BulkAction, type BulkJob, type BulkPlanItem } from './api';
import { OpsError, ReasonBadge } from './common';

export type BulkScope = 'selected' | 'filter';

/** What the operator chose. */
export interface BulkInput {
  action: BulkAction;
  scope: BulkScope;
  reason: string;
  /** reroute: the queue. */
  queue?: string;
  /** terminate: what the customer is told. */
  message?: string;
}

export interface BulkPanelProps {
  selectedCount: number;
  /** How many conversations the filter matches (the list's total). */
  matchingTotal: number;
  /** The last dry run's plan. */
  plan: BulkPlanItem[] | null;
  /** The running or finished job. */
  job: BulkJob | null;
  busy: 'dry-run' | 'run' | null;
  error: unknown;
  onDryRun: (input: BulkInput) => void;
  onRun: (input: BulkInput) => void;
}

function actionLabel(action: BulkAction): MessageKey {
  return action === 'reroute' ? 'ops.bulkAction.reroute' : (`ops.action.${action}` as MessageKey);
}

export function BulkPanel({ selectedCount, matchingTotal, plan, job, busy, error, onDryRun, onRun }: BulkPanelProps) {
  const { t } = useI18n();
  const id = useId();
  const [scope, setScope] = useState<BulkScope>('selected');
  const [action, setAction] = useState<BulkAction>('retry');
  const [reason, setReason] = useState('');
  const [queue, setQueue] = useState('');
  const [message, setMessage] = useState('');

  const count = scope === 'selected' ? selectedCount : matchingTotal;
  const running = job?.status === 'running';
  const ready = reason.trim() !== '' && count > 0 && (action !== 'reroute' || queue.trim() !== '') && busy === null && !running;
  const input = (): BulkInput => ({
    action,
    scope,
    reason: reason.trim(),
    ...(action === 'reroute' ? { queue: queue.trim() } : {}),
    ...(action === 'terminate' && message.trim() ? { message: message.trim() } : {}),
  });

  return (
    <section className="ops-card ops-bulk" aria-labelledby={`${id}-title`} data-testid="bulk-panel">
      <h3 id={`${id}-title`}>{t('ops.bulk.title')}</h3>
      <fieldset className="ops-scope">
        <legend>{t('ops.bulk.scope')}</legend>
        <label>
          <input type="radio" name={`${id}-scope`} value="selected" checked={scope === 'selected'} onChange={() => setScope('selected')} data-testid="bulk-scope-selected" />
          {t('ops.bulk.scope.selected', { count: selectedCount })}
        </label>
        <label>
          <input type="radio" name={`${id}-scope`} value="filter" checked={scope === 'filter'} onChange={() => setScope('filter')} data-testid="bulk-scope-filter" />
          {t('ops.bulk.scope.filter', { count: matchingTotal })}
        </label>
      </fieldset>
      {count === 0 && <p className="muted small">{t('ops.bulk.noneSelected')}</p>}
      <div className="ops-bulk-fields">
        <div className="ops-field">
          <label htmlFor={`${id}-action`}>{t('ops.bulk.action')}</label>
          <select id={`${id}-action`} data-testid="bulk-action" value={action} onChange={(e) => setAction(e.target.value as BulkAction)}>
            {BULK_ACTIONS.map((a) => <option key={a} value={a}>{t(actionLabel(a))}</option>)}
          </select>
        </div>
        {action === 'reroute' && (
          <div className="ops-field">
            <label htmlFor={`${id}-queue`}>{t('ops.bulk.queue')}</label>
            <input id={`${id}-queue`} data-testid="bulk-queue" value={queue} onChange={(e) => setQueue(e.target.value)} spellCheck={false} />
          </div>
        )}
        {action === 'terminate' && (
          <div className="ops-field ops-field-wide">
            <label htmlFor={`${id}-message`}>{t('ops.bulk.message')}</label>
            <input id={`${id}-message`} data-testid="bulk-message" value={message} onChange={(e) => setMessage(e.target.value)} />
          </div>
        )}
        <div className="ops-field ops-field-wide">
          <label htmlFor={`${id}-reason`}>{t('ops.dialog.reason')}</label>
          <input id={`${id}-reason`} data-testid="bulk-reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
        </div>
      </div>
      <div className="dialog-actions ops-bulk-actions">
        <Button data-testid="bulk-dry-run" busy={busy === 'dry-run'} disabled={!ready} onClick={() => onDryRun(input())}>{t('ops.bulk.dryRun')}</Button>
        <Button variant={action === 'terminate' ? 'danger' : 'primary'} data-testid="bulk-run" busy={busy === 'run' || running} disabled={!ready} onClick={() => onRun(input())}>
          {t('ops.bulk.run')}
        </Button>
      </div>
      <OpsError error={error} />
      {plan && !job && <BulkPlan plan={plan} />}
      {job && <BulkProgress job={job} />}
    </section>
  );
}

export function BulkPlan({ plan }: { plan: BulkPlanItem[] }) {
  const { t } = useI18n();
  return (
    <div className="ops-plan" data-testid="bulk-plan">
      <h4>{t('ops.bulk.plan', { count: plan.length })}</h4>
      {plan.length === 0 ? (
        <p className="muted">{t('ops.bulk.planEmpty')}</p>
      ) : (
        <div className="ops-table-wrap" role="region" aria-label={t('ops.bulk.plan', { count: plan.length })} tabIndex={0}>
          <table className="flow-table ops-table">
            <thead>
              <tr>
                <th scope="col">{t('ops.bulk.col.workflowId')}</th>
                <th scope="col">{t('ops.col.reason')}</th>
                <th scope="col">{t('ops.bulk.col.plan')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.map((item) => (
                <tr key={item.workflowId} data-testid="plan-row">
                  <td className="ops-id">{item.workflowId}</td>
                  <td><ReasonBadge reason={item.reason} /></td>
                  <td>{item.plan}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function BulkProgress({ job }: { job: BulkJob }) {
  const { t } = useI18n();
  const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : 100;
  const failures = job.results.filter((result) => !result.ok);
  const counts = { done: job.done, total: job.total, succeeded: job.succeeded, failed: job.failed };
  return (
    <div className="ops-progress-block" data-testid="bulk-progress">
      <div
        className="ops-progress"
        role="progressbar"
        aria-label={t('ops.bulk.progress')}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
        aria-valuetext={t('ops.bulk.progressText', counts)}
      >
        <div className="ops-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="small" aria-live="polite">{t('ops.bulk.progressText', counts)}</p>
      {job.status === 'done' && (
        <div className={`notice ${job.failed > 0 ? 'notice-error' : 'ops-notice-ok'}`} role="status" data-testid="bulk-summary">
          <div className="notice-text">
            <strong>{t('ops.bulk.finished', { succeeded: job.succeeded, failed: job.failed })}</strong>
            {failures.length > 0 && (
              <>
                <span>{t('ops.bulk.failures')}</span>
                <ul className="ops-failures" data-testid="bulk-failures">
                  {failures.map((failure) => (
                    <li key={failure.workflowId}><code>{failure.workflowId}</code> — {failure.summary}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

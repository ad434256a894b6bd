// The stuck list as the operator sees it: counts by reason (filter chips), the
// filters, the table, and the bulk panel below (passed in as children). Takes
// data and callbacks; StuckListPage fetches.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../components/Button';
import { useI18n, type MessageKey } from '../i18n';
import { followLink } from '../router';
import { STUCK_REASONS, type StuckConversation, type StuckFilter, type StuckList, type StuckReason } from './api';
import { Loading, OpsError, ReasonBadge } from './common';
import { formatAge, formatDateTime, truncate } from './format';

export interface StuckListViewProps {
  /** The last answer of GET /stuck; null before the first one. */
  data: StuckList | null;
  /** A request is in flight (the first load or a refresh). */
  loading: boolean;
  error: unknown;
  filter: StuckFilter;
  onFilterChange: (filter: StuckFilter) => void;
  onRefresh: () => void;
  /** The workflow ids of the ticked rows. */
  selected: ReadonlySet<string>;
  onSelectedChange: (selected: Set<string>) => void;
  /** Ages are counted to this time (ms); the list's generatedAt by default. */
  now?: number;
  /** The bulk panel. */
  children?: ReactNode;
}

export function conversationPath(workflowId: string): string {
  return `/ops/${encodeURIComponent(workflowId)}`;
}

export function StuckListView({ data, loading, error, filter, onFilterChange, onRefresh, selected, onSelectedChange, now, children }: StuckListViewProps) {
  const { t } = useI18n();
  const at = now ?? (data ? Date.parse(data.generatedAt) : Date.now());
  return (
    <div className="ops-page" data-testid="ops-list">
      <div className="ops-head">
        <div>
          <h2>{t('ops.list.title')}</h2>
          <p className="muted">{t('ops.list.intro')}</p>
        </div>
        <div className="ops-head-actions">
          <span className="muted small">{t('ops.list.autoRefresh')}</span>
          <Button onClick={onRefresh} busy={loading && data !== null} data-testid="ops-refresh">{t('ops.list.refresh')}</Button>
        </div>
      </div>

      {data && <ReasonChips counts={data.counts} total={data.total} active={filter.reason} onPick={(reason) => onFilterChange({ ...filter, reason })} />}

      <FilterForm key={JSON.stringify(filter)} filter={filter} onApply={onFilterChange} />

      <OpsError error={error} />
      {data === null && loading && !error && <Loading />}

      {data && (data.items.length === 0 ? (
        <div className="ops-empty" data-testid="ops-empty">
          <strong>{t('ops.list.empty')}</strong>
          <span className="muted">{t('ops.list.emptyHint')}</span>
        </div>
      ) : (
        <StuckTable items={data.items} now={at} selected={selected} onSelectedChange={onSelectedChange} />
      ))}

      {data && (
        <p className="muted small ops-foot" data-testid="ops-generated">
          {data.items.length > 0 && <span>{t('ops.list.shown', { shown: data.items.length, total: data.total })} · </span>}
          {t('ops.list.generated', { ms: data.tookMs })} · {t('ops.list.idleThreshold', { minutes: data.idleThresholdMinutes })}
        </p>
      )}

      {children}
    </div>
  );
}

function ReasonChips({ counts, total, active, onPick }: { counts: StuckList['counts']; total: number; active?: StuckReason; onPick: (reason?: StuckReason) => void }) {
  const { t } = useI18n();
  return (
    <div className="ops-chips" role="group" aria-label={t('ops.list.counts')} data-testid="ops-counts">
      <button type="button" className="ops-chip" aria-pressed={!active} onClick={() => onPick(undefined)}>
        {t('ops.list.allReasons', { count: total })}
      </button>
      {STUCK_REASONS.map((reason) => (
        <button
          key={reason}
          type="button"
          className={`ops-chip ops-chip-${reason}`}
          aria-pressed={active === reason}
          data-testid={`count-${reason}`}
          onClick={() => onPick(active === reason ? undefined : reason)}
        >
          <span>{t(`ops.reason.${reason}` as MessageKey)}</span>
          <span className="ops-chip-count">{counts[reason] ?? 0}</span>
        </button>
      ))}
    </div>
  );
}

interface FilterDraft {
  inbox: string;
  channel: string;
  flowId: string;
  flowVersion: string;
  reason: string;
  minAgeMinutes: string;
}

function toDraft(filter: StuckFilter): FilterDraft {
  return {
    inbox: filter.inbox ?? '',
    channel: filter.channel ?? '',
    flowId: filter.flowId ?? '',
    flowVersion: filter.flowVersion === undefined ? '' : String(filter.flowVersion),
    reason: filter.reason ?? '',
    minAgeMinutes: filter.minAgeMinutes === undefined ? '' : String(filter.minAgeMinutes),
  };
}

function positive(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The filter the form describes; `limit` is kept from the current one. */
export function fromDraft(draft: FilterDraft, limit?: number): StuckFilter {
  const filter: StuckFilter = {};
  if (draft.inbox.trim()) filter.inbox = draft.inbox.trim();
  if (draft.channel.trim()) filter.channel = draft.channel.trim();
  if (draft.flowId.trim()) filter.flowId = draft.flowId.trim();
  const version = positive(draft.flowVersion);
  if (version !== undefined) filter.flowVersion = Math.floor(version);
  if ((STUCK_REASONS as readonly string[]).includes(draft.reason)) filter.reason = draft.reason as StuckReason;
  const age = positive(draft.minAgeMinutes);
  if (age !== undefined) filter.minAgeMinutes = age;
  if (limit !== undefined) filter.limit = limit;
  return filter;
}

function FilterForm({ filter, onApply }: { filter: StuckFilter; onApply: (filter: StuckFilter) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState(() => toDraft(filter));
  const set = (field: keyof FilterDraft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(fromDraft(draft, filter.limit));
  };
  const text = (field: 'inbox' | 'channel' | 'flowId', label: MessageKey) => (
    <div className="ops-field">
      <label htmlFor={`${id}-${field}`}>{t(label)}</label>
      <input id={`${id}-${field}`} data-testid={`filter-${field}`} value={draft[field]} onChange={set(field)} spellCheck={false} />
    </div>
  );
  return (
    <form className="ops-filters" role="search" aria-label={t('ops.filter.title')} onSubmit={submit}>
      {text('inbox', 'ops.filter.inbox')}
      {text('channel', 'ops.filter.channel')}
      {text('flowId', 'ops.filter.flowId')}
      <div className="ops-field ops-field-narrow">
        <label htmlFor={`${id}-flowVersion`}>{t('ops.filter.flowVersion')}</label>
        <input id={`${id}-flowVersion`} data-testid="filter-flowVersion" type="number" min={1} step={1} value={draft.flowVersion} onChange={set('flowVersion')} />
      </div>
      <div className="ops-field">
        <label htmlFor={`${id}-reason`}>{t('ops.filter.reason')}</label>
        <select id={`${id}-reason`} data-testid="filter-reason" value={draft.reason} onChange={set('reason')}>
          <option value="">{t('ops.filter.any')}</option>
          {STUCK_REASONS.map((reason) => <option key={reason} value={reason}>{t(`ops.reason.${reason}` as MessageKey)}</option>)}
        </select>
      </div>
      <div className="ops-field ops-field-narrow">
        <label htmlFor={`${id}-minAge`}>{t('ops.filter.minAge')}</label>
        <input id={`${id}-minAge`} data-testid="filter-minAge" type="number" min={0} step={1} value={draft.minAgeMinutes} onChange={set('minAgeMinutes')} />
      </div>
      <div className="ops-filter-actions">
        <Button type="submit" variant="primary" data-testid="filter-apply">{t('ops.filter.apply')}</Button>
        <Button onClick={() => onApply(filter.limit === undefined ? {} : { limit: filter.limit })}>{t('ops.filter.clear')}</Button>
      </div>
    </form>
  );
}

function StuckTable({ items, now, selected, onSelectedChange }: { items: StuckConversation[]; now: number; selected: ReadonlySet<string>; onSelectedChange: (selected: Set<string>) => void }) {
  const { t, lang } = useI18n();
  const allTicked = items.length > 0 && items.every((item) => selected.has(item.workflowId));
  const toggle = (workflowId: string) => {
    const next = new Set(selected);
    if (next.has(workflowId)) next.delete(workflowId);
    else next.add(workflowId);
    onSelectedChange(next);
  };
  return (
    <div className="ops-table-wrap" role="region" aria-label={t('ops.list.table')} tabIndex={0}>
      <table className="flow-table ops-table" data-testid="stuck-table">
        <thead>
          <tr>
            <th scope="col" className="ops-col-check">
              <input
                type="checkbox"
                aria-label={t('ops.col.selectAll')}
                checked={allTicked}
                onChange={() => onSelectedChange(allTicked ? new Set() : new Set(items.map((item) => item.workflowId)))}
              />
            </th>
            <th scope="col">{t('ops.col.conversation')}</th>
            <th scope="col">{t('ops.col.reason')}</th>
            <th scope="col">{t('ops.col.since')}</th>
            <th scope="col">{t('ops.col.step')}</th>
            <th scope="col">{t('ops.col.where')}</th>
            <th scope="col">{t('ops.col.lastError')}</th>
            <th scope="col" className="ops-num">{t('ops.col.attempts')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.workflowId} data-testid="stuck-row" data-workflow-id={item.workflowId} aria-selected={selected.has(item.workflowId)}>
              <td className="ops-col-check">
                <input type="checkbox" aria-label={t('ops.col.selectRow', { id: item.workflowId })} checked={selected.has(item.workflowId)} onChange={() => toggle(item.workflowId)} />
              </td>
              <td>
                <a className="flow-link ops-id" href={conversationPath(item.workflowId)} onClick={followLink}>{item.workflowId}</a>
                {item.status && <div className="muted small">{item.status}</div>}
              </td>
              <td>
                <ReasonBadge reason={item.reason} />
                {item.reasons.length > 1 && (
                  <div className="ops-more-reasons">
                    {item.reasons.slice(1).map((reason) => <ReasonBadge key={reason} reason={reason} />)}
                  </div>
                )}
              </td>
              <td title={t('ops.since', { time: formatDateTime(item.since, lang) })} data-testid="stuck-age">
                {formatAge(item.since, now, lang)}
              </td>
              <td>
                {item.step ? <code>{item.step}</code> : <span className="muted">—</span>}
                {item.flowId && <div className="muted small">{item.flowId}{item.flowVersion !== undefined ? ` v${item.flowVersion}` : ''}</div>}
              </td>
              <td>
                {item.inboxId ?? '—'}
                {item.channel && <div className="muted small">{item.channel}</div>}
              </td>
              <td className="ops-error-cell">
                {item.lastError ? <span className="ops-error-text" title={item.lastError} data-testid="stuck-error">{truncate(item.lastError)}</span> : <span className="muted">—</span>}
              </td>
              <td className="ops-num">{item.attempts ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

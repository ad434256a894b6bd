// The stuck list's container: fetches GET /stuck for the filter (kept in the
// address's query string) every 15 s, keeps the ticked rows, and runs bulk
// actions (dry run, then a job polled every 500 ms).
import { useCallback, useState } from 'react';
import { ApiError } from '../api';
import { useAction, usePolling } from '../hooks';
import { STUCK_REASONS, stuckQuery, type BulkJob, type BulkPlanItem, type BulkSubmit, type OpsApi, type StuckFilter, type StuckList, type StuckReason } from './api';
import { BulkPanel, type BulkInput } from './BulkPanel';
import { StuckListView } from './StuckListView';

export const LIST_REFRESH_MS = 15_000;
export const JOB_POLL_MS = 500;

const FILTER_KEY = 'huiliu.opsFilter';

/** The filter a query string describes (unknown or malformed fields are left out). */
export function filterFromSearch(search: string): StuckFilter {
  const query = new URLSearchParams(search);
  const filter: StuckFilter = {};
  const text = (key: 'inbox' | 'channel' | 'flowId') => {
    const value = query.get(key)?.trim();
    if (value) filter[key] = value;
  };
  const number = (key: 'flowVersion' | 'minAgeMinutes' | 'limit') => {
    const value = query.get(key);
    if (value !== null && value.trim() !== '' && Number.isFinite(Number(value)) && Number(value) >= 0) filter[key] = Number(value);
  };
  text('inbox');
  text('channel');
  text('flowId');
  number('flowVersion');
  number('minAgeMinutes');
  number('limit');
  const reason = query.get('reason');
  if (reason && (STUCK_REASONS as readonly string[]).includes(reason)) filter.reason = reason as StuckReason;
  return filter;
}

/** Where "back to the list" goes: the list with the filter last used in this tab. */
export function listPath(): string {
  return `/ops${sessionStorage.getItem(FILTER_KEY) ?? ''}`;
}

/** The bulk request for what the operator chose: ticked rows go as `params.workflowIds`. */
export function bulkRequest(input: BulkInput, filter: StuckFilter, selected: ReadonlySet<string>): BulkSubmit {
  const params: Record<string, unknown> & { workflowIds?: string[] } = {};
  if (input.queue) params.queue = input.queue;
  if (input.message) params.message = input.message;
  if (input.scope === 'selected') params.workflowIds = [...selected];
  return { action: input.action, filter, reason: input.reason, ...(Object.keys(params).length > 0 ? { params } : {}) };
}

export function StuckListPage({ api, onUnauthorized }: { api: OpsApi; onUnauthorized: (reason: unknown) => void }) {
  const [filter, setFilterState] = useState<StuckFilter>(() => filterFromSearch(window.location.search));
  const [data, setData] = useState<StuckList | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());

  const setFilter = useCallback((next: StuckFilter) => {
    const search = stuckQuery(next);
    sessionStorage.setItem(FILTER_KEY, search);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}`);
    setFilterState(next);
    setSelected(new Set());
  }, []);

  const list = usePolling(async (signal) => {
    setLoading(true);
    try {
      const answer = await api.stuck(filter, signal);
      setData(answer);
      const present = new Set(answer.items.map((item) => item.workflowId));
      setSelected((before) => ([...before].every((id) => present.has(id)) ? before : new Set([...before].filter((id) => present.has(id)))));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized(error);
      throw error;
    } finally {
      if (!signal.aborted) setLoading(false);
    }
  }, LIST_REFRESH_MS, `${api.token}\n${JSON.stringify(filter)}`);

  // Bulk: the last dry run's plan, the job being watched.
  const bulk = useAction();
  const [plan, setPlan] = useState<BulkPlanItem[] | null>(null);
  const [job, setJob] = useState<BulkJob | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const refreshList = list.refresh;
  const jobPoll = usePolling(async (signal) => {
    if (!jobId) return;
    const next = await api.bulkJob(jobId, signal);
    setJob(next);
    if (next.status === 'done') {
      setJobId(null);
      refreshList();
    }
  }, JOB_POLL_MS, jobId);

  const dryRun = (input: BulkInput) => void bulk.run('dry-run', async () => {
    setJob(null);
    setPlan(await api.dryRun(bulkRequest(input, filter, selected)));
  });
  const run = (input: BulkInput) => void bulk.run('run', async () => {
    const { jobId: started } = await api.runBulk(bulkRequest(input, filter, selected));
    setPlan(null);
    setJob(null);
    setJobId(started);
  });

  const busy = bulk.busy === 'dry-run' || bulk.busy === 'run' ? bulk.busy : null;
  return (
    <StuckListView
      data={data}
      loading={loading}
      error={list.error}
      filter={filter}
      onFilterChange={setFilter}
      onRefresh={list.refresh}
      selected={selected}
      onSelectedChange={setSelected}
    >
      {data && (
        <BulkPanel
          selectedCount={selected.size}
          matchingTotal={data.total}
          plan={plan}
          job={job}
          busy={busy}
          error={bulk.error ?? jobPoll.error}
          onDryRun={dryRun}
          onRun={run}
        />
      )}
    </StuckListView>
  );
}

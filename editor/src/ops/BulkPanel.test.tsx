// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { Lang } from '../i18n';
import { matchRoute } from '../router';
import { planItems, stuckQuery, type BulkJob } from './api';
import { BulkPanel, type BulkInput, type BulkPanelProps } from './BulkPanel';
import { formatAge, truncate } from './format';
import { bulkRequest, filterFromSearch } from './StuckListPage';
import { withI18n } from './test-support';

afterEach(cleanup);

function renderPanel(props: Partial<BulkPanelProps> = {}, lang: Lang = 'en') {
  const onDryRun = vi.fn<(input: BulkInput) => void>();
  const onRun = vi.fn<(input: BulkInput) => void>();
  render(withI18n(<BulkPanel selectedCount={2} matchingTotal={16} plan={null} job={null} busy={null} error={null} onDryRun={onDryRun} onRun={onRun} {...props} />, lang));
  return { onDryRun, onRun };
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

function job(overrides: Partial<BulkJob> = {}): BulkJob {
  return { jobId: 'j1', action: 'retry', status: 'running', total: 8, done: 3, succeeded: 2, failed: 1, results: [], startedAt: '2025-03-01T10:00:00.000Z', ...overrides };
}

describe('bulk actions', () => {
  it('waits for a reason (and a queue for reroute) before a dry run or a run', () => {
    const { onDryRun, onRun } = renderPanel();
    expect(button('Dry run').disabled).toBe(true);
    expect(button('Run').disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: 'upstream fixed' } });
    expect(button('Dry run').disabled).toBe(false);
    fireEvent.click(button('Dry run'));
    expect(onDryRun).toHaveBeenLastCalledWith({ action: 'retry', scope: 'selected', reason: 'upstream fixed' });

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'reroute' } });
    expect(button('Run').disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Queue'), { target: { value: 'billing' } });
    fireEvent.click(screen.getByRole('radio', { name: 'All 16 matching the filter' }));
    fireEvent.click(button('Run'));
    expect(onRun).toHaveBeenLastCalledWith({ action: 'reroute', scope: 'filter', reason: 'upstream fixed', queue: 'billing' });
  });

  it('cannot act on the selection when nothing is ticked', () => {
    renderPanel({ selectedCount: 0 }, 'zh');
    fireEvent.change(screen.getByLabelText(/^原因/), { target: { value: '清理' } });
    expect(button('预演').disabled).toBe(true);
    expect(screen.getByText('请在表格中选择会话，或作用于符合筛选的全部会话。')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '符合筛选的全部 16 个' }));
    expect(button('预演').disabled).toBe(false);
    expect(button('执行').disabled).toBe(false);
  });

  it('terminate passes the message to the customer when given', () => {
    const { onRun } = renderPanel();
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'terminate' } });
    fireEvent.change(screen.getByLabelText('Message to the customer (optional)'), { target: { value: 'Please write again.' } });
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: 'outage' } });
    fireEvent.click(button('Run'));
    expect(onRun).toHaveBeenLastCalledWith({ action: 'terminate', scope: 'selected', reason: 'outage', message: 'Please write again.' });
  });

  it('shows the dry run plan', () => {
    renderPanel({ plan: [
      { workflowId: 'conversation-web-1', reason: 'activity-failing', plan: 'retry the activity lookup-order now' },
      { workflowId: 'conversation-web-3', reason: 'idle', plan: 'nothing to retry (skipped)' },
    ] });
    const plan = screen.getByTestId('bulk-plan');
    expect(within(plan).getByRole('heading').textContent).toBe('Plan: 2 conversations');
    const rows = within(plan).getAllByTestId('plan-row');
    expect(rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['conversation-web-1', 'Activity keeps failing', 'retry the activity lookup-order now'],
      ['conversation-web-3', 'Idle too long', 'nothing to retry (skipped)'],
    ]);
  });

  it('shows a running job as a progress bar, and blocks another run', () => {
    renderPanel({ job: job() });
    const bar = screen.getByRole('progressbar', { name: 'Bulk progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('3');
    expect(bar.getAttribute('aria-valuemax')).toBe('8');
    expect(bar.getAttribute('aria-valuetext')).toBe('3 of 8 done · 2 succeeded · 1 failed');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('38%');
    fireEvent.change(screen.getByLabelText(/^Reason/), { target: { value: 'again' } });
    expect(button('Run').disabled).toBe(true);
    expect(screen.queryByTestId('bulk-summary')).toBeNull();
  });

  it('sums up a finished job with its failures listed', () => {
    const done = job({
      status: 'done', done: 3, total: 3, succeeded: 2, failed: 1, finishedAt: '2025-03-01T10:00:05.000Z',
      results: [
        { workflowId: 'conversation-web-1', ok: true, summary: 'retried' },
        { workflowId: 'conversation-web-2', ok: false, summary: 'not running' },
        { workflowId: 'conversation-web-3', ok: true, summary: 'retried' },
      ],
    });
    renderPanel({ job: done }, 'zh');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('3');
    expect(screen.getByTestId('bulk-summary').textContent).toContain('已完成：成功 2 个，失败 1 个');
    const failures = within(screen.getByTestId('bulk-failures')).getAllByRole('listitem');
    expect(failures.map((li) => li.textContent)).toEqual(['conversation-web-2 — not running']);
  });

  it('shows the API error and a 403 as the missing role', () => {
    renderPanel({ error: new ApiError(400, 'reset needs { to: "last-good" } in bulk') });
    expect(screen.getByRole('alert').textContent).toContain('reset needs');
    cleanup();
    renderPanel({ error: new ApiError(403, '') });
    expect(screen.getByRole('alert').textContent).toBe('This needs the operator or admin role.');
  });
});

describe('requests and addresses', () => {
  it('sends the ticked rows as params.workflowIds, the whole filter otherwise', () => {
    const filter = { inbox: 'web-main', reason: 'idle' as const };
    const selected = new Set(['w1', 'w2']);
    expect(bulkRequest({ action: 'retry', scope: 'selected', reason: 'r' }, filter, selected)).toEqual({
      action: 'retry', filter, reason: 'r', params: { workflowIds: ['w1', 'w2'] },
    });
    expect(bulkRequest({ action: 'reroute', scope: 'filter', reason: 'r', queue: 'billing' }, filter, selected)).toEqual({
      action: 'reroute', filter, reason: 'r', params: { queue: 'billing' },
    });
    expect(bulkRequest({ action: 'replay-check', scope: 'filter', reason: 'r' }, filter, selected)).toEqual({ action: 'replay-check', filter, reason: 'r' });
  });

  it('puts the filter in the query string and reads it back', () => {
    const filter = { inbox: 'web main', channel: 'webchat', flowId: 'support', flowVersion: 3, reason: 'sla-breached' as const, minAgeMinutes: 15, limit: 100 };
    expect(stuckQuery(filter)).toBe('?inbox=web+main&channel=webchat&flowId=support&flowVersion=3&reason=sla-breached&minAgeMinutes=15&limit=100');
    expect(filterFromSearch(stuckQuery(filter))).toEqual(filter);
    expect(stuckQuery({})).toBe('');
    expect(filterFromSearch('?reason=bogus&flowVersion=x&inbox=')).toEqual({});
  });

  it('reads a dry run plan whether it comes bare or wrapped', () => {
    const item = { workflowId: 'w', reason: 'idle' as const, plan: 'p' };
    expect(planItems([item])).toEqual([item]);
    expect(planItems({ plan: [item] })).toEqual([item]);
    expect(planItems({ items: [item] })).toEqual([item]);
    expect(planItems({})).toEqual([]);
  });

  it('routes /ops and /ops/<encoded workflow id>', () => {
    expect(matchRoute('/ops')).toEqual({ page: 'ops' });
    expect(matchRoute('/ops/')).toEqual({ page: 'ops' });
    expect(matchRoute(`/ops/${encodeURIComponent('conversation/web:1')}`)).toEqual({ page: 'ops-conversation', workflowId: 'conversation/web:1' });
  });

  it('formats ages and long errors', () => {
    const now = Date.parse('2025-03-03T12:00:00Z');
    expect(formatAge('2025-03-03T11:59:30Z', now, 'en')).toBe('30 s');
    expect(formatAge('2025-03-03T11:00:00Z', now, 'en')).toBe('1 h');
    expect(formatAge('2025-03-01T10:00:00Z', now, 'zh')).toBe('2 天 2 小时');
    expect(truncate('short')).toBe('short');
    expect(truncate('first line\nsecond')).toBe('first line…');
  });
});

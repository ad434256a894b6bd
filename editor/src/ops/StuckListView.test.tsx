// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { Lang } from '../i18n';
import type { StuckFilter, StuckList } from './api';
import { StuckListView, type StuckListViewProps } from './StuckListView';
import { sampleList, withI18n } from './test-support';

afterEach(cleanup);

function renderList(props: Partial<StuckListViewProps> = {}, lang: Lang = 'en') {
  const handlers = { onFilterChange: vi.fn<(filter: StuckFilter) => void>(), onRefresh: vi.fn(), onSelectedChange: vi.fn<(selected: Set<string>) => void>() };
  const all: StuckListViewProps = { data: sampleList(), loading: false, error: null, filter: {}, selected: new Set(), ...handlers, ...props };
  render(withI18n(<StuckListView {...all} />, lang));
  return handlers;
}

describe('the stuck list', () => {
  it('shows the counts by reason as filter chips, over everything matched', () => {
    const { onFilterChange } = renderList();
    const chips = screen.getByRole('group', { name: 'Stuck by reason' });
    expect(within(chips).getByRole('button', { name: /All reasons \(16\)/ })).toHaveProperty('ariaPressed', 'true');
    expect(screen.getByTestId('count-activity-failing').textContent).toBe('Activity keeps failing4');
    expect(screen.getByTestId('count-workflow-task-failing').textContent).toBe('Workflow task failing1');
    expect(screen.getByTestId('count-sla-breached').textContent).toBe('Past SLA, nobody took it9');
    expect(screen.getByTestId('count-idle').textContent).toBe('Idle too long2');

    fireEvent.click(screen.getByTestId('count-sla-breached'));
    expect(onFilterChange).toHaveBeenLastCalledWith({ reason: 'sla-breached' });
  });

  it('a pressed chip shows the active reason and clears it when clicked again', () => {
    const { onFilterChange } = renderList({ filter: { reason: 'idle', inbox: 'web-main' } });
    expect(screen.getByTestId('count-idle').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('count-idle'));
    expect(onFilterChange).toHaveBeenLastCalledWith({ reason: undefined, inbox: 'web-main' });
  });

  it('lists each conversation with its reason badges, age, step, inbox, last error and attempts', () => {
    renderList();
    const rows = screen.getAllByTestId('stuck-row');
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(within(first).getByRole('link', { name: 'conversation-web-1' }).getAttribute('href')).toBe('/ops/conversation-web-1');
    expect(within(first).getAllByTestId('reason-badge').map((b) => b.textContent)).toEqual(['Activity keeps failing', 'Idle too long']);
    expect(within(first).getByTestId('stuck-age').textContent).toBe('12 min');
    expect(within(first).getByText('lookup-order')).toBeTruthy();
    expect(within(first).getByText('web-main')).toBeTruthy();
    expect(within(first).getByText('7')).toBeTruthy();
    const error = within(first).getByTestId('stuck-error');
    expect(error.textContent!.length).toBeLessThanOrEqual(80);
    expect(error.textContent!.endsWith('…')).toBe(true);
    expect(error.getAttribute('title')).toBe(sampleList().items[0].lastError);

    expect(within(second).getAllByTestId('reason-badge').map((b) => b.textContent)).toEqual(['Past SLA, nobody took it']);
    expect(within(second).getByTestId('stuck-age').textContent).toBe('2 h 5 min');
    expect(within(second).queryByTestId('stuck-error')).toBeNull();
  });

  it('speaks Chinese: reason badges, chips, empty columns and ages', () => {
    renderList({}, 'zh');
    const [first, second] = screen.getAllByTestId('stuck-row');
    expect(within(first).getAllByTestId('reason-badge').map((b) => b.textContent)).toEqual(['活动持续失败', '长时间未推进']);
    expect(within(second).getAllByTestId('reason-badge').map((b) => b.textContent)).toEqual(['超过SLA无人接待']);
    expect(screen.getByTestId('count-workflow-task-failing').textContent).toBe('工作流任务失败1');
    expect(within(first).getByTestId('stuck-age').textContent).toBe('12 分钟');
    expect(screen.getByRole('columnheader', { name: '最近错误' })).toBeTruthy();
    expect(screen.getByTestId('ops-generated').textContent).toContain('生成用时 42 毫秒');
  });

  it('notes how long the list took and the idle threshold', () => {
    renderList();
    expect(screen.getByTestId('ops-generated').textContent).toBe('Showing 2 of 16 · Generated in 42 ms · Idle means no progress for 30 min');
  });

  it('has a table region that scrolls on its own, and a refresh button', () => {
    const { onRefresh } = renderList();
    expect(screen.getByRole('region', { name: 'Stuck conversations table' }).contains(screen.getByRole('table'))).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(onRefresh).toHaveBeenCalledOnce();
  });

  it('ticks rows one by one or all at once', () => {
    const { onSelectedChange } = renderList({ selected: new Set(['conversation-wechat-2']) });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select conversation-web-1' }));
    expect([...onSelectedChange.mock.lastCall![0]].sort()).toEqual(['conversation-web-1', 'conversation-wechat-2']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown' }));
    expect([...onSelectedChange.mock.lastCall![0]].sort()).toEqual(['conversation-web-1', 'conversation-wechat-2']);
  });

  it('applies the filters from the form', () => {
    const { onFilterChange } = renderList({ filter: { limit: 50 } });
    const form = screen.getByRole('search', { name: 'Filters' });
    fireEvent.change(within(form).getByLabelText('Inbox'), { target: { value: ' web-main ' } });
    fireEvent.change(within(form).getByLabelText('Channel'), { target: { value: 'webchat' } });
    fireEvent.change(within(form).getByLabelText('Flow id'), { target: { value: 'support' } });
    fireEvent.change(within(form).getByLabelText('Flow version'), { target: { value: '3' } });
    fireEvent.change(within(form).getByLabelText('Reason'), { target: { value: 'workflow-task-failing' } });
    fireEvent.change(within(form).getByLabelText('Stuck at least (minutes)'), { target: { value: '15' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(onFilterChange).toHaveBeenLastCalledWith({
      inbox: 'web-main', channel: 'webchat', flowId: 'support', flowVersion: 3, reason: 'workflow-task-failing', minAgeMinutes: 15, limit: 50,
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Clear' }));
    expect(onFilterChange).toHaveBeenLastCalledWith({ limit: 50 });
  });

  it('says when nothing is stuck, in both languages', () => {
    const empty: StuckList = { ...sampleList(), items: [], counts: { 'activity-failing': 0, 'workflow-task-failing': 0, 'sla-breached': 0, idle: 0 }, total: 0 };
    renderList({ data: empty });
    expect(screen.getByTestId('ops-empty').textContent).toContain('Nothing is stuck');
    expect(screen.queryByRole('table')).toBeNull();
    cleanup();
    renderList({ data: empty }, 'zh');
    expect(screen.getByTestId('ops-empty').textContent).toContain('没有卡住的会话');
  });

  it('shows a loading indicator before the first answer', () => {
    renderList({ data: null, loading: true });
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('names the role a 403 needs, in both languages', () => {
    const forbidden = new ApiError(403, 'Forbidden: needs role operator');
    renderList({ data: null, error: forbidden });
    expect(screen.getByRole('alert').textContent).toBe('This needs the operator or admin role.');
    expect(screen.queryByRole('status')).toBeNull();
    cleanup();
    renderList({ data: null, error: forbidden }, 'zh');
    expect(screen.getByRole('alert').textContent).toBe('需要运维或管理员角色。');
  });

  it('says when the server cannot be reached, keeping the last list', () => {
    renderList({ error: new ApiError(0, '') });
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the server');
    expect(screen.getAllByTestId('stuck-row')).toHaveLength(2);
  });
});

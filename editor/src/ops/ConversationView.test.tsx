// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { Lang } from '../i18n';
import type { ActionResult, ConversationOps } from './api';
import { ConversationView, stepIds, type ActionRequest, type ConversationViewProps } from './ConversationView';
import { sampleConversation, withI18n } from './test-support';

afterEach(cleanup);

const NOW = Date.parse('2025-03-01T10:00:00.000Z');

function renderView(props: Partial<ConversationViewProps> = {}, lang: Lang = 'en') {
  const onAction = vi.fn<(request: ActionRequest) => Promise<void>>(() => Promise.resolve());
  const onReload = vi.fn();
  const all: ConversationViewProps = { conversation: sampleConversation(), now: NOW, busy: false, result: null, onAction, onReload, ...props };
  render(withI18n(<ConversationView {...all} />, lang));
  return { onAction: all.onAction as typeof onAction, onReload };
}

const dialog = () => screen.getByRole('dialog');
const confirm = () => within(dialog()).getByTestId('action-confirm') as HTMLButtonElement;
const typeReason = (text: string) => fireEvent.change(within(dialog()).getByLabelText(/Reason/), { target: { value: text } });

describe('a conversation', () => {
  it('shows where it is and why it is stuck, with a link into Temporal', () => {
    renderView();
    expect(screen.getByRole('heading', { name: 'conversation-web-1' })).toBeTruthy();
    expect(screen.getByTestId('conv-execution').textContent).toBe('Running');
    const stuck = screen.getByTestId('conv-stuck');
    expect(within(stuck).getAllByTestId('reason-badge').map((b) => b.textContent)).toEqual(['Activity keeps failing']);
    expect(stuck.textContent).toContain('for 12 min');
    expect(screen.getByTestId('conv-last-error').textContent).toContain('HTTP 503 from orders');
    expect(screen.getByText('support v3')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Open in Temporal ↗' });
    expect(link.getAttribute('href')).toBe(sampleConversation().temporalUiUrl);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('has no Temporal link when none is configured, and says when it is not stuck', () => {
    const conversation: ConversationOps = { ...sampleConversation(), temporalUiUrl: undefined, stuck: undefined };
    renderView({ conversation }, 'zh');
    expect(screen.queryByTestId('conv-temporal')).toBeNull();
    expect(screen.getByTestId('conv-stuck').textContent).toBe('未卡住');
  });

  it('a finished conversation can be replay-checked and reset, not retried, rerouted or terminated', () => {
    renderView({ conversation: { ...sampleConversation(), executionStatus: 'Completed', stuck: undefined } });
    const enabled = (id: string) => !(screen.getByTestId(`action-${id}`) as HTMLButtonElement).disabled;
    expect(['retry', 'reroute', 'terminate', 'replay-check'].map(enabled)).toEqual([false, false, false, true]);
    expect(screen.getAllByRole('button', { name: /Reset to here/ }).length).toBeGreaterThan(0);
  });

  it('lists the timeline in the current language, errors highlighted', () => {
    renderView({}, 'zh');
    const entries = screen.getAllByTestId('timeline-entry');
    expect(entries.map((e) => within(e).getByTestId('timeline-title').textContent)).toEqual(['会话开始', '收到消息', '规则分流', '查询订单失败']);
    expect(within(entries[3]).getByTestId('timeline-kind').textContent).toContain('活动失败');
    expect(within(entries[3]).getByText('第 7 次尝试')).toBeTruthy();
    expect(within(entries[3]).getByTestId('timeline-error').textContent).toBe('HTTP 503 from orders');
    expect(within(entries[1]).getByText('Where is my order 42?')).toBeTruthy();
    expect(within(entries[1]).queryByTestId('timeline-error')).toBeNull();
  });

  it('offers "reset to here" only on entries that have a reset point', () => {
    renderView();
    const entries = screen.getAllByTestId('timeline-entry');
    expect(entries.map((e) => within(e).queryByRole('button', { name: /^Reset to here/ }) !== null)).toEqual([false, true, true, false]);
    cleanup();
    renderView({}, 'zh');
    expect(screen.getAllByRole('button', { name: /^重置到此处/ })).toHaveLength(2);
  });

  it('resets to an entry after a reason is given: the confirm button waits for it', async () => {
    const { onAction } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to here: Rules routed it' }));
    expect(within(dialog()).getByRole('heading').textContent).toBe('Reset to here');
    expect(dialog().textContent).toContain('just before “Rules routed it” (event 8)');
    expect(confirm().disabled).toBe(true);
    typeReason('   ');
    expect(confirm().disabled).toBe(true);
    typeReason('order service is back');
    expect(confirm().disabled).toBe(false);
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenCalledWith({ action: 'reset', body: { reason: 'order service is back', eventId: 8 } });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('retries and checks replay with just a reason', () => {
    const { onAction } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(confirm().disabled).toBe(true);
    typeReason('upstream fixed');
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenLastCalledWith({ action: 'retry', body: { reason: 'upstream fixed' } });
  });

  it('keeps the dialog open with the API error when the action fails', async () => {
    const onAction = vi.fn(() => Promise.reject(new ApiError(409, 'The conversation is not running')));
    renderView({ onAction });
    fireEvent.click(screen.getByRole('button', { name: 'Replay check' }));
    typeReason('after deploy');
    fireEvent.click(confirm());
    expect(await within(dialog()).findByRole('alert')).toHaveProperty('textContent', 'The conversation is not running');
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('reroutes to a queue, an agent, or a flow step from the timeline or typed in', () => {
    const { onAction } = renderView();
    const open = () => fireEvent.click(screen.getByRole('button', { name: 'Reroute' }));
    open();
    typeReason('wrong queue');
    expect(confirm().disabled).toBe(true); // no queue yet
    fireEvent.change(within(dialog()).getByLabelText('Queue'), { target: { value: 'billing' } });
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenLastCalledWith({ action: 'reroute', body: { reason: 'wrong queue', queue: 'billing' } });
  });

  it('reroute: the step select lists the steps in the timeline, plus another typed in', () => {
    const { onAction } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Reroute' }));
    fireEvent.click(within(dialog()).getByRole('radio', { name: 'A flow step' }));
    const select = within(dialog()).getByLabelText('Flow step') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['lookup-order', 'route', 'Another step…']);
    fireEvent.change(select, { target: { value: 'route' } });
    typeReason('run the rules again');
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenLastCalledWith({ action: 'reroute', body: { reason: 'run the rules again', nodeId: 'route' } });
  });

  it('reroute to an agent, or a step that is not in the timeline', () => {
    const { onAction } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Reroute' }));
    fireEvent.click(within(dialog()).getByRole('radio', { name: 'An agent' }));
    fireEvent.change(within(dialog()).getByLabelText('Agent id'), { target: { value: 'agent-7' } });
    typeReason('VIP');
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenLastCalledWith({ action: 'reroute', body: { reason: 'VIP', agentId: 'agent-7' } });

    cleanup();
    const second = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Reroute' }));
    fireEvent.click(within(dialog()).getByRole('radio', { name: 'A flow step' }));
    fireEvent.change(within(dialog()).getByLabelText('Flow step'), { target: { value: '\u0000other' } });
    typeReason('skip the bot');
    expect(confirm().disabled).toBe(true);
    fireEvent.change(within(dialog()).getByLabelText('Step id'), { target: { value: 'handoff' } });
    fireEvent.click(confirm());
    expect(second.onAction).toHaveBeenLastCalledWith({ action: 'reroute', body: { reason: 'skip the bot', nodeId: 'handoff' } });
  });

  it('terminates with an optional message to the customer', () => {
    const { onAction } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Terminate' }));
    typeReason('spam');
    fireEvent.click(confirm());
    expect(onAction).toHaveBeenLastCalledWith({ action: 'terminate', body: { reason: 'spam' } });
    cleanup();
    const second = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Terminate' }));
    fireEvent.change(within(dialog()).getByLabelText('Message to the customer (optional)'), { target: { value: 'Sorry, please write again.' } });
    typeReason('stuck for a day');
    fireEvent.click(confirm());
    expect(second.onAction).toHaveBeenLastCalledWith({ action: 'terminate', body: { reason: 'stuck for a day', message: 'Sorry, please write again.' } });
  });

  it('shows the last action result, with the replay verdict', () => {
    const compatible: ActionResult = {
      workflowId: 'conversation-web-1', action: 'replay-check', ok: true, summary: 'Replayed 14 events', auditId: 'a1',
      replay: { workflowId: 'conversation-web-1', compatible: true },
    };
    renderView({ result: compatible });
    expect(screen.getByTestId('action-result').textContent).toContain('Replayed 14 events');
    expect(screen.getByTestId('replay-result').textContent).toBe('✓ Compatible with the deployed code');
    cleanup();
    const divergent: ActionResult = { ...compatible, ok: false, summary: 'Nondeterminism', replay: { workflowId: 'conversation-web-1', compatible: false, divergence: { eventId: 12, message: 'activity type mismatch' } } };
    renderView({ result: divergent }, 'zh');
    expect(screen.getByTestId('replay-result').textContent).toBe('在事件 12 处不一致：activity type mismatch');
  });

  it('disables the actions while one runs, and reloads on demand', () => {
    const { onReload } = renderView({ busy: true });
    for (const name of ['Retry now', 'Reroute', 'Replay check', 'Terminate']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalledOnce();
  });

  it('renders the raw history only once opened', () => {
    renderView();
    expect(screen.queryByTestId('raw-history-json')).toBeNull();
    const details = screen.getByTestId('raw-history') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(JSON.parse(screen.getByTestId('raw-history-json').textContent!)).toEqual(sampleConversation().history);
  });

  it('collects the step ids for reroute: the current one first, no repeats', () => {
    expect(stepIds(sampleConversation())).toEqual(['lookup-order', 'route']);
  });
});

// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../api';
import { I18nContext, translate, type Lang } from '../i18n';
import type { PendingMessage } from '../transcript';
import { MessageList } from './MessageList';

const CHOICES = [
  { id: '1', label: '1 Very dissatisfied' }, { id: '2', label: '2 Dissatisfied' }, { id: '3', label: '3 Neutral' },
  { id: '4', label: '4 Satisfied' }, { id: '5', label: '5 Very satisfied' },
];

function message(id: string, overrides: Partial<Message> = {}): Message {
  return {
    id, conversationId: 'c1', inboxId: 'demo-webchat', visitorId: 'v1', direction: 'out', author: 'system',
    text: `text ${id}`, at: '2025-01-01T00:00:00.000Z', ...overrides,
  };
}
const survey = message('s1', { kind: 'survey', text: 'Please rate this conversation (1–5)…', choices: CHOICES });

function show(props: { messages: Message[]; pending?: PendingMessage[]; perspective?: 'visitor' | 'agent'; lang?: Lang; onChoose?: (label: string) => void; onRate?: (n: number) => void }) {
  const lang = props.lang ?? 'en';
  const i18n = { lang, setLang: () => undefined, t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params) };
  render(
    <I18nContext value={i18n}>
      <MessageList
        perspective={props.perspective ?? 'visitor'}
        messages={props.messages}
        pending={props.pending}
        label="Transcript"
        emptyText="Empty"
        testId="transcript"
        onChoose={props.onChoose}
        onRate={props.onRate}
      />
    </I18nContext>,
  );
}

afterEach(cleanup);

describe('MessageList: choices, visitor side', () => {
  it('shows the choices as buttons under the message, and a click sends the label', () => {
    const onChoose = vi.fn();
    show({ messages: [survey], onChoose, onRate: vi.fn() });
    const group = screen.getByRole('group', { name: 'Choose an answer' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(CHOICES.map((c) => c.label));
    expect(buttons.every((b) => b.tagName === 'BUTTON' && !b.hasAttribute('disabled') && b.getAttribute('type') === 'button')).toBe(true);
    // The survey is answered with its choices, not with stars as well.
    expect(screen.queryByTestId('survey-star-5')).toBeNull();
    fireEvent.click(within(group).getByRole('button', { name: '5 Very satisfied' }));
    expect(onChoose).toHaveBeenCalledWith('5 Very satisfied');
  });

  it('disables them once the visitor answered, marking the picked one', () => {
    const answer = message('m2', { author: 'visitor', direction: 'in', text: '5 Very satisfied', clientMessageId: 'a' });
    show({ messages: [survey, answer], onChoose: vi.fn() });
    const buttons = within(screen.getByRole('group', { name: 'Choose an answer' })).getAllByRole('button');
    expect(buttons.every((b) => b.hasAttribute('disabled'))).toBe(true);
    const picked = buttons.find((b) => b.classList.contains('chosen'));
    expect(picked?.textContent).toBe('5 Very satisfied (your answer)');
  });

  it('disables them while a typed answer is on its way', () => {
    const typed: PendingMessage = { clientMessageId: 'a', text: 'it was fine', at: '2025-01-01T00:00:01.000Z', state: 'sending' };
    show({ messages: [survey], pending: [typed], onChoose: vi.fn() });
    const buttons = within(screen.getByTestId('choices')).getAllByRole('button');
    expect(buttons.every((b) => b.hasAttribute('disabled') && !b.classList.contains('chosen'))).toBe(true);
  });

  it('labels the group in Chinese in the Chinese console', () => {
    show({ messages: [survey], onChoose: vi.fn(), lang: 'zh' });
    expect(screen.getByRole('group', { name: '选择一个回答' })).toBeTruthy();
  });

  it('keeps the stars for a survey without choices, and shows no buttons for a message without choices', () => {
    show({ messages: [message('s0', { kind: 'survey' }), message('m1', { author: 'bot' })], onChoose: vi.fn(), onRate: vi.fn() });
    expect(screen.getByTestId('survey-star-5')).toBeTruthy();
    expect(screen.queryByTestId('choices')).toBeNull();
  });
});

describe('MessageList: choices, agent side', () => {
  it('shows them as read-only chips with the visitor\'s pick marked', () => {
    const answer = message('m2', { author: 'visitor', direction: 'in', text: '4 Satisfied' });
    show({ messages: [survey, answer], perspective: 'agent' });
    const list = screen.getByRole('list', { name: 'Answers offered to the visitor' });
    expect(within(list).queryAllByRole('button')).toHaveLength(0);
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      ...CHOICES.slice(0, 3).map((c) => c.label), "4 Satisfied (the visitor's answer)", '5 Very satisfied',
    ]);
  });
});

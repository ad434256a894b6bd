// @vitest-environment jsdom
// What web chat shows the visitor: messages adapted to web chat (markdown as
// plain text, pictures shown), and a card drawn whole for the visitor, in
// brief for the agent, its text never taken as markup.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api';
import { MessageList } from '../src/components/MessageList';
import { I18nContext, translate } from '../src/i18n';
import { visitorView } from './visitor-view';

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'c1:out:1', conversationId: 'c1', inboxId: 'demo-webchat', visitorId: 'v1', direction: 'out', author: 'bot',
    text: 'Hello', at: '2025-01-01T00:00:00.000Z', ...overrides,
  };
}
const CARD = {
  title: 'Spring <b>sale</b>', text: '20% off', imageUrl: 'https://img.example/s.png', url: 'https://shop.example/spring',
  buttons: [{ label: 'Buy now', url: 'https://shop.example/buy' }, { label: 'Talk to us' }, { label: 'Bad link', url: 'javascript:alert(1)' }],
};

function show(messages: Message[], perspective: 'visitor' | 'agent', onChoose?: (label: string) => void) {
  const i18n = { lang: 'en' as const, setLang: () => undefined, t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params) };
  render(
    <I18nContext value={i18n}>
      <MessageList perspective={perspective} messages={messages} label="Transcript" emptyText="Empty" testId="transcript" onChoose={onChoose} />
    </I18nContext>,
  );
}

afterEach(cleanup);

describe('visitorView', () => {
  it('shows markdown as plain text and its pictures as pictures; the visitor\'s own messages as they are', () => {
    const view = visitorView(message({ text: 'Our **sizes**:\n![size chart](https://img.example/s.png)' }));
    expect(view).toMatchObject({ text: 'Our sizes:', type: 'image', media: [{ kind: 'image', url: 'https://img.example/s.png', name: 'size chart' }] });
    const own = message({ direction: 'in', author: 'visitor', text: '**not** markdown to me' });
    expect(visitorView(own)).toBe(own);
  });

  it('lists choices the panel cannot hold as buttons in the text', () => {
    const choices = Array.from({ length: 11 }, (_, i) => ({ id: `c${i}`, label: `Option ${i}` }));
    const view = visitorView(message({ text: 'Pick one:', choices }));
    expect(view.choices).toBeNull();
    expect(view.text).toBe(`Pick one:\n\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`);
  });
});

describe('a card in the transcript', () => {
  it('is drawn whole for the visitor: picture, linked title, text and buttons; a button without a link sends its label', () => {
    const onChoose = vi.fn();
    show([visitorView(message({ card: CARD }))], 'visitor', onChoose);
    const card = screen.getByTestId('message-card');
    expect(within(card).getByRole('link', { name: 'Spring <b>sale</b>' }).getAttribute('href')).toBe('https://shop.example/spring');
    expect(card.querySelector('b')).toBeNull();
    expect(card.querySelector('img')?.getAttribute('src')).toBe('https://img.example/s.png');
    expect(within(card).getByText('20% off')).toBeTruthy();
    expect(within(card).getByRole('link', { name: 'Buy now' }).getAttribute('href')).toBe('https://shop.example/buy');
    fireEvent.click(within(card).getByRole('button', { name: 'Talk to us' }));
    expect(onChoose).toHaveBeenCalledWith('Talk to us');
    // A link that is not http(s) is no link.
    expect(within(card).queryByRole('link', { name: 'Bad link' })).toBeNull();
  });

  it('is its title and text for the agent', () => {
    show([message({ card: CARD })], 'agent');
    const card = screen.getByTestId('message-card');
    expect(card.textContent).toBe('Spring <b>sale</b>20% off');
    expect(within(card).queryByRole('link')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from './api';
import {
  addPending,
  emptyTranscript,
  openSurveyId,
  receiveMessages,
  setPendingState,
  surveyAnswers,
  type PendingMessage,
} from './transcript';

function message(id: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'c1',
    inboxId: 'demo-webchat',
    visitorId: 'v1',
    direction: 'out',
    author: 'bot',
    text: `text ${id}`,
    at: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function pending(clientMessageId: string, state: PendingMessage['state'] = 'sending'): PendingMessage {
  return { clientMessageId, text: `pending ${clientMessageId}`, at: '2025-01-01T00:00:00.000Z', state };
}

const fromVisitor = (id: string, clientMessageId: string) =>
  message(id, { author: 'visitor', direction: 'in', clientMessageId });

describe('receiveMessages', () => {
  it('appends server messages in arrival order', () => {
    const t = receiveMessages(emptyTranscript, [message('m1'), message('m2')]);
    expect(t.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('ignores messages already received, as when the stream replays after a reconnect', () => {
    const first = receiveMessages(emptyTranscript, [message('m1'), message('m2')]);
    const replayed = receiveMessages(first, [message('m1'), message('m2'), message('m3')]);
    expect(replayed.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('drops duplicates within one batch', () => {
    const t = receiveMessages(emptyTranscript, [message('m1'), message('m1')]);
    expect(t.messages).toHaveLength(1);
  });

  it('returns the same transcript when nothing is new', () => {
    const t = receiveMessages(emptyTranscript, [message('m1')]);
    expect(receiveMessages(t, [message('m1')])).toBe(t);
  });

  it('replaces the optimistic copy when the server echoes its clientMessageId', () => {
    let t = addPending(emptyTranscript, pending('a'));
    t = addPending(t, pending('b'));
    t = receiveMessages(t, [fromVisitor('m1', 'a')]);
    expect(t.messages.map((m) => m.id)).toEqual(['m1']);
    expect(t.pending.map((p) => p.clientMessageId)).toEqual(['b']);
  });
});

describe('addPending', () => {
  it('does not show a message the server already has', () => {
    const t = receiveMessages(emptyTranscript, [fromVisitor('m1', 'a')]);
    expect(addPending(t, pending('a'))).toBe(t);
  });

  it('replaces an earlier attempt with the same clientMessageId (retry)', () => {
    let t = addPending(emptyTranscript, pending('a', 'failed'));
    t = addPending(t, pending('a', 'sending'));
    expect(t.pending).toEqual([pending('a', 'sending')]);
  });
});

describe('setPendingState', () => {
  it('updates the state of a pending message', () => {
    const t = setPendingState(addPending(emptyTranscript, pending('a')), 'a', 'sent');
    expect(t.pending[0].state).toBe('sent');
  });

  it('ignores messages that were already confirmed', () => {
    const t = receiveMessages(addPending(emptyTranscript, pending('a')), [fromVisitor('m1', 'a')]);
    expect(setPendingState(t, 'a', 'failed')).toBe(t);
  });
});

describe('openSurveyId', () => {
  const survey = message('s1', { kind: 'survey', author: 'system' });

  it('is the last survey message while the visitor has not answered', () => {
    const t = receiveMessages(emptyTranscript, [message('m1'), survey, message('m2', { author: 'system' })]);
    expect(openSurveyId(t)).toBe('s1');
  });

  it('closes once the visitor sent something after the survey', () => {
    const t = receiveMessages(emptyTranscript, [survey, fromVisitor('m2', 'a')]);
    expect(openSurveyId(t)).toBeUndefined();
  });

  it('closes while an answer is on its way', () => {
    const t = addPending(receiveMessages(emptyTranscript, [survey]), pending('a'));
    expect(openSurveyId(t)).toBeUndefined();
  });

  it('is undefined without a survey', () => {
    expect(openSurveyId(receiveMessages(emptyTranscript, [message('m1')]))).toBeUndefined();
  });
});

describe('surveyAnswers', () => {
  const survey = (id: string) => message(id, { kind: 'survey' });
  const said = (id: string, text: string) => message(id, { author: 'visitor', direction: 'in', text });

  it('takes the first visitor message after a survey as its rating', () => {
    const answers = surveyAnswers([survey('s1'), message('m1', { author: 'system' }), said('m2', '5'), said('m3', '2')]);
    expect([...answers]).toEqual([['s1', 5]]);
  });

  it('ignores answers that are not 1 to 5 and unanswered surveys', () => {
    expect(surveyAnswers([survey('s1'), said('m1', 'great'), survey('s2')]).size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from './api';
import {
  addPending,
  captionOf,
  choiceStates,
  emptyTranscript,
  isPlaceholderText,
  messageContent,
  openSurveyId,
  safeUrl,
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

describe('choiceStates', () => {
  const choices = [{ id: '5', label: '5 非常满意' }, { id: '1', label: '1 非常不满意' }];
  const asked = (id: string) => message(id, { kind: 'survey', author: 'system', choices });
  const said = (id: string, text: string) => message(id, { author: 'visitor', direction: 'in', text, clientMessageId: `c-${id}` });

  it('keeps a message with choices open until the visitor says something', () => {
    const t = receiveMessages(emptyTranscript, [message('m1'), asked('s1'), message('m2', { author: 'system' })]);
    expect([...choiceStates(t)]).toEqual([['s1', { open: true }]]);
  });

  it('marks the choice whose label the visitor sent, as a tap sends it', () => {
    const t = receiveMessages(emptyTranscript, [asked('s1'), said('m1', '5 非常满意')]);
    expect(choiceStates(t).get('s1')).toEqual({ open: false, chosenId: '5' });
  });

  it('closes on any later visitor message, typed or picked, without marking a choice for typed text', () => {
    const t = receiveMessages(emptyTranscript, [asked('s1'), said('m1', 'five')]);
    expect(choiceStates(t).get('s1')).toEqual({ open: false });
  });

  it('closes at once while the answer is on its way, so a second tap sends nothing', () => {
    const t = addPending(receiveMessages(emptyTranscript, [asked('s1')]), { ...pending('a'), text: '1 非常不满意' });
    expect(choiceStates(t).get('s1')).toEqual({ open: false, chosenId: '1' });
  });

  it('leaves earlier answered messages answered and opens the newest', () => {
    const t = receiveMessages(emptyTranscript, [asked('s1'), said('m1', '5 非常满意'), asked('s2')]);
    expect([...choiceStates(t)]).toEqual([['s1', { open: false, chosenId: '5' }], ['s2', { open: true }]]);
  });

  it('ignores messages without choices', () => {
    expect(choiceStates(receiveMessages(emptyTranscript, [message('m1', { choices: [] }), message('m2', { choices: null })])).size).toBe(0);
  });
});

describe('message content (the unified message types)', () => {
  const base: Message = { id: 'm', conversationId: 'c', inboxId: 'wx', visitorId: 'v', direction: 'in', author: 'visitor', text: '[图片 Image]', at: '2026-01-01T00:00:00.000Z' };

  it('reads a placeholder as such, and real words as words', () => {
    expect(isPlaceholderText('[图片 Image]')).toBe(true);
    expect(isPlaceholderText(' ')).toBe(true);
    expect(isPlaceholderText('[图片 Image] 这个坏了')).toBe(false);
    expect(isPlaceholderText('查一下订单')).toBe(false);
  });

  it('links only http(s) URLs and our own paths', () => {
    expect(safeUrl('http://mmbiz.qpic.cn/a/0')).toBe('http://mmbiz.qpic.cn/a/0');
    expect(safeUrl('/api/v1/webchat/web/media/m1')).toBe('/api/v1/webchat/web/media/m1');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/x', 'not a url', '', null, undefined]) expect(safeUrl(bad)).toBeUndefined();
  });

  it('an image with a URL is a thumbnail without its placeholder; with a caption, the caption stays', () => {
    const image = { ...base, type: 'image' as const, media: [{ kind: 'image' as const, url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }] };
    const content = messageContent(image);
    expect(content).toEqual({ kind: 'image', media: image.media[0], href: 'http://mmbiz.qpic.cn/a/0' });
    expect(captionOf(image, content)).toBeUndefined();
    expect(captionOf({ ...image, text: '这个坏了' }, content)).toBe('这个坏了');
  });

  it('media only the provider keeps (no URL) keep their text', () => {
    const video = { ...base, type: 'video' as const, text: '[视频 Video]', media: [{ kind: 'video' as const, providerMediaId: 'v1' }] };
    const content = messageContent(video);
    expect(content).toEqual({ kind: 'video', media: video.media[0] });
    expect(captionOf(video, content)).toBe('[视频 Video]');
  });

  it('a voice message shows its transcript and who made it; without one, only the note', () => {
    const voice = { ...base, type: 'voice' as const, text: '查一下订单', transcript: 'provider' as const, media: [{ kind: 'voice' as const, providerMediaId: 'vm' }] };
    expect(messageContent(voice)).toMatchObject({ kind: 'voice', transcript: 'provider' });
    expect(captionOf(voice, messageContent(voice))).toBe('查一下订单');
    const silent = { ...voice, text: '[语音 Voice]', transcript: null };
    expect(messageContent(silent)).not.toHaveProperty('transcript');
    expect(captionOf(silent, messageContent(silent))).toBeUndefined();
  });

  it('a file is a download with its name; a location its label and coordinates; an event a line of its own', () => {
    const file = { ...base, type: 'file' as const, text: '[文件 File]', media: [{ kind: 'file' as const, id: 'f1', url: '/api/v1/webchat/web/media/f1', name: '发票.pdf', size: 52_000 }] };
    expect(messageContent(file)).toMatchObject({ kind: 'file', href: '/api/v1/webchat/web/media/f1', name: '发票.pdf' });
    // Web chat's placeholder names the file: the download link says it already.
    expect(captionOf({ ...file, text: '[文件 File] 发票.pdf' }, messageContent(file))).toBeUndefined();
    expect(captionOf({ ...file, text: '请看发票' }, messageContent(file))).toBe('请看发票');
    const place = { ...base, type: 'location' as const, text: '广州市海珠区', location: { latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' } };
    expect(messageContent(place)).toEqual({ kind: 'location', latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' });
    expect(captionOf(place, messageContent(place))).toBeUndefined();
    const click = { ...base, type: 'event' as const, text: '[菜单 Menu] V1001', event: { name: 'click', key: 'V1001' } };
    expect(messageContent(click)).toEqual({ kind: 'event', event: 'menu', name: 'click', key: 'V1001' });
    expect(messageContent({ ...click, event: { name: 'subscribe' } })).toMatchObject({ event: 'follow' });
    expect(messageContent({ ...click, event: { name: 'unfollow' } })).toMatchObject({ event: 'unfollow' });
    expect(messageContent({ ...click, event: { name: 'view', key: 'https://x' } })).toMatchObject({ event: 'other', name: 'view' });
  });

  it('a text message, or a typed one missing its content, is plain text', () => {
    expect(messageContent({ ...base, text: 'hi' })).toEqual({ kind: 'text' });
    expect(messageContent({ ...base, type: 'image', media: null })).toEqual({ kind: 'text' });
    expect(messageContent({ ...base, type: 'location', location: null })).toEqual({ kind: 'text' });
    expect(captionOf({ ...base, text: 'hi' }, { kind: 'text' })).toBe('hi');
  });
});

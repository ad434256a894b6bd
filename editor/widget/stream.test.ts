// The widget's stream across dropped connections, with a stand-in for the
// browser's EventSource: where each new connection resumes, what reaches the
// page, and when it gives up waiting for the browser.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api';
import { emptyTranscript, receiveMessages } from '../src/transcript';
import { openMessageStream, type StreamState } from './stream';

/** The part of EventSource the stream uses; `emit`, `fail` and `open` play the server and the network. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  private listeners = new Map<string, ((event: unknown) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }

  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  private dispatch(type: string, event: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  open() {
    this.readyState = FakeEventSource.OPEN;
    this.dispatch('open', {});
  }

  emit(type: string, data: unknown, lastEventId = '') {
    this.emitRaw(type, JSON.stringify(data), lastEventId);
  }

  emitRaw(type: string, data: string, lastEventId = '') {
    this.dispatch(type, { data, lastEventId });
  }

  /** A network error: the browser will retry (CONNECTING); or the server refused: it gives up (CLOSED). */
  fail(givesUp: boolean) {
    this.readyState = givesUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.dispatch('error', {});
  }
}

const message = (id: string, text = id): Message => ({
  id, conversationId: 'c1', inboxId: 'demo-webchat', visitorId: 'v1', direction: 'out', author: 'bot', text, at: '2026-01-01T00:00:00.000Z',
});

describe('openMessageStream', () => {
  let received: Message[];
  let typing: boolean[];
  let states: StreamState[];
  const start = () => openMessageStream(
    { url: (after) => `/stream${after ? `?after=${after}` : ''}`, backoffMs: [1_000, 5_000], EventSource: FakeEventSource as unknown as typeof EventSource },
    { onMessage: (m) => received.push(m), onTyping: (t) => typing.push(t.typing), onState: (s) => states.push(s) },
  );
  const latest = () => FakeEventSource.all.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.all = [];
    received = [];
    typing = [];
    states = [];
  });
  afterEach(() => { vi.useRealTimers(); });

  it('hands over messages and typing, and remembers the last message id', () => {
    const stream = start();
    latest().open();
    latest().emit('message', message('m1'), 'm1');
    latest().emit('typing', { from: 'agent', typing: true });
    latest().emit('message', message('m2'), 'm2');
    expect(received.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(typing).toEqual([true]);
    expect(stream.lastEventId).toBe('m2');
    expect(states).toEqual(['open']);
  });

  it('lets the browser retry a network error itself (it sends Last-Event-ID), showing "connecting"', () => {
    start();
    latest().open();
    latest().emit('message', message('m1'), 'm1');
    latest().fail(false);
    expect(states).toEqual(['open', 'connecting']);
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.all).toHaveLength(1);
    latest().open();
    expect(states.at(-1)).toBe('open');
  });

  it('opens a new connection after the last message id once the browser gives up, backing off', () => {
    const stream = start();
    latest().open();
    latest().emit('message', message('m1'), 'm1');
    latest().fail(true);
    expect(states.at(-1)).toBe('closed');
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(latest().url).toBe('/stream?after=m1');
    latest().fail(true);
    vi.advanceTimersByTime(4_999);
    expect(FakeEventSource.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.all).toHaveLength(3);
    latest().fail(true);
    vi.advanceTimersByTime(5_000); // the last pause repeats
    expect(FakeEventSource.all).toHaveLength(4);
    latest().open();
    expect(states.at(-1)).toBe('open');
    expect(FakeEventSource.all.slice(0, -1).every((s) => s.readyState === FakeEventSource.CLOSED)).toBe(true);
    stream.close();
    expect(latest().readyState).toBe(FakeEventSource.CLOSED);
  });

  it('reconnects at once when asked (back online), and not while open', () => {
    const stream = start();
    latest().open();
    stream.reconnectNow();
    expect(FakeEventSource.all).toHaveLength(1);
    latest().emit('message', message('m7'), 'm7');
    latest().fail(true);
    stream.reconnectNow();
    expect(FakeEventSource.all).toHaveLength(2);
    expect(latest().url).toBe('/stream?after=m7');
    vi.advanceTimersByTime(60_000); // the back-off timer was cancelled
    expect(FakeEventSource.all).toHaveLength(2);
  });

  it('shows each message once when a resumed stream repeats what came before it (the transcript drops repeats by id)', () => {
    let transcript = emptyTranscript;
    openMessageStream(
      { url: (after) => `/stream${after ? `?after=${after}` : ''}`, EventSource: FakeEventSource as unknown as typeof EventSource },
      { onMessage: (m) => { transcript = receiveMessages(transcript, [m]); }, onTyping: () => undefined, onState: () => undefined },
    );
    latest().open();
    for (const id of ['m1', 'm2']) latest().emit('message', message(id), id);
    latest().fail(true);
    vi.advanceTimersByTime(1_000);
    // The server reads back a little before m2 (clock slack): m2 comes again, then m3.
    for (const id of ['m2', 'm3']) latest().emit('message', message(id), id);
    expect(transcript.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('ignores what is not JSON, and errors of a connection it already replaced', () => {
    const stream = start();
    const first = latest();
    first.open();
    first.emitRaw('message', 'not json', 'x');
    expect(received).toEqual([]);
    expect(stream.lastEventId).toBeUndefined();
    first.fail(true);
    stream.reconnectNow();
    first.fail(true); // late error of the old one
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.all).toHaveLength(2);
  });
});

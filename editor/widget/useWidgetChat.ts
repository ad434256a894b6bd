// The visitor's side of the widget: which visitor this is (the session), the
// live transcript, sending (retried with the same clientMessageId until the
// server has it, so a message is neither lost nor doubled), uploads, and
// typing both ways.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../src/api';
import { randomId } from '../src/ids';
import { addPending, emptyTranscript, receiveMessages, setPendingState, type PendingMessage, type Transcript } from '../src/transcript';
import { isRetryable, sendMessage, sendTyping, startSession, streamUrl, upload, type Session } from './api';
import { checkFile, placeholderFor, type FileCheck } from './files';
import type { Identity } from './protocol';
import { openMessageStream, type MessageStream, type StreamState } from './stream';

/** Pauses between automatic retries of a send; after the last the message shows "not sent", and is sent again when the stream is back. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000];
/** While the visitor types, "typing" is repeated this often; "stopped" follows this long after the last key. */
const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
/** The agent's "typing" fades after this without news (a lost "stopped"). */
const AGENT_TYPING_TTL_MS = 8_000;

interface Job {
  clientMessageId: string;
  text?: string;
  file?: File;
  type?: string;
  mediaId?: string;
  running: boolean;
}

export interface WidgetChatOptions {
  inboxId: string;
  anonymousId: string;
  identity: Identity | null;
  /** The visitor wrote: tell the host page. */
  onActive?: () => void;
}

export function useWidgetChat({ inboxId, anonymousId, identity, onActive }: WidgetChatOptions) {
  const [session, setSession] = useState<Session | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [transcript, setTranscript] = useState<Transcript>(emptyTranscript);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [agentTyping, setAgentTyping] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fileProblem, setFileProblem] = useState<{ name: string; check: Exclude<FileCheck, { ok: true }> } | null>(null);

  const jobs = useRef(new Map<string, Job>());
  const conversationId = useRef<string | undefined>(undefined);
  const streamRef = useRef<MessageStream | null>(null);
  const live = useRef({ inboxId, anonymousId, identity, session, onActive });
  live.current = { inboxId, anonymousId, identity, session, onActive };

  // Who the visitor is: a valid identity makes them the site's user.
  useEffect(() => {
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const begin = (attempt: number) => {
      startSession(inboxId, anonymousId, identity).then(
        (next) => { if (!cancelled) { setSession((s) => (s && s.visitorId === next.visitorId ? s : next)); setUnavailable(false); } },
        (caught: unknown) => {
          if (cancelled) return;
          if (caught instanceof ApiError && caught.status === 404) setUnavailable(true);
          else if (isRetryable(caught)) retry = setTimeout(() => begin(attempt + 1), RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]);
          else setError(caught);
        },
      );
    };
    begin(0);
    return () => { cancelled = true; clearTimeout(retry); };
  }, [inboxId, anonymousId, identity]);

  const visitorId = session?.visitorId;
  // A verified user's stream carries their signature: a new one (a rotated secret) reconnects.
  const userHash = visitorId?.startsWith('user:') ? identity?.userHash : undefined;

  // The stream of that visitor: the transcript, then live messages and the agent's typing.
  useEffect(() => {
    if (!visitorId) return;
    setTranscript(emptyTranscript);
    setStream('connecting');
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const who = userHash ? { userId: visitorId.slice('user:'.length), userHash } : null;
    const source = openMessageStream({ url: (after) => streamUrl(inboxId, visitorId, who, after) }, {
      onMessage(message) {
        if (message.conversationId) conversationId.current = message.conversationId;
        if (message.author === 'agent') setAgentTyping(false);
        setTranscript((current) => receiveMessages(current, [message]));
      },
      onTyping({ typing }) {
        clearTimeout(typingTimer);
        setAgentTyping(typing);
        if (typing) typingTimer = setTimeout(() => setAgentTyping(false), AGENT_TYPING_TTL_MS);
      },
      onState: setStream,
    });
    streamRef.current = source;
    // Back online, or back on the page: do not wait for the back-off.
    const wake = () => { if (document.visibilityState === 'visible') source.reconnectNow(); };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
    return () => {
      source.close();
      clearTimeout(typingTimer);
      streamRef.current = null;
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
    };
  }, [inboxId, visitorId, userHash]);

  /** Delivers a job: uploads its file (once), then posts the message, retrying what may succeed later. */
  const run = useCallback(async (job: Job) => {
    if (job.running) return;
    job.running = true;
    setTranscript((current) => setPendingState(current, job.clientMessageId, 'sending'));
    try {
      for (let attempt = 0; ; attempt++) {
        const { inboxId: inbox, anonymousId: anonymous, identity: who, session: current } = live.current;
        try {
          if (job.file && !job.mediaId) {
            job.mediaId = (await upload(inbox, current?.visitorId ?? anonymous, who, job.file, job.type!)).mediaId;
          }
          const sent = await sendMessage(inbox, anonymous, who, { clientMessageId: job.clientMessageId, ...(job.text ? { text: job.text } : {}), ...(job.mediaId ? { media: [job.mediaId] } : {}) });
          conversationId.current = sent.conversationId;
          jobs.current.delete(job.clientMessageId);
          setTranscript((t) => setPendingState(t, job.clientMessageId, 'sent'));
          live.current.onActive?.();
          return;
        } catch (caught) {
          if (!isRetryable(caught) || attempt >= RETRY_DELAYS_MS.length) {
            setTranscript((t) => setPendingState(t, job.clientMessageId, 'failed'));
            if (!isRetryable(caught)) { jobs.current.delete(job.clientMessageId); setError(caught); }
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
        }
      }
    } finally {
      job.running = false;
    }
  }, []);

  // The connection is back: what did not go out goes now, with the same ids.
  useEffect(() => {
    if (stream !== 'open') return;
    for (const job of jobs.current.values()) void run(job);
  }, [stream, run]);

  const typing = useRef({ sentAt: 0, idle: undefined as ReturnType<typeof setTimeout> | undefined });
  const announceTyping = useCallback((on: boolean) => {
    const { inboxId: inbox, identity: who, session: current } = live.current;
    const conversation = conversationId.current;
    if (!current || !conversation) return; // nobody to tell before the first message
    sendTyping(inbox, current.visitorId, who, on, conversation).catch(() => undefined);
  }, []);

  /** Call on every change of the draft. */
  const noteTyping = useCallback(() => {
    const state = typing.current;
    const now = Date.now();
    if (now - state.sentAt > TYPING_REPEAT_MS) {
      state.sentAt = now;
      announceTyping(true);
    }
    clearTimeout(state.idle);
    state.idle = setTimeout(() => { state.sentAt = 0; announceTyping(false); }, TYPING_IDLE_MS);
  }, [announceTyping]);

  const stopTyping = useCallback(() => {
    const state = typing.current;
    clearTimeout(state.idle);
    if (state.sentAt) announceTyping(false);
    state.sentAt = 0;
  }, [announceTyping]);

  const enqueue = useCallback((job: Omit<Job, 'running'>, shown: string) => {
    const full: Job = { ...job, running: false };
    jobs.current.set(job.clientMessageId, full);
    setTranscript((current) => addPending(current, { clientMessageId: job.clientMessageId, text: shown, at: new Date().toISOString(), state: 'sending' }));
    void run(full);
  }, [run]);

  const send = useCallback((text: string) => {
    stopTyping();
    enqueue({ clientMessageId: randomId(), text }, text);
  }, [enqueue, stopTyping]);

  const sendFiles = useCallback((files: readonly File[]) => {
    const limits = live.current.session?.uploads;
    if (!limits) return;
    setFileProblem(null);
    for (const file of files) {
      const check = checkFile(file, limits);
      if (!check.ok) { setFileProblem({ name: file.name, check }); continue; }
      enqueue({ clientMessageId: randomId(), file, type: check.type }, placeholderFor(check.kind, file.name));
    }
  }, [enqueue]);

  /** "Retry" on a message that did not go out. */
  const retry = useCallback((message: PendingMessage) => {
    const job = jobs.current.get(message.clientMessageId) ?? { clientMessageId: message.clientMessageId, text: message.text, running: false };
    jobs.current.set(job.clientMessageId, job);
    void run(job);
  }, [run]);

  const dismissError = useCallback(() => { setError(null); setFileProblem(null); }, []);

  return { session, unavailable, transcript, stream, agentTyping, error, fileProblem, dismissError, send, sendFiles, retry, noteTyping };
}

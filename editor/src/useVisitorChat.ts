import { useCallback, useEffect, useState } from 'react';
import { getVisitorMessages, sendVisitorMessage, visitorStreamUrl, type Message } from './api';
import { randomId } from './ids';
import { addPending, emptyTranscript, receiveMessages, setPendingState, type Transcript } from './transcript';

export type StreamState = 'connecting' | 'open' | 'closed';

/**
 * The visitor's side of one web chat: the live transcript (from the SSE
 * stream, which replays history on every connect) and sending messages.
 */
export function useVisitorChat(inboxId: string, visitorId: string) {
  const [transcript, setTranscript] = useState<Transcript>(emptyTranscript);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const source = new EventSource(visitorStreamUrl(inboxId, visitorId));
    source.addEventListener('open', () => setStream('open'));
    source.addEventListener('message', (event) => {
      const message = JSON.parse(event.data as string) as Message;
      setTranscript((current) => receiveMessages(current, [message]));
    });
    source.addEventListener('error', () => {
      // While CONNECTING the browser retries by itself (sending Last-Event-ID).
      if (source.readyState !== EventSource.CLOSED) {
        setStream('connecting');
        return;
      }
      // The server refused the stream: fetch the transcript to show it and learn why.
      setStream('closed');
      getVisitorMessages(inboxId, visitorId).then(
        ({ messages }) => setTranscript((current) => receiveMessages(current, messages)),
        setError,
      );
    });
    return () => source.close();
  }, [inboxId, visitorId, attempt]);

  const reconnect = useCallback(() => {
    setStream('connecting');
    setAttempt((n) => n + 1);
  }, []);

  /** Sends a message, shown at once; retrying with the same clientMessageId is safe. */
  const send = useCallback(
    async (text: string, clientMessageId: string = randomId()) => {
      setTranscript((current) =>
        addPending(current, { clientMessageId, text, at: new Date().toISOString(), state: 'sending' }),
      );
      try {
        await sendVisitorMessage(inboxId, { visitorId, clientMessageId, text });
        setTranscript((current) => setPendingState(current, clientMessageId, 'sent'));
      } catch (caught) {
        setTranscript((current) => setPendingState(current, clientMessageId, 'failed'));
        setError(caught);
      }
    },
    [inboxId, visitorId],
  );

  const dismissError = useCallback(() => setError(null), []);

  return { transcript, stream, error, dismissError, send, reconnect };
}

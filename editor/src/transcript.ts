// Pure state of the visitor's chat transcript: messages confirmed by the
// server plus the visitor's own messages that are still on their way.
import type { Message } from './api';

export type PendingState = 'sending' | 'sent' | 'failed';

/** A message the visitor sent that the server has not echoed back yet. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  at: string;
  state: PendingState;
}

export interface Transcript {
  /** Server messages, unique by id, in arrival order. */
  messages: Message[];
  pending: PendingMessage[];
}

export const emptyTranscript: Transcript = { messages: [], pending: [] };

/**
 * Adds messages from the server (stream replay, live events or a fetched
 * transcript). Messages already known by id are ignored, and each pending
 * message whose clientMessageId comes back is replaced by the server's copy.
 */
export function receiveMessages(transcript: Transcript, incoming: readonly Message[]): Transcript {
  const known = new Set(transcript.messages.map((m) => m.id));
  const fresh = incoming.filter((m) => {
    if (known.has(m.id)) return false;
    known.add(m.id);
    return true;
  });
  if (fresh.length === 0) return transcript;
  const confirmed = new Set(fresh.map((m) => m.clientMessageId));
  return {
    messages: [...transcript.messages, ...fresh],
    pending: transcript.pending.filter((p) => !confirmed.has(p.clientMessageId)),
  };
}

/** Shows a message being sent (or sent again, for a retry); ignored once the server has it. */
export function addPending(transcript: Transcript, message: PendingMessage): Transcript {
  if (transcript.messages.some((m) => m.clientMessageId === message.clientMessageId)) return transcript;
  const others = transcript.pending.filter((p) => p.clientMessageId !== message.clientMessageId);
  return { ...transcript, pending: [...others, message] };
}

export function setPendingState(transcript: Transcript, clientMessageId: string, state: PendingState): Transcript {
  if (!transcript.pending.some((p) => p.clientMessageId === clientMessageId)) return transcript;
  return {
    ...transcript,
    pending: transcript.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, state } : p)),
  };
}

/**
 * The id of the survey message the visitor can still answer: the last survey
 * message, when the visitor has sent nothing since it.
 */
export function openSurveyId(transcript: Transcript): string | undefined {
  if (transcript.pending.length > 0) return undefined;
  for (let i = transcript.messages.length - 1; i >= 0; i--) {
    const message = transcript.messages[i];
    if (message.author === 'visitor') return undefined;
    if (message.kind === 'survey') return message.id;
  }
  return undefined;
}

/** The star rating the visitor gave to each answered survey message, by survey message id. */
export function surveyAnswers(messages: readonly Message[]): Map<string, number> {
  const answers = new Map<string, number>();
  let surveyId: string | undefined;
  for (const message of messages) {
    if (message.kind === 'survey') {
      surveyId = message.id;
    } else if (message.author === 'visitor' && surveyId) {
      if (/^[1-5]$/.test(message.text.trim())) answers.set(surveyId, Number(message.text.trim()));
      surveyId = undefined;
    }
  }
  return answers;
}

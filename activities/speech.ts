// Speech recognition for voice messages that arrive without a transcript.
// Channels that recognise speech themselves (WeChat's Recognition) give the
// transcript as the message text; for the rest, normalizeMessage asks the
// recognizer plugged in here (ActivityDeps.speech, activities/index.ts). None
// is configured by default: the voice message then keeps its placeholder
// text ("[语音 Voice]") and the agent sees a voice message with its media.

/** The recording to transcribe: a URL, or the provider's media id to fetch it through the channel's API. */
export interface SpeechAudio {
  url?: string;
  providerMediaId?: string;
  mime?: string;
  inboxId: string;
  channel: string;
}

export interface SpeechTranscript {
  text: string;
  language?: 'zh' | 'en';
}

/**
 * Turns a recording into text; undefined when it heard nothing. It runs inside
 * the normalize step, which has a 15 s budget per attempt: a recognizer that
 * throws or takes longer than SPEECH_TIMEOUT_MS is given up on (the message
 * keeps its placeholder), never retried, so a broken recognizer cannot stall
 * a conversation.
 */
export type SpeechRecognizer = (audio: SpeechAudio) => Promise<SpeechTranscript | undefined>;

export const SPEECH_TIMEOUT_MS = 8_000;

/** The recognizer's transcript, or undefined when there is none, it failed, or it took too long. */
export async function transcribe(
  recognize: SpeechRecognizer,
  audio: SpeechAudio,
  opts: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<SpeechTranscript | undefined> {
  const log = opts.log ?? ((line: string) => console.error(`[huiliu] ${line}`));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? SPEECH_TIMEOUT_MS); });
  try {
    const result = await Promise.race([recognize(audio), timeout]);
    if (result === 'timeout') {
      log(`speech recognition of a ${audio.channel} voice message took too long; it keeps its placeholder`);
      return undefined;
    }
    const text = typeof result?.text === 'string' ? result.text.normalize('NFC').trim() : '';
    if (!text) return undefined;
    return { text, ...(result?.language === 'zh' || result?.language === 'en' ? { language: result.language } : {}) };
  } catch (err) {
    log(`speech recognition of a ${audio.channel} voice message failed: ${(err as Error).message}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

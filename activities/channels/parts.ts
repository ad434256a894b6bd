// A provider message has a length limit, so one of ours may go out as several.
// Which parts went out is recorded on the stored message, so a retried send
// (after a crash, in another worker) never sends a part twice.
import type { Delivery, OutboundToSend } from './index';

/**
 * Sends a message's parts in order, from the first one not sent yet, recording
 * each one the provider took (the last is recorded with the delivery itself).
 * A refusal (`refused`) is a failed delivery; anything else throws, and the
 * step's retry goes on from the part it reached.
 */
export async function sendInParts<P>(
  msg: OutboundToSend, parts: readonly P[], sendPart: (part: P, index: number) => Promise<void>, refused: (err: unknown) => boolean,
): Promise<Delivery> {
  try {
    for (let i = msg.partsSent ?? 0; i < parts.length; i++) {
      await sendPart(parts[i]!, i);
      if (i + 1 < parts.length) await msg.recordPartsSent?.(i + 1);
    }
    return { status: 'sent' };
  } catch (err) {
    if (!refused(err)) throw err;
    return { status: 'failed', error: (err as Error).message };
  }
}

import { describe, expect, it, vi } from 'vitest';
import { transcribe, type SpeechRecognizer } from './speech';

const audio = { inboxId: 'wx', channel: 'wechat', providerMediaId: 'vm-1', mime: 'audio/amr' };

describe('transcribe', () => {
  it('gives the recognizer\'s text, trimmed, with its language when it names one', async () => {
    const recognize = vi.fn<SpeechRecognizer>(async () => ({ text: ' 查一下订单 ', language: 'zh' }));
    expect(await transcribe(recognize, audio)).toEqual({ text: '查一下订单', language: 'zh' });
    expect(recognize).toHaveBeenCalledWith(audio);
  });

  it('drops a language it does not know', async () => {
    expect(await transcribe(async () => ({ text: 'bonjour', language: 'fr' as never }), audio)).toEqual({ text: 'bonjour' });
  });

  it('is undefined when the recognizer heard nothing', async () => {
    expect(await transcribe(async () => undefined, audio)).toBeUndefined();
    expect(await transcribe(async () => ({ text: ' ' }), audio)).toBeUndefined();
  });

  it('is undefined, logged, when the recognizer throws', async () => {
    const log = vi.fn();
    expect(await transcribe(async () => { throw new Error('quota exceeded'); }, audio, { log })).toBeUndefined();
    expect(log).toHaveBeenCalledWith('speech recognition of a wechat voice message failed: quota exceeded');
  });

  it('gives up on a recognizer that takes too long', async () => {
    const log = vi.fn();
    const started = Date.now();
    expect(await transcribe(() => new Promise<never>(() => {}), audio, { timeoutMs: 50, log })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(log.mock.calls[0]?.[0]).toMatch(/took too long/);
  });
});

import { describe, expect, it } from 'vitest';
import { detectLanguage, validateUnifiedMessage } from './unified-message';

describe('detectLanguage', () => {
  it('is Chinese with any ideograph, English with Latin letters, else the language so far', () => {
    expect(detectLanguage('我要退货 please', 'en')).toBe('zh');
    expect(detectLanguage('refund please', 'zh')).toBe('en');
    expect(detectLanguage('5', 'zh')).toBe('zh');
    expect(detectLanguage('👍', 'en')).toBe('en');
  });
});

describe('the unified message schema', () => {
  const message = {
    id: 'webchat:i:v:c', conversationId: 'c', inboxId: 'i', channel: 'webchat', visitorId: 'v', direction: 'in', author: 'visitor',
    type: 'text', text: '你好', language: 'zh', providerMessageId: 'v:c', at: '2026-11-27T10:00:00.000Z',
  };
  it('accepts a web chat text message', () => {
    expect(validateUnifiedMessage(message)).toBe(true);
  });
  it('names what is wrong', () => {
    expect(validateUnifiedMessage({ ...message, language: 'fr', extra: 1 })).toBe(false);
    expect(validateUnifiedMessage.errors?.map((e) => e.instancePath || e.params)).toEqual([{ additionalProperty: 'extra' }, '/language']);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultFlow } from './default-flow';
import { compileRules } from './evaluate';
import { findNode, nextNodeId, startNodeId, type RulesNodeParameters } from './flow';

const route = compileRules(findNode(defaultFlow, 'route').parameters as unknown as RulesNodeParameters);
const facts = (text: string, answered: boolean) => ({
  message: { text, type: 'text', language: 'zh' },
  bot: { answered, confidence: answered ? 1 : 0 },
  conversation: { channel: 'webchat', inboxId: 'i', status: 'bot' },
});

describe('default routing rules', () => {
  it('queues a visitor who asks for a person, in Chinese or English, any width or case', async () => {
    for (const text of ['转人工', '我要人工服务', 'I want a HUMAN', 'ａｇｅｎｔ please']) {
      expect(await route(facts(text, true))).toEqual({ handle: 'queue', fired: ['asks-for-agent'] });
    }
  });

  it('queues when the bot had no answer, and ends when it answered', async () => {
    expect(await route(facts('发票怎么开', false))).toEqual({ handle: 'queue', fired: ['bot-could-not-answer'] });
    expect(await route(facts('发票怎么开', true))).toEqual({ handle: 'end', fired: [] });
  });

  it('takes the highest-priority rule when several fire, also on a second run of the same engine', async () => {
    expect(await route(facts('人工', false))).toEqual({ handle: 'queue', fired: ['asks-for-agent', 'bot-could-not-answer'] });
    expect(await route(facts('hello', true))).toEqual({ handle: 'end', fired: [] });
    expect(await route(facts('人工', false))).toEqual({ handle: 'queue', fired: ['asks-for-agent', 'bot-could-not-answer'] });
  });

  it('rejects a rule over an unknown fact instead of silently not firing', async () => {
    const rules = [{ conditions: { all: [{ fact: 'mesage', operator: 'equal', value: 1 }] }, event: { type: 'x' } }];
    await expect(compileRules({ rules, defaultHandle: 'end' })(facts('hi', true))).rejects.toThrow(/Undefined fact: mesage/);
  });
});

describe('flow navigation', () => {
  it('follows handles from the start node and ends on an unconnected handle', () => {
    expect(startNodeId(defaultFlow)).toBe('start');
    expect(nextNodeId(defaultFlow, 'route', 'queue')).toBe('queue');
    expect(nextNodeId(defaultFlow, 'close', 'next')).toBeUndefined();
    expect(() => findNode(defaultFlow, 'nope')).toThrow(/no node "nope"/);
  });
});

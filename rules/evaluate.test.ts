import type { RuleProperties } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { defaultFlow } from './default-flow';
import { compileRules, parsePath, ruleFacts } from './evaluate';
import { findNode, nextNodeId, startNodeId, type RulesNodeParameters } from './flow';

const route = compileRules(findNode(defaultFlow, 'route').parameters as unknown as RulesNodeParameters);
const facts = (text: string, answered: boolean) => ({
  message: { text, type: 'text', language: 'zh' },
  bot: { answered, confidence: answered ? 1 : 0 },
  conversation: { channel: 'webchat', inboxId: 'i', status: 'bot' },
});
const decide = (rules: unknown[], known: Record<string, unknown>, defaultHandle = 'end') =>
  compileRules({ rules: rules as RuleProperties[], defaultHandle })(known);

describe('default routing rules', () => {
  it('queues a visitor who asks for a person, in Chinese or English, any width or case', () => {
    for (const text of ['转人工', '我要人工服务', 'I want a HUMAN', 'ａｇｅｎｔ please']) {
      expect(route(facts(text, true))).toMatchObject({ handle: 'queue', fired: ['asks-for-agent'] });
    }
  });

  it('queues when the bot had no answer, and ends when it answered', () => {
    expect(route(facts('发票怎么开', false))).toMatchObject({ handle: 'queue', fired: ['bot-could-not-answer'] });
    expect(route(facts('发票怎么开', true))).toMatchObject({ handle: 'end', fired: [] });
  });

  it('takes the highest-priority rule when several fire, also on a second run of the same evaluator', () => {
    expect(route(facts('人工', false))).toMatchObject({ handle: 'queue', fired: ['asks-for-agent', 'bot-could-not-answer'] });
    expect(route(facts('hello', true))).toMatchObject({ handle: 'end', fired: [] });
    expect(route(facts('人工', false))).toMatchObject({ handle: 'queue', fired: ['asks-for-agent', 'bot-could-not-answer'] });
  });

  it('rejects a rule over an unknown fact instead of silently not firing', () => {
    const rules = [{ conditions: { all: [{ fact: 'mesage', operator: 'equal', value: 1 }] }, event: { type: 'x' } }];
    expect(() => decide(rules, facts('hi', true))).toThrow(/Undefined fact: mesage/);
  });
});

describe('compiled rules decide like json-rules-engine', () => {
  const rule = (name: string, conditions: unknown, type = name, priority?: number) => ({ name, priority, conditions, event: { type } });

  it('breaks priority ties by the order the analyst gave', () => {
    const rules = [rule('a', { all: [] }, 'first', 2), rule('b', { all: [] }, 'second', 2), rule('c', { all: [] }, 'low', 1)];
    expect(decide(rules, {})).toMatchObject({ handle: 'first', fired: ['a', 'b', 'c'] });
  });

  it('holds on empty all and any lists, as the engine does', () => {
    expect(decide([rule('any', { any: [] })], {}).handle).toBe('any');
  });

  it('skips a lower-priority condition group once a higher one decides, so its undefined fact does not throw', () => {
    const conditions = { all: [{ fact: 'a', operator: 'equal', value: 1, priority: 5 }, { fact: 'missing', operator: 'equal', value: 1 }] };
    expect(decide([rule('r', conditions)], { a: 2 }).fired).toEqual([]);
    expect(() => decide([rule('r', conditions)], { a: 1 })).toThrow(/Undefined fact: missing/);
  });

  it('compares the whole fact when a path meets a non-object, and follows own properties only', () => {
    const byPath = (path: string, value: unknown) => rule('r', { all: [{ fact: 'f', path, operator: 'equal', value }] });
    expect(decide([byPath('$.x', 5)], { f: 5 }).fired).toEqual(['r']);
    expect(decide([byPath('$.a[1].b', 'y')], { f: { a: [{}, { b: 'y' }] } }).fired).toEqual(['r']);
    expect(decide([byPath('$.text.length', 3)], { f: { text: 'abc' } }).fired).toEqual(['r']);
    expect(decide([byPath('$.constructor', undefined)], { f: {} }).fired).toEqual(['r']);
  });

  it('compares against another fact when the value names one', () => {
    const rules = [rule('r', { all: [{ fact: 'conversation', path: '$.waitSeconds', operator: 'greaterThan', value: { fact: 'limits', path: '$.wait' } }] })];
    expect(decide(rules, { conversation: { waitSeconds: 90 }, limits: { wait: 60 } }).fired).toEqual(['r']);
    expect(() => decide(rules, { conversation: { waitSeconds: 90 } })).toThrow(/Undefined fact: limits/);
  });

  it('refuses at compile time what it cannot run: unknown operators, shared conditions, other path syntax', () => {
    expect(() => decide([rule('r', { all: [{ fact: 'f', operator: 'like', value: 1 }] })], {})).toThrow(/Unknown operator: like/);
    expect(() => decide([rule('r', { condition: 'shared' })], {})).toThrow(/shared condition references/);
    expect(() => decide([rule('r', { all: [{ fact: 'f', path: '$..x', operator: 'equal', value: 1 }] })], {})).toThrow(/unsupported path/);
    expect(() => decide([rule('r', { all: [] }, 'x', -1)], {})).toThrow(/Priority must be greater than zero/);
  });

  it('takes now from the time fact for withinLastMinutes, and needs that fact', () => {
    const rules = [rule('recent', { all: [{ fact: 'order', path: '$.at', operator: 'withinLastMinutes', value: 30 }] })];
    const now = Date.UTC(2026, 0, 5, 8);
    expect(decide(rules, { order: { at: now - 10 * 60_000 }, time: { now } }).fired).toEqual(['recent']);
    expect(decide(rules, { order: { at: now - 40 * 60_000 }, time: { now } }).fired).toEqual([]);
    expect(() => decide(rules, { order: { at: now } })).toThrow(/Undefined fact: time/);
  });
});

describe('explanations', () => {
  const known = { message: { text: 'hello', language: 'en' }, contact: { vip: false, tags: ['new'] } };

  it('names the first failing child of all, with both sides as compared', () => {
    const rules = [{
      name: 'vip-english', conditions: { all: [
        { fact: 'message', path: '$.language', operator: 'equal', value: 'en' },
        { fact: 'contact', path: '$.vip', operator: 'equal', value: true },
        { fact: 'contact', path: '$.tags', operator: 'contains', value: 'gold' },
      ] }, event: { type: 'vip' },
    }];
    expect(decide(rules, known).rules).toEqual([{
      name: 'vip-english', priority: 1, event: { type: 'vip' }, fired: false,
      failed: [{ pointer: '/conditions/all/1', fact: 'contact', path: '$.vip', operator: 'equal', value: true, factValue: false }],
    }]);
  });

  it('names every child of a failed any and the child that held under not', () => {
    const rules = [{
      name: 'upset', conditions: { all: [
        { any: [
          { fact: 'message', path: '$.text', operator: 'containsAny', value: ['投诉', 'angry'] },
          { fact: 'contact', path: '$.vip', operator: 'equal', value: true },
        ] },
      ] }, event: { type: 'priority' },
    }, {
      name: 'not-new', conditions: { not: { fact: 'contact', path: '$.tags', operator: 'contains', value: 'new' } }, event: { type: 'old' },
    }];
    const [upset, notNew] = decide(rules, known).rules;
    expect(upset.failed?.map((f) => f.pointer)).toEqual(['/conditions/all/0/any/0', '/conditions/all/0/any/1']);
    expect(notNew.failed).toEqual([{ pointer: '/conditions/not', fact: 'contact', path: '$.tags', operator: 'contains', value: 'new', factValue: ['new'] }]);
  });

  it('leaves failed out for rules that fired and lists rules in the analyst order', () => {
    const rules = [
      { name: 'low', priority: 1, conditions: { all: [] }, event: { type: 'a' } },
      { name: 'high', priority: 9, conditions: { all: [] }, event: { type: 'b', params: { why: 'x' } } },
    ];
    const outcome = decide(rules, {});
    expect(outcome.fired).toEqual(['high', 'low']);
    expect(outcome.rules).toEqual([
      { name: 'low', priority: 1, event: { type: 'a' }, fired: true },
      { name: 'high', priority: 9, event: { type: 'b', params: { why: 'x' } }, fired: true },
    ]);
  });
});

describe('paths and the facts rules use', () => {
  it('parses only $.a, $.a.b and $.a[0] forms', () => {
    expect(parsePath('$.orders[0].status')).toEqual([{ key: 'orders', index: false }, { key: '0', index: true }, { key: 'status', index: false }]);
    expect(parsePath('$.attributes.会员等级')).toEqual([{ key: 'attributes', index: false }, { key: '会员等级', index: false }]);
    for (const path of ['$', 'text', '$..x', '$.a[*]', "$['a']", '$.a[-1]', '$.a[?(@.b)]', '$.a.', '$.a,b']) expect(parsePath(path)).toBeUndefined();
  });

  it('collects facts from conditions and fact-valued values, and time for time-relative operators', () => {
    const rules = [
      { conditions: { any: [{ fact: 'queue', path: '$.waiting', operator: 'greaterThan', value: { fact: 'limits', path: '$.q' } }] }, event: { type: 'a' } },
      { conditions: { not: { fact: 'contact', path: '$.lastOrderAt', operator: 'withinLastMinutes', value: 5 } }, event: { type: 'b' } },
    ] as RuleProperties[];
    expect([...ruleFacts(rules)].sort()).toEqual(['contact', 'limits', 'queue', 'time']);
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

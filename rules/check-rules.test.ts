import type { RuleProperties } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { checkRules, type RuleIssue } from './check-rules';
import { compileRules } from './evaluate';
import { factsCatalog, type FactDefinition } from './facts';

const orderFact: FactDefinition = {
  fact: 'order',
  description: { zh: '订单查询结果', en: 'Order lookup result' },
  properties: { status: { type: 'string', description: { zh: '状态', en: 'Status' } } },
};
const ctx = { facts: [...factsCatalog, orderFact] };
const check = (rules: unknown) => checkRules(rules, ctx);
const rule = (conditions: unknown, extra: Record<string, unknown> = {}) => ({ name: 'r1', conditions, event: { type: 'queue' }, ...extra });
const leaf = (fact: string, path: string | undefined, operator: string, value: unknown) => ({ fact, path, operator, value });
const only = (issues: RuleIssue[]) => {
  expect(issues).toHaveLength(1);
  return issues[0];
};

describe('checkRules accepts', () => {
  it('realistic rules over catalog facts and provided facts, which then compile', () => {
    const rules = [
      rule({ all: [
        leaf('message', '$.text', 'containsAny', ['投诉', 'complain']),
        { any: [leaf('contact', '$.vip', 'equal', true), leaf('contact', '$.segments', 'inSegment', ['gold', 'platinum'])] },
        { not: leaf('time', undefined, 'inBusinessHours', { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }) },
      ] }, { priority: 10 }),
      rule({ any: [
        leaf('conversation', '$.status', 'in', ['bot', 'queued']),
        leaf('contact', '$.orders[0].createdAt', 'withinLastMinutes', 30),
        leaf('contact', '$.attributes.会员等级', 'greaterThanInclusive', 3),
        leaf('message', '$.text.length', 'greaterThan', 200),
        leaf('queue', '$.waiting', 'greaterThan', { fact: 'queue', path: '$.agentsAvailable' }),
        leaf('order', '$.status', 'equal', 'shipped'),
        leaf('message', '$.text', 'matchesPattern', '^\\d{11}$'),
      ] }, { name: 'r2' }),
    ];
    expect(check(rules)).toEqual([]);
    expect(() => compileRules({ rules: rules as unknown as RuleProperties[], defaultHandle: 'end' })).not.toThrow();
  });
});

describe('checkRules reports structure', () => {
  it('a rules value that is not a list', () => {
    expect(only(check({})).pointer).toBe('');
  });

  it('a rule without conditions or event, naming the rule', () => {
    const issues = check([{ name: 'vip', event: { type: 'queue' } }, { name: 'x', conditions: { all: [] } }]);
    expect(issues.map((i) => [i.pointer, i.code])).toEqual([['/0/conditions', 'bad-rule'], ['/1/event', 'bad-rule']]);
    expect(issues[0].message).toEqual({ zh: '规则「vip」：缺少条件（conditions）', en: 'Rule "vip": the conditions are missing' });
  });

  it('an event type that cannot be a handle id', () => {
    for (const type of [undefined, '', 'to queue', 'a'.repeat(65), 7]) {
      const issue = only(check([{ conditions: { all: [] }, event: { type } }]));
      expect(issue).toMatchObject({ pointer: '/0/event/type', code: 'bad-rule' });
      expect(issue.message.en).toMatch(/^Rule "#1": the event type names the outgoing handle/);
    }
  });

  it('a bad priority, a root without all/any/not, a condition with two of them, all that is no list, not that is a list', () => {
    expect(only(check([rule({ all: [] }, { priority: 0 })])).pointer).toBe('/0/priority');
    expect(only(check([rule(leaf('message', '$.text', 'equal', 'x'))])).pointer).toBe('/0/conditions');
    expect(only(check([rule({ all: [], any: [] })])).message.en).toMatch(/has all, any/);
    expect(only(check([rule({ all: {} })])).pointer).toBe('/0/conditions/all');
    expect(only(check([rule({ not: [] })])).pointer).toBe('/0/conditions/not');
  });

  it('shared condition references as unsupported', () => {
    expect(only(check([rule({ all: [{ condition: 'isVip' }] })]))).toMatchObject({ pointer: '/0/conditions/all/0/condition', code: 'bad-rule' });
    expect(only(check([rule({ condition: 'isVip' })])).message.en).toMatch(/shared condition references/);
  });
});

describe('checkRules reports facts and paths', () => {
  it('an unknown fact, on either side, with the known ones', () => {
    const issue = only(check([rule({ all: [leaf('mesage', '$.text', 'equal', 'x')] })]));
    expect(issue).toMatchObject({ pointer: '/0/conditions/all/0/fact', code: 'unknown-fact' });
    expect(issue.message.en).toBe('Rule "r1": unknown fact "mesage" (known: message, contact, conversation, time, queue, order)');
    expect(only(check([rule({ all: [leaf('queue', '$.waiting', 'greaterThan', { fact: 'limits' })] })])).pointer).toBe('/0/conditions/all/0/value/fact');
  });

  it('an unknown property, and a path that goes into a scalar', () => {
    const issue = only(check([rule({ any: [{ not: leaf('contact', '$.vipp', 'equal', true) }] })]));
    expect(issue).toMatchObject({ pointer: '/0/conditions/any/0/not/path', code: 'unknown-property' });
    expect(issue.message.en).toMatch(/no property "vipp" \(known: id, name, attributes/);
    expect(only(check([rule({ all: [leaf('contact', '$.vip.x', 'equal', true)] })]))).toMatchObject({ code: 'unknown-property' });
    expect(only(check([rule({ all: [leaf('contact', '$[0]', 'equal', true)] })]))).toMatchObject({ code: 'unknown-property' });
  });

  it('path syntax other than $.a, $.a.b, $.a[0]', () => {
    for (const path of ['text', '$..text', '$.orders[*].id', "$['text']", 5]) {
      expect(only(check([rule({ all: [leaf('message', path as string, 'equal', 'x')] })]))).toMatchObject({ pointer: '/0/conditions/all/0/path', code: 'bad-path' });
    }
  });
});

describe('checkRules reports operators and values', () => {
  it('an unknown operator', () => {
    const issue = only(check([rule({ all: [leaf('message', '$.text', 'like', 'x')] })]));
    expect(issue).toMatchObject({ pointer: '/0/conditions/all/0/operator', code: 'unknown-operator' });
    expect(issue.message.en).toMatch(/unknown operator "like" \(known: equal, notEqual/);
  });

  it('a catastrophic or invalid pattern as bad-pattern', () => {
    expect(only(check([rule({ all: [leaf('message', '$.text', 'matchesPattern', '(a+)+$')] })]))).toMatchObject({ pointer: '/0/conditions/all/0/value', code: 'bad-pattern' });
    expect(only(check([rule({ all: [leaf('message', '$.text', 'matchesPattern', '[')] })])).code).toBe('bad-pattern');
  });

  it('a value of the wrong shape for the operator', () => {
    const cases: [string, string, string, unknown][] = [
      ['conversation', '$.channel', 'in', 'webchat'],
      ['conversation', '$.waitSeconds', 'greaterThan', '60'],
      ['message', '$.text', 'containsAny', []],
      ['time', '', 'inBusinessHours', { days: [1], from: '18:00', to: '18:00' }],
      ['contact', '$.segments', 'inSegment', 3],
      ['contact', '$.orders[0].at', 'withinLastMinutes', -5],
    ];
    for (const [fact, path, operator, value] of cases) {
      expect(only(check([rule({ all: [leaf(fact, path || undefined, operator, value)] })])), operator).toMatchObject({ pointer: '/0/conditions/all/0/value', code: 'bad-value' });
    }
    expect(only(check([rule({ all: [{ fact: 'message', path: '$.text', operator: 'equal' }] })])).message.en).toMatch(/value is missing/);
  });

  it('an operator that cannot hold on the property type the catalog gives', () => {
    const issue = only(check([rule({ all: [leaf('message', '$.text', 'contains', '退款')] })]));
    expect(issue).toMatchObject({ pointer: '/0/conditions/all/0/operator', code: 'bad-value' });
    expect(issue.message.en).toBe('Rule "r1": the operator contains works on a list, but message $.text is a text: the condition can never hold');
    expect(only(check([rule({ all: [leaf('message', undefined, 'containsAny', ['x'])] })])).pointer).toBe('/0/conditions/all/0/operator');
  });

  it('an equality value of another type than the property, or outside its values', () => {
    expect(only(check([rule({ all: [leaf('contact', '$.vip', 'equal', 'true')] })])).message.en).toMatch(/is a boolean and never equals "true"/);
    const issue = only(check([rule({ all: [leaf('conversation', '$.status', 'in', ['bot', 'queud'])] })]));
    expect(issue.message).toEqual({
      zh: '规则「r1」：conversation $.status 不会是 "queud"（可能的值：bot、queued、assigned、survey、closed）',
      en: 'Rule "r1": conversation $.status is never "queud" (possible values: bot, queued, assigned, survey, closed)',
    });
  });

  it('every problem of a rule, each at its own pointer', () => {
    const issues = check([rule({ all: [leaf('mesage', '$.x', 'equal', 1), leaf('message', '$.text', 'near', 1), leaf('queue', '$.waiting', 'lessThan', 'x')] }, { event: {} })]);
    expect(issues.map((i) => `${i.pointer} ${i.code}`)).toEqual([
      '/0/event/type bad-rule',
      '/0/conditions/all/0/fact unknown-fact',
      '/0/conditions/all/1/operator unknown-operator',
      '/0/conditions/all/2/value bad-value',
    ]);
  });
});

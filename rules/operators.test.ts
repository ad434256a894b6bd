import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { timeFacts } from './facts';
import { createJreOperators, operatorCatalog, operatorSpecs, operatorValueProblem, patternProblem, safeRegExp } from './operators';

const NOW = Date.UTC(2026, 0, 5, 2, 30); // Monday 2026-01-05 10:30 in Shanghai
const test = (name: string, factValue: unknown, value: unknown, now = NOW) => {
  const spec = operatorSpecs.get(name)!;
  return spec.test(factValue, spec.prepare(value), () => now);
};

describe('operator catalog', () => {
  it('describes every built-in and custom operator in both languages', () => {
    const names = operatorCatalog.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining([
      'equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain',
      'containsAny', 'startsWith', 'matchesPattern', 'inBusinessHours', 'withinLastMinutes', 'inSegment',
    ]));
    expect(new Set(names).size).toBe(names.length);
    for (const o of operatorCatalog) {
      expect(o.description.zh, o.name).not.toBe('');
      expect(o.description.en, o.name).not.toBe('');
    }
  });

  it('is plain data the editor can fetch as JSON', () => {
    expect(JSON.parse(JSON.stringify(operatorCatalog))).toEqual(operatorCatalog);
  });
});

describe('text operators', () => {
  it('containsAny ignores case and full/half width, and skips empty phrases', () => {
    expect(test('containsAny', 'Ｉ want a HUMAN', ['human'])).toBe(true);
    expect(test('containsAny', '我要转人工', '人工')).toBe(true);
    expect(test('containsAny', 'hello', ['', 'bye'])).toBe(false);
    expect(test('containsAny', 42, ['4'])).toBe(false);
  });

  it('startsWith matches any prefix, case- and width-insensitively', () => {
    expect(test('startsWith', 'ＶＩＰ-1024', ['vip-', 'gold-'])).toBe(true);
    expect(test('startsWith', 'order VIP', 'vip')).toBe(false);
  });

  it('matchesPattern matches case-insensitively and never matches a refused pattern', () => {
    expect(test('matchesPattern', '我的手机 13812345678', '1[3-9]\\d{9}')).toBe(true);
    expect(test('matchesPattern', 'REFUND please', '^refund')).toBe(true);
    expect(test('matchesPattern', 'a'.repeat(40) + '!', '(a+)+$')).toBe(false);
    expect(test('matchesPattern', ['x'], 'x')).toBe(false);
  });
});

describe('the pattern guard', () => {
  it.each([
    ['(a+)+$', /nested quantifiers/],
    ['(\\w+\\s?)*x', /nested quantifiers/],
    ['((ab)*c)+', /nested quantifiers/],
    ['(?:a|b+){2,}', /nested quantifiers/],
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['a'.repeat(201), /longer than 200/],
    ['(unclosed', /invalid/],
    ['', /non-empty/],
  ])('refuses %s', (pattern, reason) => {
    expect(patternProblem(pattern)?.en).toMatch(reason);
    expect(patternProblem(pattern)?.zh).toBeTruthy();
    expect(safeRegExp(pattern)).toBeUndefined();
  });

  it.each([
    '^\\d{11}$', '(退款|退货)', '(ab)?c+', '(\\d+)?-x', '[(a+)+]', 'a+?b*', '\\p{Script=Han}{2,}', '(?:https?://)?\\w+\\.com', '(?<year>\\d{4})-\\d{2}', '(a+){1}',
  ])('accepts %s', (pattern) => {
    expect(patternProblem(pattern)).toBeUndefined();
    expect(safeRegExp(pattern)).toBeInstanceOf(RegExp);
  });
});

describe('time operators', () => {
  const weekdays = { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };

  it('inBusinessHours reads the time fact: weekday, hour, minute; closed on holidays', () => {
    expect(test('inBusinessHours', timeFacts(NOW), weekdays)).toBe(true);
    expect(test('inBusinessHours', timeFacts(NOW + 8 * 3600_000), weekdays)).toBe(false); // 18:30
    expect(test('inBusinessHours', timeFacts(NOW + 5 * 86400_000), weekdays)).toBe(false); // Saturday
    expect(test('inBusinessHours', timeFacts(NOW, 'Asia/Shanghai', ['2026-01-05']), weekdays)).toBe(false);
    expect(test('inBusinessHours', { weekday: 1, hour: 9, minute: 0 }, weekdays)).toBe(true);
  });

  it('inBusinessHours spans midnight when from is after to, and never matches malformed hours', () => {
    const night = { days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '06:00' };
    expect(test('inBusinessHours', { weekday: 3, hour: 23, minute: 15 }, night)).toBe(true);
    expect(test('inBusinessHours', { weekday: 3, hour: 5, minute: 59 }, night)).toBe(true);
    expect(test('inBusinessHours', { weekday: 3, hour: 6, minute: 0 }, night)).toBe(false);
    expect(test('inBusinessHours', { weekday: 1, hour: 10, minute: 0 }, { days: [1], from: '9:00', to: '18:00' })).toBe(false);
  });

  it('withinLastMinutes counts back from now, and not into the future', () => {
    expect(test('withinLastMinutes', NOW - 29 * 60_000, 30)).toBe(true);
    expect(test('withinLastMinutes', NOW - 31 * 60_000, 30)).toBe(false);
    expect(test('withinLastMinutes', NOW + 60_000, 30)).toBe(false);
    expect(test('withinLastMinutes', String(NOW), 30)).toBe(false);
  });
});

describe('inSegment', () => {
  it('holds when the contact is in the segment or any of the segments', () => {
    expect(test('inSegment', ['vip', 'beijing'], 'vip')).toBe(true);
    expect(test('inSegment', ['beijing'], ['vip', 'beijing'])).toBe(true);
    expect(test('inSegment', ['VIP'], 'vip')).toBe(false);
    expect(test('inSegment', 'vip', 'vip')).toBe(false);
  });
});

describe('value shapes', () => {
  it('reports values that do not fit the operator, and accepts those that do', () => {
    expect(operatorValueProblem('in', 'abc')?.en).toMatch(/a list/);
    expect(operatorValueProblem('greaterThan', '5')?.en).toMatch(/a number/);
    expect(operatorValueProblem('containsAny', [])?.en).toMatch(/non-empty/);
    expect(operatorValueProblem('inBusinessHours', { days: [0], from: '09:00', to: '18:00' })?.en).toMatch(/days/);
    expect(operatorValueProblem('withinLastMinutes', 0)?.en).toMatch(/positive/);
    expect(operatorValueProblem('matchesPattern', '(a*)*')?.en).toMatch(/nested/);
    expect(operatorValueProblem('equal', { any: 'thing' })).toBeUndefined();
    expect(operatorValueProblem('inBusinessHours', { days: [6, 7], from: '10:00', to: '24:00' })).toBeUndefined();
  });
});

describe('json-rules-engine operators', () => {
  it('give an engine the same custom operators, with now passed in', async () => {
    const engine = new Engine([], { allowUndefinedFacts: false });
    for (const op of createJreOperators(NOW)) engine.addOperator(op);
    engine.addRule({
      name: 'recent-angry-vip',
      conditions: { all: [
        { fact: 'message', path: '$.text', operator: 'matchesPattern', value: '投诉|complain' },
        { fact: 'contact', path: '$.segments', operator: 'inSegment', value: 'vip' },
        { fact: 'contact', path: '$.lastOrderAt', operator: 'withinLastMinutes', value: 60 },
        { fact: 'time', operator: 'inBusinessHours', value: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } },
      ] },
      event: { type: 'priority' },
    });
    const { results } = await engine.run({
      message: { text: '我要投诉' },
      contact: { segments: ['vip'], lastOrderAt: NOW - 600_000 },
      time: timeFacts(NOW),
    });
    expect(results.map((r) => r.name)).toEqual(['recent-angry-vip']);
  });
});

describe('time facts', () => {
  it('computes weekday (Monday = 1), hour, minute and date in the time zone, and marks holidays', () => {
    expect(timeFacts(NOW)).toEqual({ now: NOW, weekday: 1, hour: 10, minute: 30, date: '2026-01-05', holiday: false });
    expect(timeFacts(NOW, 'America/New_York')).toMatchObject({ weekday: 7, hour: 21, minute: 30, date: '2026-01-04' });
    expect(timeFacts(Date.UTC(2026, 0, 4, 16), 'Asia/Shanghai', ['2026-01-05'])).toMatchObject({ weekday: 1, hour: 0, date: '2026-01-05', holiday: true });
  });
});

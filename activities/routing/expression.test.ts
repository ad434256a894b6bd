import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_LENGTH, matches, parseRequirement, requiredSkills, type Requirement } from './expression';
import type { AgentProfile } from './types';

const agent = (patch: Partial<AgentProfile> = {}): AgentProfile => ({
  id: 'a', skills: [], languages: [], channels: [], capacity: {}, teams: [], presence: 'online', load: {}, ...patch,
});

function parse(text: string): Requirement {
  const parsed = parseRequirement(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.ast;
}

const zhRefund = agent({ skills: [{ name: 'refund', level: 4 }], languages: ['zh'], channels: ['wechat'], teams: ['vip'] });
const enRefund = agent({ skills: [{ name: 'refund', level: 2 }], languages: ['en'] });
const zhBilling = agent({ skills: [{ name: 'billing', level: 5 }], languages: ['zh', 'en'] });

describe('parseRequirement and matches', () => {
  it("evaluates the issue's example", () => {
    const ast = parse("skills has 'refund' and languages has 'zh'");
    expect(ast).toEqual({
      kind: 'and',
      operands: [{ kind: 'has', field: 'skills', name: 'refund' }, { kind: 'has', field: 'languages', name: 'zh' }],
    });
    expect([zhRefund, enRefund, zhBilling].map((a) => matches(ast, a))).toEqual([true, false, false]);
  });

  it('compares skill levels, a missing skill counting as level 0', () => {
    const cases: [string, boolean, boolean][] = [
      ['skills.refund >= 3', true, false],
      ['skills.refund > 4', false, false],
      ['skills.refund = 4', true, false],
      ['skills.refund != 4', false, true],
      ['skills.refund < 3', false, true],
      ['skills.refund <= 4', true, true],
    ];
    for (const [text, forZhRefund, forZhBilling] of cases) {
      expect([text, matches(parse(text), zhRefund), matches(parse(text), zhBilling)]).toEqual([text, forZhRefund, forZhBilling]);
    }
  });

  it('reads channels, teams, not, parentheses and both quote styles', () => {
    expect(matches(parse(`channels has "wechat" and teams has 'vip'`), zhRefund)).toBe(true);
    expect(matches(parse("not teams has 'vip'"), zhRefund)).toBe(false);
    expect(matches(parse("not not teams has 'vip'"), zhRefund)).toBe(true);
    expect(matches(parse("(skills has 'billing' or skills has 'refund') and languages has 'en'"), enRefund)).toBe(true);
    expect(matches(parse("(skills has 'billing' or skills has 'refund') and languages has 'en'"), zhRefund)).toBe(false);
  });

  it('binds and tighter than or', () => {
    const ast = parse("skills has 'billing' or skills has 'refund' and teams has 'vip'");
    expect(ast.kind).toBe('or');
    expect(matches(ast, zhBilling)).toBe(true); // billing, no team: the left side of the `or` alone
    expect(matches(ast, enRefund)).toBe(false); // refund without vip
    expect(matches(ast, zhRefund)).toBe(true);
  });

  it('ignores case in keywords and names, and allows dashes and quoted names after skills.', () => {
    const afterSales = agent({ skills: [{ name: 'After-Sales', level: 3 }], languages: ['ZH'] });
    expect(matches(parse("Skills HAS 'after-sales' AND languages has 'zh'"), afterSales)).toBe(true);
    expect(matches(parse('skills.after-sales >= 3'), afterSales)).toBe(true);
    expect(matches(parse("skills.'after-sales' >= 4"), afterSales)).toBe(false);
  });

  it('explains errors with the 0-based position', () => {
    const errors: [string, string, number][] = [
      ['skills has refund', "expected a quoted skill name after 'has' at 11", 11],
      ["skills has 'refund' and languages has zh", "expected a quoted language name after 'has' at 38", 38],
      ["channels has ''", 'empty channel name at 13', 13],
      ["skill has 'x'", "unknown field 'skill'; expected skills, languages, channels or teams at 0", 0],
      ["teams 'vip'", "expected 'has' after 'teams' but found the string 'vip' at 6", 6],
      ["skills has 'refund", 'unterminated string starting at 11', 11],
      ["(skills has 'a'", "expected ')' to close the '(' at 0 but found the end of the expression at 15", 15],
      ["skills has 'a' skills has 'b'", "expected 'and', 'or' or the end but found 'skills' at 15", 15],
      ['', 'expected a condition such as skills has \'refund\' but found the end of the expression at 0', 0],
      ["skills has 'a' and", "expected a condition such as skills has 'refund' but found the end of the expression at 18", 18],
      ['skills.refund 3', "expected a comparison (=, !=, >, >=, <, <=) after 'skills.refund' at 14", 14],
      ['skills.refund >= high', "expected a level number after '>=' at 17", 17],
      ['skills.refund ! 3', "unexpected '!' (did you mean '!='?) at 14", 14],
      ["skills has 'a' & teams has 'b'", "unexpected character '&' at 15", 15],
    ];
    for (const [text, error, position] of errors) expect(parseRequirement(text)).toEqual({ ok: false, error, position });
  });

  it('rejects expressions that are too long or too deeply nested', () => {
    const long = Array.from({ length: 40 }, () => "skills has 'x'").join(' or ');
    expect(long.length).toBeGreaterThan(MAX_LENGTH);
    expect(parseRequirement(long)).toMatchObject({ ok: false, error: `expression longer than ${MAX_LENGTH} characters` });

    const nested = (depth: number) => `${'('.repeat(depth)}skills has 'x'${')'.repeat(depth)}`;
    expect(parseRequirement(nested(MAX_DEPTH)).ok).toBe(true);
    expect(parseRequirement(nested(MAX_DEPTH + 1))).toMatchObject({ ok: false, error: `nesting deeper than ${MAX_DEPTH} at ${MAX_DEPTH}` });
    expect(parseRequirement(`${'not '.repeat(MAX_DEPTH + 1)}skills has 'x'`)).toMatchObject({ ok: false });
  });
});

describe('requiredSkills', () => {
  it('lists the skills asked for, once each, in order, leaving negated ones out', () => {
    const ast = parse("(skills has 'refund' or skills.billing >= 3) and not skills has 'trainee' and skills has 'Refund' and not not skills has 'vip-care'");
    expect(requiredSkills(ast)).toEqual(['refund', 'billing', 'vip-care']);
    expect(requiredSkills(parse("languages has 'zh'"))).toEqual([]);
  });
});

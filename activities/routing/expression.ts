// The queue's required-skills expression, e.g.
//   skills has 'refund' and languages has 'zh'
//   skills.refund >= 3 and not teams has 'trainee'
//   (channels has 'wechat' or channels has 'webchat') and teams has 'vip'
// A hand-written scanner and recursive-descent parser: no eval, no regular
// expressions (so no backtracking traps), and bounded input (MAX_LENGTH
// characters, MAX_DEPTH nested parentheses or `not`s) so that a queue setting
// can never make routing slow or blow the stack. `and` binds tighter than `or`.
// Names compare case-insensitively: 'Refund' in a queue matches 'refund' on an
// agent, as admins type both by hand.
import type { AgentProfile } from './types';

export const MAX_LENGTH = 500;
export const MAX_DEPTH = 20;

type ListField = 'skills' | 'languages' | 'channels' | 'teams';
export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Requirement =
  | { kind: 'has'; field: ListField; name: string }
  | { kind: 'level'; skill: string; op: Comparison; level: number }
  | { kind: 'not'; operand: Requirement }
  | { kind: 'and' | 'or'; operands: Requirement[] };

export type ParseResult = { ok: true; ast: Requirement } | { ok: false; error: string; position: number };

const NOUN: Record<ListField, string> = { skills: 'skill', languages: 'language', channels: 'channel', teams: 'team' };
const COMPARISONS: readonly string[] = ['=', '!=', '>', '>=', '<', '<='];

type Token =
  | { kind: 'word' | 'string' | 'op'; text: string; pos: number }
  | { kind: 'number'; text: string; value: number; pos: number }
  | { kind: '(' | ')' | '.' | 'end'; text: string; pos: number };

class ParseError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at ${position}`);
  }
}

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (isLetter(c)) {
      // Skill and team names may contain digits and dashes: skills.after-sales >= 2.
      while (i < text.length && (isLetter(text[i]) || isDigit(text[i]) || text[i] === '-')) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text[i])) i++;
      const digits = text.slice(start, i);
      tokens.push({ kind: 'number', text: digits, value: Number(digits), pos: start });
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new ParseError(`unterminated string starting`, start);
      tokens.push({ kind: 'string', text: text.slice(i + 1, close), pos: start });
      i = close + 1;
    } else if (c === '(' || c === ')' || c === '.') {
      tokens.push({ kind: c, text: c, pos: start });
      i++;
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      const op = COMPARISONS.includes(two) ? two : c;
      if (!COMPARISONS.includes(op)) throw new ParseError(`unexpected '${c}' (did you mean '!='?)`, start);
      tokens.push({ kind: 'op', text: op, pos: start });
      i += op.length;
    } else {
      throw new ParseError(`unexpected character '${c}'`, start);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

const describe = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : t.kind === 'string' ? `the string '${t.text}'` : `'${t.text}'`);

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Requirement {
    const ast = this.or(0);
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ParseError(`expected 'and', 'or' or the end but found ${describe(rest)}`, rest.pos);
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private or(depth: number): Requirement {
    const operands = [this.and(depth)];
    while (this.isKeyword('or')) {
      this.next();
      operands.push(this.and(depth));
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private and(depth: number): Requirement {
    const operands = [this.unary(depth)];
    while (this.isKeyword('and')) {
      this.next();
      operands.push(this.unary(depth));
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private deeper(depth: number, at: Token): number {
    if (depth + 1 > MAX_DEPTH) throw new ParseError(`nesting deeper than ${MAX_DEPTH}`, at.pos);
    return depth + 1;
  }

  private unary(depth: number): Requirement {
    if (this.isKeyword('not')) {
      const not = this.next();
      return { kind: 'not', operand: this.unary(this.deeper(depth, not)) };
    }
    return this.primary(depth);
  }

  private primary(depth: number): Requirement {
    const t = this.next();
    if (t.kind === '(') {
      const inner = this.or(this.deeper(depth, t));
      const close = this.next();
      if (close.kind !== ')') throw new ParseError(`expected ')' to close the '(' at ${t.pos} but found ${describe(close)}`, close.pos);
      return inner;
    }
    if (t.kind !== 'word') throw new ParseError(`expected a condition such as skills has 'refund' but found ${describe(t)}`, t.pos);
    const field = t.text.toLowerCase();
    if (field !== 'skills' && field !== 'languages' && field !== 'channels' && field !== 'teams') {
      throw new ParseError(`unknown field '${t.text}'; expected skills, languages, channels or teams`, t.pos);
    }
    if (field === 'skills' && this.peek().kind === '.') {
      this.next();
      return this.level();
    }
    const has = this.next();
    if (has.kind !== 'word' || has.text.toLowerCase() !== 'has') {
      const expected = field === 'skills' ? "'has' or '.' (skills.name >= level)" : "'has'";
      throw new ParseError(`expected ${expected} after '${t.text}' but found ${describe(has)}`, has.pos);
    }
    const name = this.next();
    if (name.kind !== 'string') throw new ParseError(`expected a quoted ${NOUN[field]} name after 'has'`, name.pos);
    if (name.text.trim() === '') throw new ParseError(`empty ${NOUN[field]} name`, name.pos);
    return { kind: 'has', field, name: name.text };
  }

  private level(): Requirement {
    const skill = this.next();
    if (skill.kind !== 'word' && skill.kind !== 'string') throw new ParseError(`expected a skill name after 'skills.'`, skill.pos);
    const op = this.next();
    if (op.kind !== 'op') throw new ParseError(`expected a comparison (=, !=, >, >=, <, <=) after 'skills.${skill.text}'`, op.pos);
    const level = this.next();
    if (level.kind !== 'number') throw new ParseError(`expected a level number after '${op.text}'`, level.pos);
    return { kind: 'level', skill: skill.text, op: op.text as Comparison, level: level.value };
  }
}

/** Parses a requirement; errors name what was expected and the 0-based character offset. */
export function parseRequirement(text: string): ParseResult {
  if (text.length > MAX_LENGTH) return { ok: false, error: `expression longer than ${MAX_LENGTH} characters`, position: MAX_LENGTH };
  try {
    return { ok: true, ast: new Parser(tokenize(text)).parse() };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message, position: err.position };
    throw err;
  }
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The agent's level in a skill; 0 when they lack it, so `skills.x < 3` holds for agents without x. */
export function skillLevel(agent: AgentProfile, skill: string): number {
  return agent.skills.find((s) => sameName(s.name, skill))?.level ?? 0;
}

function compare(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

export function matches(ast: Requirement, agent: AgentProfile): boolean {
  switch (ast.kind) {
    case 'has':
      return ast.field === 'skills'
        ? skillLevel(agent, ast.name) > 0
        : agent[ast.field].some((name) => sameName(name, ast.name));
    case 'level':
      return compare(skillLevel(agent, ast.skill), ast.op, ast.level);
    case 'not':
      return !matches(ast.operand, agent);
    case 'and':
      return ast.operands.every((operand) => matches(operand, agent));
    case 'or':
      return ast.operands.some((operand) => matches(operand, agent));
  }
}

/**
 * The skills the expression asks for, in order of appearance, for best-skill
 * scoring. Skills under an odd number of `not`s are left out: `not skills has
 * 'x'` keeps x-agents away, it does not make x a reason to prefer someone.
 */
export function requiredSkills(ast: Requirement): string[] {
  const found: string[] = [];
  const add = (skill: string, negated: boolean) => {
    if (!negated && !found.some((s) => sameName(s, skill))) found.push(skill);
  };
  const visit = (node: Requirement, negated: boolean): void => {
    switch (node.kind) {
      case 'not': return visit(node.operand, !negated);
      case 'and':
      case 'or': return node.operands.forEach((operand) => visit(operand, negated));
      case 'level': return add(node.skill, negated);
      case 'has': if (node.field === 'skills') add(node.name, negated);
    }
  };
  visit(ast, false);
  return found;
}

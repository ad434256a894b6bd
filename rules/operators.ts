// Every operator a rule may use, in one place: json-rules-engine's built-in
// ones (reproduced exactly, so the compiled evaluator decides like the engine)
// and Huiliu's custom ones. The editor and the validator read the catalog; the
// compiled evaluator (evaluate.ts) runs the specs; json-rules-engine gets the
// same custom operators through createJreOperators (simulator comparisons,
// the conformance test, the benchmark's naive path).
// Runs inside workflow code: pure, no I/O, and time only as a value passed in.
import { Operator } from 'json-rules-engine';
import type { FactType } from './facts';
import type { Bilingual } from './plugin';

/** What an operator expects on the fact side; `any` takes every value. */
export type OperatorFactType = FactType | 'any';

/** The shape of a condition's `value` an operator expects (checked at publish time by operatorValueProblem). */
export type OperatorValueType =
  | 'any'
  | 'number'
  | 'array'
  | 'text-or-list' // a non-empty string or a non-empty array of non-empty strings
  | 'pattern' // a regular expression the guard accepts
  | 'business-hours' // { days: [1..7], from: 'HH:MM', to: 'HH:MM' }
  | 'minutes'; // a positive number

export interface OperatorInfo {
  name: string;
  description: Bilingual;
  factType: OperatorFactType;
  valueType: OperatorValueType;
  /** Not one of json-rules-engine's own operators. */
  custom: boolean;
}

/**
 * How an operator decides. `prepare` turns the condition's value into what
 * `test` compares against; the evaluator runs it once per literal value, so a
 * pattern is compiled and phrases are normalized once, not per decision.
 * `now` gives the decision's time (epoch ms); only time-relative operators call it.
 */
export interface OperatorSpec extends OperatorInfo {
  prepare(value: unknown): unknown;
  test(factValue: unknown, prepared: unknown, now: () => number): boolean;
}

function define<P>(
  info: OperatorInfo,
  prepare: (value: unknown) => P,
  test: (factValue: unknown, prepared: P, now: () => number) => boolean,
): OperatorSpec {
  return { ...info, prepare, test: test as OperatorSpec['test'] };
}

const same = (value: unknown) => value;

// ------------------------------------------------------------ built-in operators

// These mirror json-rules-engine 7.3.1 (dist/engine-default-operators.js)
// expression for expression, including its fact-value validators and the
// TypeError it throws when `in`'s value has no indexOf: the evaluator must fire
// exactly the rules the engine fires.
type Indexable = { indexOf(item: unknown): number };
const indexOf = (list: unknown, item: unknown) => (list as Indexable).indexOf(item);
const isNumeric = (factValue: unknown) => Number.parseFloat(factValue as string).toString() !== 'NaN';
type Comparable = number;

function builtIn(
  name: string,
  description: Bilingual,
  factType: OperatorFactType,
  valueType: OperatorValueType,
  test: (factValue: unknown, value: unknown) => boolean,
): OperatorSpec {
  return define({ name, description, factType, valueType, custom: false }, same, test);
}

const builtInOperators: OperatorSpec[] = [
  builtIn('equal', { zh: '等于（类型也须相同）', en: 'Equals (same type too)' }, 'any', 'any', (a, b) => a === b),
  builtIn('notEqual', { zh: '不等于', en: 'Does not equal' }, 'any', 'any', (a, b) => a !== b),
  builtIn('lessThan', { zh: '小于', en: 'Less than' }, 'number', 'number',
    (a, b) => isNumeric(a) && (a as Comparable) < (b as Comparable)),
  builtIn('lessThanInclusive', { zh: '小于或等于', en: 'Less than or equal to' }, 'number', 'number',
    (a, b) => isNumeric(a) && (a as Comparable) <= (b as Comparable)),
  builtIn('greaterThan', { zh: '大于', en: 'Greater than' }, 'number', 'number',
    (a, b) => isNumeric(a) && (a as Comparable) > (b as Comparable)),
  builtIn('greaterThanInclusive', { zh: '大于或等于', en: 'Greater than or equal to' }, 'number', 'number',
    (a, b) => isNumeric(a) && (a as Comparable) >= (b as Comparable)),
  builtIn('in', { zh: '是列表中的某一项', en: 'Is one of the listed values' }, 'any', 'array', (a, b) => indexOf(b, a) > -1),
  builtIn('notIn', { zh: '不是列表中的任何一项', en: 'Is none of the listed values' }, 'any', 'array', (a, b) => indexOf(b, a) === -1),
  builtIn('contains', { zh: '列表包含该值', en: 'List contains the value' }, 'array', 'any',
    (a, b) => Array.isArray(a) && a.indexOf(b) > -1),
  builtIn('doesNotContain', { zh: '列表不包含该值', en: 'List does not contain the value' }, 'array', 'any',
    (a, b) => Array.isArray(a) && a.indexOf(b) === -1),
];

// ------------------------------------------------------------ text

// The text operators of one decision all normalize the same message text:
// remember the last one (a pure cache, safe in workflow code).
let lastText = '';
let lastNormalized = '';

/** Case- and width-insensitive form: "ＡＧＥＮＴ" and "agent" compare equal. */
function normalizeText(value: string): string {
  if (value !== lastText) {
    lastNormalized = value.normalize('NFKC').toLowerCase();
    lastText = value;
  }
  return lastNormalized;
}

/** The non-empty normalized texts of a string or string array; anything else gives none. */
function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item): item is string => typeof item === 'string' && item !== '').map(normalizeText);
}

// ------------------------------------------------------------ the pattern guard

const MAX_PATTERN_LENGTH = 200;
const PATTERN_FLAGS = 'iu';

interface GroupScan {
  quantified: boolean;
}

/** Length of the quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), 0 if none; and whether it repeats more than once. */
function quantifierAt(pattern: string, i: number): { length: number; repeats: boolean } {
  const c = pattern[i];
  if (c === '*' || c === '+') return { length: 1, repeats: true };
  if (c === '?') return { length: 1, repeats: false };
  const braces = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
  if (!braces) return { length: 0, repeats: false };
  const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === '' ? Infinity : Number(braces[3]);
  return { length: braces[0].length, repeats: max > 1 };
}

/** Index just past the character class opening at `i`. */
function skipClass(pattern: string, i: number): number {
  let j = i + 1;
  while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just past the escape at `i`, including `\p{..}` and `\u{..}` bodies (whose braces are no quantifier). */
function skipEscape(pattern: string, i: number): number {
  const kind = pattern[i + 1];
  if ('pPu'.includes(kind) && pattern[i + 2] === '{') return pattern.indexOf('}', i) + 1;
  return i + 2;
}

const refusal = (zh: string, en: string): Bilingual => ({ zh, en });

/**
 * Why a pattern could backtrack catastrophically (or is no valid pattern):
 * nested quantifiers such as (a+)+, backreferences, lookbehind, or more than
 * 200 characters. Undefined when the pattern is safe. The validator reports it
 * at publish time; at run time a refused pattern never matches.
 */
export function patternProblem(pattern: unknown): Bilingual | undefined {
  if (typeof pattern !== 'string' || pattern === '') return refusal('正则表达式须为非空文本', 'the pattern must be a non-empty string');
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return refusal(`正则表达式超过 ${MAX_PATTERN_LENGTH} 个字符`, `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    new RegExp(pattern, PATTERN_FLAGS);
  } catch (err) {
    return refusal(`正则表达式无效：${(err as Error).message}`, `the pattern is invalid: ${(err as Error).message}`);
  }
  return structureProblem(pattern);
}

/** Scans a valid pattern for the constructs that make backtracking explode. */
function structureProblem(pattern: string): Bilingual | undefined {
  const groups: GroupScan[] = [{ quantified: false }];
  let closed: GroupScan | undefined; // the group that ends right before i
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const justClosed = closed;
    closed = undefined;
    if (c === '\\') {
      if (/[1-9k]/.test(pattern[i + 1])) return refusal('不允许反向引用（\\1、\\k<名称>）', 'backreferences (\\1, \\k<name>) are not allowed');
      i = skipEscape(pattern, i);
    } else if (c === '[') {
      i = skipClass(pattern, i);
    } else if (c === '(') {
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return refusal('不允许后行断言（(?<=、(?<!）', 'lookbehind ((?<=, (?<!) is not allowed');
      groups.push({ quantified: false });
      i += pattern[i + 1] === '?' ? 2 : 1; // (?: (?= (?! (?<name>: that ? is no quantifier
    } else if (c === ')') {
      closed = groups.pop();
      if (closed?.quantified) groups[groups.length - 1].quantified = true;
      i += 1;
    } else {
      const q = quantifierAt(pattern, i);
      if (q.length === 0) {
        i += 1;
        continue;
      }
      if (q.repeats && justClosed?.quantified) return refusal('不允许嵌套量词，如 (a+)+', 'nested quantifiers such as (a+)+ are not allowed');
      groups[groups.length - 1].quantified = true;
      i += q.length;
      if (pattern[i] === '?') i += 1; // lazy: a+? is one quantifier
    }
  }
  return undefined;
}

/** The pattern as a RegExp, or undefined when the guard refuses it. */
export function safeRegExp(pattern: unknown): RegExp | undefined {
  return patternProblem(pattern) ? undefined : new RegExp(pattern as string, PATTERN_FLAGS);
}

// ------------------------------------------------------------ business hours

export interface BusinessHours {
  days: Set<number>;
  from: number; // minutes after midnight
  to: number;
}

/** 'HH:MM' (00:00–24:00) as minutes after midnight, or undefined. */
function minutesOfDay(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value) : null;
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
  return minutes !== undefined && minutes <= 24 * 60 ? minutes : undefined;
}

const isWeekday = (day: unknown) => Number.isInteger(day) && (day as number) >= 1 && (day as number) <= 7;

/** `{ days: [1..7], from: 'HH:MM', to: 'HH:MM' }` parsed, or undefined when it is not that. */
export function businessHours(value: unknown): BusinessHours | undefined {
  const v = (value ?? {}) as { days?: unknown; from?: unknown; to?: unknown };
  const from = minutesOfDay(v.from);
  const to = minutesOfDay(v.to);
  const days = Array.isArray(v.days) && v.days.length > 0 && v.days.every(isWeekday) ? new Set(v.days as number[]) : undefined;
  return days && from !== undefined && to !== undefined && from !== to ? { days, from, to } : undefined;
}

/** Open on that weekday at that minute; `from` after `to` spans midnight (22:00–06:00). Holidays are closed. */
function isOpen(time: unknown, hours: BusinessHours | undefined): boolean {
  const t = (time ?? {}) as { weekday?: unknown; hour?: unknown; minute?: unknown; holiday?: unknown };
  if (!hours || t.holiday === true || typeof t.hour !== 'number' || typeof t.minute !== 'number') return false;
  if (!hours.days.has(t.weekday as number)) return false;
  const at = t.hour * 60 + t.minute;
  return hours.from < hours.to ? at >= hours.from && at < hours.to : at >= hours.from || at < hours.to;
}

/** The `time.open` fact: within the start node's business hours; no hours set means always open except holidays. */
export function withinBusinessHours(time: { holiday: boolean }, hours: unknown): boolean {
  return hours === undefined ? !time.holiday : isOpen(time, businessHours(hours));
}

// ------------------------------------------------------------ custom operators

const custom = (name: string, description: Bilingual, factType: OperatorFactType, valueType: OperatorValueType) =>
  ({ name, description, factType, valueType, custom: true });

const customOperators: OperatorSpec[] = [
  define(
    custom('containsAny', { zh: '文本包含任一短语（不区分大小写与全角半角）', en: 'Text contains any of the phrases (ignores case and full/half width)' }, 'string', 'text-or-list'),
    textList,
    (text, phrases) => typeof text === 'string' && phrases.some((p) => normalizeText(text).includes(p)),
  ),
  define(
    custom('startsWith', { zh: '文本以任一前缀开头（不区分大小写与全角半角）', en: 'Text starts with any of the prefixes (ignores case and full/half width)' }, 'string', 'text-or-list'),
    textList,
    (text, prefixes) => typeof text === 'string' && prefixes.some((p) => normalizeText(text).startsWith(p)),
  ),
  define(
    custom('matchesPattern', { zh: '文本匹配正则表达式（不区分大小写；拒绝可能灾难性回溯的写法）', en: 'Text matches the regular expression (case-insensitive; patterns that could backtrack catastrophically are refused)' }, 'string', 'pattern'),
    safeRegExp,
    (text, regex) => typeof text === 'string' && regex !== undefined && regex.test(text),
  ),
  define(
    custom('inBusinessHours', { zh: '时间在营业时间内（星期一=1；节假日不营业）', en: 'The time is within business hours (Monday = 1; closed on holidays)' }, 'object', 'business-hours'),
    businessHours,
    isOpen,
  ),
  define(
    custom('withinLastMinutes', { zh: '时间戳（毫秒）在当前时间之前的若干分钟内', en: 'The timestamp (epoch ms) is within the given number of minutes before now' }, 'number', 'minutes'),
    same,
    (at, minutes, now) => {
      const current = now();
      return typeof at === 'number' && typeof minutes === 'number' && at <= current && current - at <= minutes * 60_000;
    },
  ),
  define(
    custom('inSegment', { zh: '客户属于任一分群', en: 'The customer is in any of the segments' }, 'array', 'text-or-list'),
    (value) => (Array.isArray(value) ? value : [value]).filter((s): s is string => typeof s === 'string'),
    (segments, wanted) => Array.isArray(segments) && wanted.some((s) => segments.includes(s)),
  ),
];

// ------------------------------------------------------------ the registry

export const operatorSpecs: ReadonlyMap<string, OperatorSpec> = new Map(
  [...builtInOperators, ...customOperators].map((spec) => [spec.name, spec]),
);

/** Every operator for the editor and the validator: name, descriptions, what it compares. */
export const operatorCatalog: OperatorInfo[] = [...operatorSpecs.values()].map(
  ({ name, description, factType, valueType, custom: isCustom }) => ({ name, description, factType, valueType, custom: isCustom }),
);

/** Operators whose result depends on the `time` fact's `now`. */
export const TIME_RELATIVE_OPERATORS: ReadonlySet<string> = new Set(['withinLastMinutes']);

/**
 * The custom operators as json-rules-engine Operator objects, for an Engine
 * that should decide like the compiled evaluator. `now` is the decision's time
 * (the `time` fact's `now`): an engine operator has no other way to see it.
 */
export function createJreOperators(now: number): Operator[] {
  return customOperators.map((spec) => new Operator(spec.name, (factValue: unknown, value: unknown) => spec.test(factValue, spec.prepare(value), () => now)));
}

// ------------------------------------------------------------ value shapes

const isNonEmptyText = (v: unknown) => typeof v === 'string' && v !== '';

const valueShapes: Record<Exclude<OperatorValueType, 'any' | 'pattern'>, { ok(value: unknown): boolean; expected: Bilingual }> = {
  number: { ok: (v) => typeof v === 'number' && Number.isFinite(v), expected: { zh: '一个数字', en: 'a number' } },
  array: { ok: Array.isArray, expected: { zh: '一个列表', en: 'a list' } },
  'text-or-list': {
    ok: (v) => isNonEmptyText(v) || (Array.isArray(v) && v.length > 0 && v.every(isNonEmptyText)),
    expected: { zh: '非空文本或非空文本的列表', en: 'a non-empty text or a list of non-empty texts' },
  },
  'business-hours': {
    ok: (v) => businessHours(v) !== undefined,
    expected: { zh: '{days: [1..7], from: "HH:MM", to: "HH:MM"}（起止时间不同）', en: '{days: [1..7], from: "HH:MM", to: "HH:MM"} (from and to differ)' },
  },
  minutes: { ok: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0, expected: { zh: '一个正数（分钟）', en: 'a positive number (minutes)' } },
};

/** Why `value` does not fit the operator, or undefined when it does (or the operator is unknown). */
export function operatorValueProblem(operator: string, value: unknown): Bilingual | undefined {
  const valueType = operatorSpecs.get(operator)?.valueType;
  if (valueType === undefined || valueType === 'any') return undefined;
  if (valueType === 'pattern') return patternProblem(value);
  const shape = valueShapes[valueType];
  return shape.ok(value) ? undefined : { zh: `值应为${shape.expected.zh}`, en: `the value should be ${shape.expected.en}` };
}

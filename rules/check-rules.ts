// Checks a rules array against the facts catalog and the operators, so that a
// flow whose rules would throw, never fire, or fire by accident (a typo in a
// fact, a pattern that can hang the worker, a string compared with
// greaterThan) is refused at publish time, with a pointer and a message in
// both languages. Everything accepted here compiles with compileRules.
import { parsePath, type PathSegment } from './evaluate';
import type { FactDefinition, FactType } from './facts';
import { operatorSpecs, operatorValueProblem, type OperatorSpec } from './operators';
import type { Bilingual } from './plugin';

export type RuleIssueCode = 'bad-rule' | 'unknown-fact' | 'unknown-property' | 'unknown-operator' | 'bad-path' | 'bad-pattern' | 'bad-value';

export interface RuleIssue {
  /** JSON pointer relative to the rules array, e.g. `/0/conditions/all/1/fact`. */
  pointer: string;
  code: RuleIssueCode;
  message: Bilingual;
}

/** An event type becomes a handle id: what edges and the editor can name. */
const HANDLE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BOOLEAN_OPERATORS = ['all', 'any', 'not'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const isPriority = (value: unknown) => Number.isInteger(value) && (value as number) >= 1;
const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

interface Checker {
  facts: Map<string, FactDefinition>;
  /** The rule being checked, as messages name it. */
  rule: string;
  issues: RuleIssue[];
}

/** Records an issue; returns undefined so a check can `return report(...)` and stop. */
function report(checker: Checker, pointer: string, code: RuleIssueCode, problem: Bilingual): undefined {
  checker.issues.push({
    pointer, code,
    message: { zh: `规则「${checker.rule}」：${problem.zh}`, en: `Rule "${checker.rule}": ${problem.en}` },
  });
  return undefined;
}

const TYPE_NAMES: Record<FactType, Bilingual> = {
  string: { zh: '文本', en: 'a text' },
  number: { zh: '数字', en: 'a number' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  array: { zh: '列表', en: 'a list' },
  object: { zh: '对象', en: 'an object' },
};

/**
 * Problems in `rules` (a rules node's json-rules-engine rules): structure,
 * facts, paths, operators, patterns and values. `ctx.facts` is the catalog
 * plus the facts that flow nodes provide.
 */
export function checkRules(rules: unknown, ctx: { facts: FactDefinition[] }): RuleIssue[] {
  if (!Array.isArray(rules)) {
    return [{ pointer: '', code: 'bad-rule', message: { zh: '规则须为列表', en: 'The rules must be a list' } }];
  }
  const checker: Checker = { facts: new Map(ctx.facts.map((f) => [f.fact, f])), rule: '', issues: [] };
  rules.forEach((rule, index) => checkRule(rule, index, checker));
  return checker.issues;
}

function checkRule(rule: unknown, index: number, checker: Checker): void {
  const pointer = `/${index}`;
  checker.rule = isObject(rule) && typeof rule.name === 'string' && rule.name !== '' ? rule.name : `#${index + 1}`;
  if (!isObject(rule)) return report(checker, pointer, 'bad-rule', { zh: '须为对象', en: 'must be an object' });
  if (Object.hasOwn(rule, 'name') && (typeof rule.name !== 'string' || rule.name === '')) {
    report(checker, `${pointer}/name`, 'bad-rule', { zh: '名称须为非空文本', en: 'the name must be a non-empty text' });
  }
  if (Object.hasOwn(rule, 'priority') && !isPriority(rule.priority)) {
    report(checker, `${pointer}/priority`, 'bad-rule', { zh: '优先级须为不小于 1 的整数', en: 'the priority must be a whole number of 1 or more' });
  }
  checkEvent(rule.event, `${pointer}/event`, checker);
  checkRoot(rule.conditions, `${pointer}/conditions`, checker);
}

function checkEvent(event: unknown, pointer: string, checker: Checker): void {
  if (!isObject(event)) return report(checker, pointer, 'bad-rule', { zh: '缺少事件（event）', en: 'the event is missing' });
  if (typeof event.type !== 'string' || !HANDLE_ID.test(event.type)) {
    report(checker, `${pointer}/type`, 'bad-rule', {
      zh: `事件类型即出口名，须为 1–64 个字母、数字、_ 或 -，现为 ${quote(event.type)}`,
      en: `the event type names the outgoing handle and must be 1–64 letters, digits, _ or -, got ${quote(event.type)}`,
    });
  }
}

function checkRoot(conditions: unknown, pointer: string, checker: Checker): void {
  if (!isObject(conditions)) return report(checker, pointer, 'bad-rule', { zh: '缺少条件（conditions）', en: 'the conditions are missing' });
  if (!BOOLEAN_OPERATORS.some((op) => Object.hasOwn(conditions, op)) && !Object.hasOwn(conditions, 'condition')) {
    return report(checker, pointer, 'bad-rule', { zh: '条件的最外层须为 all、any 或 not', en: 'the conditions must start with all, any or not' });
  }
  checkCondition(conditions, pointer, checker);
}

function checkCondition(c: unknown, pointer: string, checker: Checker): void {
  if (!isObject(c)) return report(checker, pointer, 'bad-rule', { zh: '条件须为对象', en: 'a condition must be an object' });
  if (Object.hasOwn(c, 'priority') && !isPriority(c.priority)) {
    report(checker, `${pointer}/priority`, 'bad-rule', { zh: '条件优先级须为不小于 1 的整数', en: 'a condition priority must be a whole number of 1 or more' });
  }
  const ops = BOOLEAN_OPERATORS.filter((op) => Object.hasOwn(c, op));
  if (ops.length > 1) {
    return report(checker, pointer, 'bad-rule', { zh: `一个条件只能用 all、any、not 之一，这里有 ${ops.join('、')}`, en: `a condition uses one of all, any, not; this one has ${ops.join(', ')}` });
  }
  if (ops[0] === 'not') {
    if (!isObject(c.not)) return report(checker, `${pointer}/not`, 'bad-rule', { zh: 'not 须为单个条件（不是列表）', en: 'not takes a single condition (not a list)' });
    return checkCondition(c.not, `${pointer}/not`, checker);
  }
  if (ops[0]) {
    const list = c[ops[0]];
    if (!Array.isArray(list)) return report(checker, `${pointer}/${ops[0]}`, 'bad-rule', { zh: `${ops[0]} 须为条件列表`, en: `${ops[0]} takes a list of conditions` });
    return list.forEach((child, i) => checkCondition(child, `${pointer}/${ops[0]}/${i}`, checker));
  }
  if (Object.hasOwn(c, 'condition')) {
    return report(checker, `${pointer}/condition`, 'bad-rule', { zh: '不支持引用共享条件（condition），请直接写出条件', en: 'shared condition references (condition) are not supported; write the condition out' });
  }
  checkLeaf(c, pointer, checker);
}

// ------------------------------------------------------------ one comparison

function checkLeaf(c: Json, pointer: string, checker: Checker): void {
  const side = checkFactSide(c.fact, c.path, pointer, checker);
  const spec = typeof c.operator === 'string' ? operatorSpecs.get(c.operator) : undefined;
  if (!spec) {
    report(checker, `${pointer}/operator`, 'unknown-operator', {
      zh: `未知的运算符 ${quote(c.operator)}（可用：${[...operatorSpecs.keys()].join('、')}）`,
      en: `unknown operator ${quote(c.operator)} (known: ${[...operatorSpecs.keys()].join(', ')})`,
    });
  } else if (side) {
    checkFactType(spec, side, `${pointer}/operator`, checker);
  }
  if (!Object.hasOwn(c, 'value')) return report(checker, `${pointer}/value`, 'bad-value', { zh: '缺少值（value）', en: 'the value is missing' });
  if (isObject(c.value) && Object.hasOwn(c.value, 'fact')) {
    checkFactSide(c.value.fact, c.value.path, `${pointer}/value`, checker);
  } else if (spec) {
    checkValue(spec, c.value, side, `${pointer}/value`, checker);
  }
}

/** What a condition reads: its fact, and the property its path ends on (when the catalog knows it). */
interface FactSide {
  fact: string;
  path: string;
  type?: FactType;
  enum?: string[];
}

function checkFactSide(fact: unknown, path: unknown, pointer: string, checker: Checker): FactSide | undefined {
  if (typeof fact !== 'string' || fact === '') return report(checker, `${pointer}/fact`, 'bad-rule', { zh: '须指明事实（fact）', en: 'a fact must be named' });
  const definition = checker.facts.get(fact);
  if (!definition) {
    const known = [...checker.facts.keys()];
    return report(checker, `${pointer}/fact`, 'unknown-fact', {
      zh: `未知的事实 "${fact}"（可用：${known.join('、')}）`,
      en: `unknown fact "${fact}" (known: ${known.join(', ')})`,
    });
  }
  if (path === undefined || path === '') return { fact, path: '', type: 'object' };
  const segments = typeof path === 'string' ? parsePath(path) : undefined;
  if (!segments) {
    return report(checker, `${pointer}/path`, 'bad-path', {
      zh: `路径 ${quote(path)} 不受支持，请用 $.a、$.a.b 或 $.a[0] 的形式`,
      en: `the path ${quote(path)} is not supported; use the forms $.a, $.a.b or $.a[0]`,
    });
  }
  return resolveSide(definition, path as string, segments, `${pointer}/path`, checker);
}

/** Follows a path through the catalog as far as it declares properties; reports the first that does not exist. */
function resolveSide(definition: FactDefinition, path: string, segments: PathSegment[], pointer: string, checker: Checker): FactSide | undefined {
  const side: FactSide = { fact: definition.fact, path };
  const names = Object.keys(definition.properties);
  if (names.length === 0) return side; // a provided fact that declares no properties: any path
  const [first, ...rest] = segments;
  const property = Object.hasOwn(definition.properties, first.key) && !first.index ? definition.properties[first.key] : undefined;
  if (!property) {
    return report(checker, pointer, 'unknown-property', {
      zh: `事实 ${definition.fact} 没有属性 "${first.key}"（可用：${names.join('、')}）`,
      en: `the fact ${definition.fact} has no property "${first.key}" (known: ${names.join(', ')})`,
    });
  }
  if (rest.length === 0) return { ...side, type: property.type, enum: property.enum };
  if (property.type === 'object' || property.type === 'array') return side; // free-form contents
  // Into a text or a number: only a text's length means anything (jsonpath-plus follows it).
  if (property.type === 'string' && rest.length === 1 && rest[0].key === 'length' && !rest[0].index) return { ...side, type: 'number' };
  return report(checker, pointer, 'unknown-property', {
    zh: `${definition.fact}.${first.key} 是${TYPE_NAMES[property.type].zh}，路径不能再往下（${path}）`,
    en: `${definition.fact}.${first.key} is ${TYPE_NAMES[property.type].en}; the path cannot go further (${path})`,
  });
}

/** An operator that needs a number (or a list, a text...) on a property the catalog says is something else never fires. */
function checkFactType(spec: OperatorSpec, side: FactSide, pointer: string, checker: Checker): void {
  if (spec.factType === 'any' || side.type === undefined || side.type === spec.factType) return;
  const what = side.path ? `${side.fact} ${side.path}` : side.fact;
  report(checker, pointer, 'bad-value', {
    zh: `运算符 ${spec.name} 用于${TYPE_NAMES[spec.factType].zh}，而 ${what} 是${TYPE_NAMES[side.type].zh}，条件永远不会成立`,
    en: `the operator ${spec.name} works on ${TYPE_NAMES[spec.factType].en}, but ${what} is ${TYPE_NAMES[side.type].en}: the condition can never hold`,
  });
}

const SCALAR_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'boolean']);

/** The literal values an equality operator compares the fact with; other operators compare differently. */
function comparedValues(operator: string, value: unknown): unknown[] {
  if (operator === 'equal' || operator === 'notEqual') return [value];
  return operator === 'in' || operator === 'notIn' ? (value as unknown[]) : [];
}

/**
 * The operator's value shape; then, for equality on a property the catalog
 * types, a value of another type (=== never holds: vip equal "true") or
 * outside the property's enum (status equal "queud").
 */
function checkValue(spec: OperatorSpec, value: unknown, side: FactSide | undefined, pointer: string, checker: Checker): void {
  const problem = operatorValueProblem(spec.name, value);
  if (problem) return report(checker, pointer, spec.valueType === 'pattern' ? 'bad-pattern' : 'bad-value', problem);
  if (!side?.type || !SCALAR_TYPES.has(side.type)) return;
  const { type, enum: allowed } = side;
  const where = `${side.fact} ${side.path}`;
  for (const v of comparedValues(spec.name, value)) {
    if (v !== null && typeof v !== type) {
      return report(checker, pointer, 'bad-value', {
        zh: `${where} 是${TYPE_NAMES[type].zh}，不会等于 ${quote(v)}`,
        en: `${where} is ${TYPE_NAMES[type].en} and never equals ${quote(v)}`,
      });
    }
    if (allowed && !allowed.includes(v as string)) {
      return report(checker, pointer, 'bad-value', {
        zh: `${where} 不会是 ${quote(v)}（可能的值：${allowed.join('、')}）`,
        en: `${where} is never ${quote(v)} (possible values: ${allowed.join(', ')})`,
      });
    }
  }
}

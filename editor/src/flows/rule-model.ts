// The rule builder's model, without React. Rules stay plain json-rules-engine
// JSON (CONVENTIONS, "Flows and rules"): the builder wraps every rule and
// condition in a node that keeps its JSON object untouched (unknown keys and
// key order included) and adds an id for React, so
// rulesToJson(parseRules(rules)) gives `rules` back exactly. Edits replace the
// keys they change and nothing else.
//
// The fact/operator logic mirrors rules/check-rules.ts, so the builder offers
// what publishing accepts. It cannot import it: the rules modules pull
// json-rules-engine into the browser bundle.
import type { FactDefinition, FactProperty, FactType } from '../../../rules/facts';
import type { OperatorInfo } from '../../../rules/operators';
import type { Bilingual } from '../../../rules/plugin';
import { isRecord, setProperty, type JsonObject } from './schema-form';

export type GroupType = 'all' | 'any' | 'not';
export const GROUP_TYPES: readonly GroupType[] = ['all', 'any', 'not'];

export interface LeafNode {
  kind: 'leaf';
  id: string;
  /** `{fact, path?, operator, value, ...}` */
  json: JsonObject;
}

/**
 * all / any / not. json-rules-engine's `not` takes one condition: a `not`
 * group with other than one child is saved as `{not: {all: [...]}}`.
 */
export interface GroupNode {
  kind: 'group';
  id: string;
  type: GroupType;
  /** The group's own keys besides its children (e.g. a condition `priority`). */
  json: JsonObject;
  children: ConditionNode[];
}

/** What the builder cannot edit (a shared `condition` reference, a value naming a fact, malformed JSON): kept as is, edited as JSON. */
export interface RawNode {
  kind: 'raw';
  id: string;
  json: unknown;
}

export type ConditionNode = LeafNode | GroupNode | RawNode;

export interface RuleModel {
  id: string;
  /** The rule as saved; its `conditions` key is replaced by `conditions` below on the way out. */
  json: JsonObject;
  conditions: ConditionNode;
}

/** Makes the ids the builder keys its rows with. */
export type NewId = () => string;

// ------------------------------------------------------------ JSON ⇄ model

const isFactReference = (value: unknown) => isRecord(value) && Object.hasOwn(value, 'fact');

export function parseCondition(json: unknown, newId: NewId): ConditionNode {
  const id = newId();
  const raw: RawNode = { kind: 'raw', id, json };
  if (!isRecord(json)) return raw;
  const types = GROUP_TYPES.filter((type) => Object.hasOwn(json, type));
  if (types.length > 1) return raw;
  const [type] = types;
  if (type === 'not') return isRecord(json.not) ? { kind: 'group', id, type, json, children: [parseCondition(json.not, newId)] } : raw;
  if (type) {
    const list = json[type];
    return Array.isArray(list) ? { kind: 'group', id, type, json, children: list.map((child) => parseCondition(child, newId)) } : raw;
  }
  if (Object.hasOwn(json, 'condition') || isFactReference(json.value)) return raw;
  return { kind: 'leaf', id, json };
}

export function conditionToJson(node: ConditionNode): unknown {
  if (node.kind !== 'group') return node.json;
  const out = { ...node.json };
  for (const type of GROUP_TYPES) if (type !== node.type) delete out[type];
  const children = node.children.map(conditionToJson);
  out[node.type] = node.type !== 'not' ? children : children.length === 1 ? children[0] : { all: children };
  return out;
}

/** The builder's model of a rules array; undefined when an entry is no object (only the JSON view can show it). */
export function parseRules(rules: readonly unknown[], newId: NewId): RuleModel[] | undefined {
  if (!rules.every(isRecord)) return undefined;
  return rules.map((json) => ({ id: newId(), json, conditions: parseCondition(json.conditions, newId) }));
}

export const rulesToJson = (rules: readonly RuleModel[]): JsonObject[] =>
  rules.map(({ json, conditions }) => setProperty(json, 'conditions', conditionToJson(conditions)));

// ------------------------------------------------------------ facts

/** A fact as /api/v1/facts lists it: a catalog entry, or a node type's `provides` with its JSON Schema. */
export type FactEntry = FactDefinition | { fact: string; description: Bilingual; schema: Record<string, unknown> };

const FACT_TYPES: readonly FactType[] = ['string', 'number', 'boolean', 'array', 'object'];

// As rules/validate-flow.ts reads a `provides` schema: integer is a number, a
// property of no single type an object; descriptions from `x-description`,
// else `description` for both languages, else the fact's.
function factProperty(schema: unknown, fallback: Bilingual): FactProperty {
  const { type, description, enum: values, 'x-description': bilingual } = isRecord(schema) ? schema : {};
  const factType = FACT_TYPES.find((t) => t === (type === 'integer' ? 'number' : type)) ?? 'object';
  const text = isRecord(bilingual) && typeof bilingual.zh === 'string' && typeof bilingual.en === 'string'
    ? { zh: bilingual.zh, en: bilingual.en }
    : typeof description === 'string' ? { zh: description, en: description } : fallback;
  const allowed = Array.isArray(values) && values.every((v) => typeof v === 'string') ? { enum: values } : {};
  return { type: factType, description: text, ...allowed };
}

/** The facts the builder offers, from /api/v1/facts: catalog entries as they are, provided facts from their schemas. */
export function factDefinitions(entries: readonly FactEntry[]): FactDefinition[] {
  return entries.map((entry) => {
    if ('properties' in entry) return entry;
    const properties = isRecord(entry.schema.properties) ? entry.schema.properties : {};
    return {
      fact: entry.fact,
      description: entry.description,
      properties: Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, factProperty(p, entry.description)])),
    };
  });
}

/** What a condition reads, as far as the catalog knows it. */
export interface FactSide {
  fact?: FactDefinition;
  /** The path's first step (`$.text`), or the whole path when it has another form; '' for the whole fact. */
  base: string;
  /** The path after `base`, into an object or a list: `.level`, `[0].status`. */
  rest: string;
  /** The declared property `base` names. */
  property?: FactProperty;
  /** The type the path ends on; undefined when the catalog does not say (any operator may apply). */
  type?: FactType;
  enum?: string[];
}

const FIRST_STEP = /^(\$\.[\p{L}\p{M}\p{N}_-]+)(.*)$/u;

/** Resolves a condition's fact and path the way check-rules does. */
export function resolveSide(facts: readonly FactDefinition[], factName: unknown, path: unknown): FactSide {
  const fact = facts.find((f) => f.fact === factName);
  if (typeof path !== 'string' || path === '') return { fact, base: '', rest: '', type: fact ? 'object' : undefined };
  const step = FIRST_STEP.exec(path);
  if (!fact || !step) return { fact, base: path, rest: '' };
  const [, base, rest] = step;
  const name = base.slice(2);
  const property = Object.hasOwn(fact.properties, name) ? fact.properties[name] : undefined;
  const side: FactSide = { fact, base, rest, property };
  if (!property) return side;
  if (rest === '') return { ...side, type: property.type, enum: property.enum };
  // Into a text: only its length means anything (jsonpath-plus follows it).
  return property.type === 'string' && rest === '.length' ? { ...side, type: 'number' } : side;
}

/**
 * Paths the property picker offers: one per declared property, then the whole
 * fact ('': what inBusinessHours reads of `time`, and all a fact without
 * declared properties offers).
 */
export function pathOptions(fact: FactDefinition | undefined): string[] {
  return fact ? [...Object.keys(fact.properties).map((name) => `$.${name}`), ''] : [];
}

/** A path from its first step and what follows inside it; `level` is taken as `.level`. */
export const joinPath = (base: string, rest: string): string =>
  base + (rest === '' || rest.startsWith('.') || rest.startsWith('[') ? rest : `.${rest}`);

/** Operators that can hold on a value of this type (all when the type is unknown). */
export const operatorsFor = (type: FactType | undefined, operators: readonly OperatorInfo[]): OperatorInfo[] =>
  operators.filter((op) => op.factType === 'any' || type === undefined || op.factType === type);

// ------------------------------------------------------------ values

export type ValueKind = 'text' | 'number' | 'boolean' | 'enum' | 'list' | 'pattern' | 'businessHours' | 'minutes' | 'free';

/** The value input a condition needs, from its operator's value type and the property's type. */
export function valueKind(operator: OperatorInfo | undefined, side: FactSide): ValueKind {
  switch (operator?.valueType) {
    case 'number':
      return 'number';
    case 'minutes':
      return 'minutes';
    case 'pattern':
      return 'pattern';
    case 'business-hours':
      return 'businessHours';
    case 'array':
    case 'text-or-list':
      return 'list';
    default:
      if (side.type === 'boolean' || side.type === 'number') return side.type;
      if (side.type === 'string') return side.enum ? 'enum' : 'text';
      return 'free';
  }
}

interface BusinessHours {
  days: number[];
  from: string;
  to: string;
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function fits(kind: ValueKind, value: unknown, side: FactSide): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number';
    case 'minutes':
      return typeof value === 'number' && value > 0;
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
    case 'pattern':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && (side.enum ?? []).includes(value);
    case 'list':
      return Array.isArray(value);
    case 'businessHours':
      return isRecord(value);
    case 'free':
      return isScalar(value);
  }
}

function defaultValue(kind: ValueKind, side: FactSide): unknown {
  switch (kind) {
    case 'number':
      return 0;
    case 'minutes':
      return 30;
    case 'boolean':
      return true;
    case 'enum':
      return side.enum?.[0] ?? '';
    case 'list':
      return [];
    case 'businessHours':
      return { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } satisfies BusinessHours;
    default:
      return '';
  }
}

/** `value` when it suits the input, else the nearest thing that does (a text becomes a one-entry list...), else a default. */
function coerceValue(kind: ValueKind, value: unknown, side: FactSide): unknown {
  if (fits(kind, value, side)) return value;
  const first = Array.isArray(value) ? value[0] : value;
  if (kind === 'list' && typeof value === 'string' && value !== '') return [value];
  if ((kind === 'text' || kind === 'pattern') && typeof first === 'string') return first;
  if ((kind === 'number' || kind === 'minutes') && typeof first === 'string' && first.trim() !== '' && Number.isFinite(Number(first))) return Number(first);
  return defaultValue(kind, side);
}

/** A list value's entries as texts (a single text counts as one entry). */
export function entriesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** Entries as the list value: numbers when the property is a number and they parse. */
export const listValue = (entries: string[], side: FactSide): unknown[] =>
  side.type === 'number' ? entries.map((e) => (Number.isFinite(Number(e)) ? Number(e) : e)) : entries;

export type FreeType = 'text' | 'number' | 'boolean';

export const freeTypeOf = (value: unknown): FreeType =>
  typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';

/** A value of unknown property type converted to the type the analyst picked. */
export function freeValueAs(value: unknown, type: FreeType): unknown {
  if (type === 'boolean') return value === true || value === 'true';
  if (type === 'number') return Number.isFinite(Number(value)) && value !== '' && typeof value !== 'boolean' ? Number(value) : 0;
  return value === null || value === undefined ? '' : String(value);
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** 'HH:MM' from 00:00 to 24:00, as the inBusinessHours operator reads it. */
export const isTime = (value: unknown): boolean => typeof value === 'string' && TIME.test(value) && value <= '24:00';

export function businessHoursOf(value: unknown): BusinessHours {
  const v = isRecord(value) ? value : {};
  return {
    days: Array.isArray(v.days) ? v.days.filter((d): d is number => typeof d === 'number') : [],
    from: typeof v.from === 'string' ? v.from : '',
    to: typeof v.to === 'string' ? v.to : '',
  };
}

/** The value with one weekday switched on or off (days kept in order), other keys untouched. */
export function toggleDay(value: unknown, day: number): JsonObject {
  const { days } = businessHoursOf(value);
  const next = days.includes(day) ? days.filter((d) => d !== day) : [...days, day].sort((a, b) => a - b);
  return { ...(isRecord(value) ? value : {}), days: next };
}

/** The browser's reason a pattern does not compile with the operator's flags, or undefined. */
export function patternError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'iu');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

// ------------------------------------------------------------ editing conditions

const operatorNamed = (operators: readonly OperatorInfo[], name: unknown) => operators.find((op) => op.name === name);

function withFittingValue(json: JsonObject, facts: readonly FactDefinition[], operators: readonly OperatorInfo[]): JsonObject {
  const side = resolveSide(facts, json.fact, json.path);
  return { ...json, value: coerceValue(valueKind(operatorNamed(operators, json.operator), side), json.value, side) };
}

function withFittingOperator(json: JsonObject, facts: readonly FactDefinition[], operators: readonly OperatorInfo[]): JsonObject {
  const valid = operatorsFor(resolveSide(facts, json.fact, json.path).type, operators);
  const operator = valid.some((op) => op.name === json.operator) ? json.operator : (valid[0]?.name ?? json.operator);
  return withFittingValue({ ...json, operator }, facts, operators);
}

/** A condition on another fact: its first property, and an operator and value that suit it. */
export function leafWithFact(json: JsonObject, fact: string, facts: readonly FactDefinition[], operators: readonly OperatorInfo[]): JsonObject {
  const [path] = pathOptions(facts.find((f) => f.fact === fact));
  return withFittingOperator(setProperty({ ...json, fact }, 'path', path || undefined), facts, operators);
}

/** A condition on another path ('' for the whole fact). */
export const leafWithPath = (json: JsonObject, path: string, facts: readonly FactDefinition[], operators: readonly OperatorInfo[]): JsonObject =>
  withFittingOperator(setProperty(json, 'path', path || undefined), facts, operators);

export const leafWithOperator = (json: JsonObject, operator: string, facts: readonly FactDefinition[], operators: readonly OperatorInfo[]): JsonObject =>
  withFittingValue({ ...json, operator }, facts, operators);

export function newLeaf(facts: readonly FactDefinition[], operators: readonly OperatorInfo[], newId: NewId): LeafNode {
  return { kind: 'leaf', id: newId(), json: leafWithFact({}, facts[0]?.fact ?? '', facts, operators) };
}

export const newGroup = (type: GroupType, children: ConditionNode[], newId: NewId): GroupNode =>
  ({ kind: 'group', id: newId(), type, json: {}, children });

export const withChild = (group: GroupNode, child: ConditionNode): GroupNode => ({ ...group, children: [...group.children, child] });

export const replaceChild = (group: GroupNode, index: number, child: ConditionNode): GroupNode =>
  ({ ...group, children: group.children.map((c, i) => (i === index ? child : c)) });

export const withoutChild = (group: GroupNode, index: number): GroupNode =>
  ({ ...group, children: group.children.filter((_, i) => i !== index) });

export const withGroupType = (group: GroupNode, type: GroupType): GroupNode => ({ ...group, type });

// ------------------------------------------------------------ editing rules

/** An event type names an outgoing handle (rules/check-rules.ts). */
const HANDLE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isHandleId = (value: unknown): boolean => typeof value === 'string' && HANDLE_PATTERN.test(value);

export const eventTypeOf = (json: JsonObject): string =>
  isRecord(json.event) && typeof json.event.type === 'string' ? json.event.type : '';

/** The rule leading to another handle; the event's other keys (params) stay. */
export const withEventType = (json: JsonObject, type: string): JsonObject =>
  ({ ...json, event: { ...(isRecord(json.event) ? json.event : {}), type } });

/** Handle names worth suggesting: the ones the rules and the default already use. */
export function handleSuggestions(rules: readonly RuleModel[], defaultHandle: string): string[] {
  return [...new Set([...rules.map((r) => eventTypeOf(r.json)), defaultHandle])].filter(isHandleId);
}

/** A new rule `rule-<n>` (name unused) leading to a handle of the same name, with one condition. */
export function newRule(rules: readonly RuleModel[], facts: readonly FactDefinition[], operators: readonly OperatorInfo[], newId: NewId): RuleModel {
  const taken = new Set(rules.flatMap((r) => [r.json.name, eventTypeOf(r.json)]));
  let n = rules.length + 1;
  while (taken.has(`rule-${n}`)) n += 1;
  const name = `rule-${n}`;
  const conditions = newGroup('all', [newLeaf(facts, operators, newId)], newId);
  return { id: newId(), json: { name, priority: 1, conditions: {}, event: { type: name } }, conditions };
}

/** The rules with the one at `index` moved `by` places (stays put at the ends). */
export function moveRule<T>(rules: readonly T[], index: number, by: number): T[] {
  const to = index + by;
  if (to < 0 || to >= rules.length) return [...rules];
  const out = [...rules];
  const [moved] = out.splice(index, 1);
  out.splice(to, 0, moved);
  return out;
}

// The logic behind SchemaForm, without React: which input a parameter's JSON
// Schema gets (from its type and the `x-` hints, README "Adding an activity"),
// the values a form starts with, and what is wrong with a value.
import type { Bilingual, JsonSchema } from '../../../rules/plugin';
import type { Lang, MessageKey } from '../i18n';

export type JsonObject = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Equal as JSON documents (what a flow stores), whatever the object identity. */
export const sameJson = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export interface NamedRecord {
  id: string;
  name: string;
}

/** The records pickers offer, fetched by the page. */
export interface FormLookups {
  queues: NamedRecord[];
  inboxes: NamedRecord[];
  faqSets: string[];
  agents: NamedRecord[];
  skills: string[];
}

const LOOKUP_WIDGETS = ['queue', 'inboxes', 'faqSet', 'agent', 'skills'] as const;
export type LookupWidget = (typeof LOOKUP_WIDGETS)[number];

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'template'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'lookup' // one record's id
  | 'lookupList' // several records' ids
  | 'choices' // a set out of a few fixed values
  | 'list' // free entries
  | 'keyValue'
  | 'objectList'
  | 'bilingual'
  | 'object'
  | 'json'; // anything else, edited as JSON

function widgetOf(schema: JsonSchema): string | undefined {
  return typeof schema['x-widget'] === 'string' ? schema['x-widget'] : undefined;
}

export const lookupWidget = (schema: JsonSchema): LookupWidget | undefined =>
  LOOKUP_WIDGETS.find((widget) => widget === widgetOf(schema));

export const schemaOf = (value: unknown): JsonSchema => (isRecord(value) ? value : {});

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return isRecord(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
}

/** Integer items with bounds this close make a row of checkboxes (days of the week). */
const MAX_CHOICES = 31;

/** The fixed values an array's items may take, or undefined when entries are free. */
export function choicesOf(items: JsonSchema): (string | number)[] | undefined {
  if (Array.isArray(items.enum)) return items.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  const { minimum: min, maximum: max } = items;
  if (items.type !== 'integer' || typeof min !== 'number' || typeof max !== 'number' || max - min >= MAX_CHOICES) return undefined;
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

const isBilingualSchema = (schema: JsonSchema) => {
  const names = Object.keys(propertiesOf(schema));
  return names.length === 2 && names.includes('zh') && names.includes('en');
};

const SCALAR_TYPES = ['string', 'number', 'integer'];

function arrayKind(schema: JsonSchema): FieldKind {
  const items = schemaOf(schema.items);
  if (items.type === 'object') return 'objectList';
  if (choicesOf(items)) return 'choices';
  if (lookupWidget(schema)) return 'lookupList';
  return SCALAR_TYPES.includes(items.type as string) ? 'list' : 'json';
}

function objectKind(schema: JsonSchema): FieldKind {
  const values = schema.additionalProperties;
  if (widgetOf(schema) === 'keyValue' || (isRecord(values) && values.type === 'string' && !isRecord(schema.properties))) return 'keyValue';
  if (isBilingualSchema(schema)) return 'bilingual';
  return isRecord(schema.properties) ? 'object' : 'json';
}

/** The input a parameter gets. */
export function fieldKind(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum)) return 'enum';
  switch (schema.type) {
    case 'string': {
      if (lookupWidget(schema)) return 'lookup';
      const widget = widgetOf(schema);
      return widget === 'template' || widget === 'textarea' ? widget : 'text';
    }
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return arrayKind(schema);
    case 'object':
      return objectKind(schema);
    default:
      return 'json';
  }
}

/**
 * The properties SchemaForm renders, in schema order. A rules node's `rules`
 * (`x-widget: 'rules'`) is not among them: the page shows RuleBuilder for it.
 */
export function formProperties(schema: JsonSchema): string[] {
  return Object.entries(propertiesOf(schema))
    .filter(([, property]) => widgetOf(property) !== 'rules')
    .map(([name]) => name);
}

export const isRequired = (schema: JsonSchema, name: string): boolean =>
  Array.isArray(schema.required) && schema.required.includes(name);

/**
 * `value` with every missing property that has a `default` filled in, inside
 * nested objects that are present too: what a new node starts with, and what
 * the form shows.
 */
export function withDefaults(schema: JsonSchema, value: unknown): JsonObject {
  const out: JsonObject = isRecord(value) ? { ...value } : {};
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    if (out[name] === undefined && property.default !== undefined) out[name] = structuredClone(property.default);
    else if (isRecord(out[name]) && isRecord(property.properties)) out[name] = withDefaults(property, out[name]);
  }
  return out;
}

/** `object` with `name` set, or removed when `value` is undefined. */
export function setProperty(object: JsonObject, name: string, value: unknown): JsonObject {
  const out = { ...object };
  if (value === undefined) delete out[name];
  else out[name] = value;
  return out;
}

function bilingualText(value: unknown, lang: Lang): string | undefined {
  if (!isRecord(value)) return undefined;
  const text = (value as Partial<Bilingual>)[lang];
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** The field's label: `x-title` in the language, else the property name. */
export const titleOf = (schema: JsonSchema, name: string, lang: Lang): string => bilingualText(schema['x-title'], lang) ?? name;

export const helpOf = (schema: JsonSchema, lang: Lang): string | undefined => bilingualText(schema['x-description'], lang);

/** An enum value's label: its `x-enumTitles` entry, else the value. */
export function enumLabel(schema: JsonSchema, value: unknown, lang: Lang): string {
  const titles = schema['x-enumTitles'];
  return (isRecord(titles) && bilingualText(titles[String(value)], lang)) || String(value);
}

interface Option {
  value: string;
  label: string;
}

const named = (records: NamedRecord[] | undefined): Option[] =>
  (records ?? []).map(({ id, name }) => ({ value: id, label: name && name !== id ? `${name} (${id})` : id }));
const plain = (names: string[] | undefined): Option[] => (names ?? []).map((name) => ({ value: name, label: name }));

/** What a record picker offers; empty until the page has the lookups. */
export function lookupOptions(widget: LookupWidget, lookups: Partial<FormLookups> | undefined): Option[] {
  switch (widget) {
    case 'queue':
      return named(lookups?.queues);
    case 'inboxes':
      return named(lookups?.inboxes);
    case 'agent':
      return named(lookups?.agents);
    case 'faqSet':
      return plain(lookups?.faqSets);
    case 'skills':
      return plain(lookups?.skills);
  }
}

/** A problem to show under a field, as a dictionary key and its parameters. */
export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

function numberProblem(schema: JsonSchema, value: number): Problem | undefined {
  if (schema.type === 'integer' && !Number.isInteger(value)) return { key: 'form.error.integer' };
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if ((min === undefined || value >= min) && (max === undefined || value <= max)) return undefined;
  if (min !== undefined && max !== undefined) return { key: 'form.error.range', params: { min, max } };
  return min !== undefined ? { key: 'form.error.min', params: { min } } : { key: 'form.error.max', params: { max: max! } };
}

function matches(schema: JsonSchema, value: string): boolean {
  if (typeof schema.pattern !== 'string') return true;
  try {
    return new RegExp(schema.pattern, 'u').test(value);
  } catch {
    return true; // the validator reports a broken schema; the form has nothing to say
  }
}

/**
 * What is wrong with one scalar value under its schema (bounds, whole numbers,
 * pattern). An empty value is not: the required mark says it is needed, and
 * publishing reports it.
 */
export function valueProblem(schema: JsonSchema, value: unknown): Problem | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return numberProblem(schema, value);
  if (typeof value === 'string' && !matches(schema, value)) return { key: 'form.error.pattern' };
  return undefined;
}

/** Entries of a list that break the items' schema, as one problem naming them. */
export function entriesProblem(items: JsonSchema, entries: unknown[]): Problem | undefined {
  const bad = entries.filter((entry) => valueProblem(items, entry) !== undefined);
  return bad.length ? { key: 'form.error.entries', params: { entries: bad.join(', ') } } : undefined;
}

/** Splits "a, b，c" into entries (ASCII and full-width commas). */
export const splitEntries = (text: string): string[] =>
  text.split(/[,，]/).map((entry) => entry.trim()).filter((entry) => entry !== '');

/** List entries typed for the items' schema: numbers for numeric items when they parse. */
export function typedEntries(items: JsonSchema, entries: string[]): unknown[] {
  if (items.type !== 'number' && items.type !== 'integer') return entries;
  return entries.map((entry) => (Number.isFinite(Number(entry)) ? Number(entry) : entry));
}

/** A number input's text as a number; undefined while it is empty or not a number. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** `[key, value]` rows of a key/value object, and back (rows with an empty key are left out). */
export const rowsOf = (value: unknown): [string, string][] =>
  isRecord(value) ? Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]) : [];

export const objectOfRows = (rows: [string, string][]): JsonObject =>
  Object.fromEntries(rows.filter(([key]) => key !== ''));

/** Keys that appear in more than one row. */
export function duplicateKeys(rows: [string, string][]): Set<string> {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const [key] of rows) {
    if (key !== '' && seen.has(key)) dupes.add(key);
    seen.add(key);
  }
  return dupes;
}

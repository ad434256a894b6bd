// A node's settings form, generated from its type's `parameters` JSON Schema
// and the `x-` hints (README, "Adding an activity"). Every input has a label
// and carries `nodrag` (React Flow). The rules of a rules node are not here:
// the page shows RuleBuilder for them (see formProperties).
import { createContext, useContext, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { JsonSchema } from '../../../rules/plugin';
import { useI18n } from '../i18n';
import {
  choicesOf, duplicateKeys, entriesProblem, enumLabel, fieldKind, formProperties, helpOf, isRecord, isRequired, lookupOptions,
  lookupWidget, objectOfRows, parseNumber, propertiesOf, rowsOf, sameJson, schemaOf, setProperty, splitEntries, titleOf,
  typedEntries, valueProblem, withDefaults, type FormLookups, type JsonObject, type LookupWidget, type Problem,
} from './schema-form';
import './forms.css';

export interface SchemaFormProps {
  /** The node type's `parameters` schema (an object schema). */
  schema: JsonSchema;
  /** The node's parameters. Missing properties show (and, once anything is edited, save) their defaults. */
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  /** Records the pickers offer (queues, inboxes, FAQ sets, agents, skills); free text until they are there. */
  lookups?: Partial<FormLookups>;
  /** Makes the inputs' ids unique on the page, e.g. the node id. */
  idPrefix?: string;
}

interface FormSettings {
  lookups?: Partial<FormLookups>;
  idPrefix: string;
  /** Inside a table-like row: template texts get one line and no hint (the rows' group shows it once). */
  compact?: boolean;
}

const FormContext = createContext<FormSettings>({ idPrefix: 'param' });

export function SchemaForm({ schema, value, onChange, lookups, idPrefix = 'param' }: SchemaFormProps) {
  const { t } = useI18n();
  const current = withDefaults(schema, value);
  const names = formProperties(schema);
  if (names.length === 0) return <p className="sf-empty">{t('form.empty')}</p>;
  return (
    <FormContext value={{ lookups, idPrefix }}>
      <div className="sf">
        <Fields schema={schema} names={names} value={current} path={[]} onChange={onChange} />
      </div>
    </FormContext>
  );
}

// ------------------------------------------------------------ shared inputs

/**
 * Editing state that differs from the value (a half-typed number, a trailing
 * comma) and follows the value when it changes from outside. The setter takes
 * the new draft and the value it stands for (the one emitted, if any).
 */
export function useDraft<V, D>(value: V, toDraft: (value: V) => D): [D, (draft: D, emitted: V) => void] {
  const [draft, setDraft] = useState(() => toDraft(value));
  const [seen, setSeen] = useState(value);
  if (!sameJson(seen, value)) {
    setSeen(value);
    setDraft(toDraft(value));
  }
  return [draft, (next, emitted) => {
    setDraft(next);
    setSeen(emitted);
  }];
}

type NativeInput = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'>;

const numberText = (value: unknown) => (typeof value === 'number' ? String(value) : '');

/** A number input that emits numbers only; clearing it emits undefined when it loses focus. */
export function NumberInput({ value, onChange, ...rest }: NativeInput & { value: unknown; onChange: (value: number | undefined) => void }) {
  const [text, setText] = useDraft(value, numberText);
  return (
    <input
      {...rest}
      type="number"
      className="nodrag"
      value={text}
      onChange={(e) => {
        const n = parseNumber(e.target.value);
        setText(e.target.value, n ?? value);
        if (n !== undefined) onChange(n);
      }}
      onBlur={() => {
        if (text.trim() === '' && value !== undefined) {
          setText('', undefined);
          onChange(undefined);
        } else if (parseNumber(text) === undefined) {
          setText(numberText(value), value);
        }
      }}
    />
  );
}

const joinEntries = (entries: string[]) => entries.join(', ');

/** A text input of comma-separated entries, shown as removable chips too. */
export function ListInput({ entries, onChange, testId, placeholder, ...rest }: NativeInput & { entries: string[]; onChange: (entries: string[]) => void; testId: string }) {
  const { t } = useI18n();
  const [text, setText] = useDraft(entries, joinEntries);
  const emit = (nextText: string, next: string[]) => {
    setText(nextText, next);
    onChange(next);
  };
  return (
    <div className="sf-list">
      <input
        {...rest}
        placeholder={placeholder ?? t('form.listPlaceholder')}
        type="text"
        className="nodrag"
        data-testid={testId}
        value={text}
        onChange={(e) => emit(e.target.value, splitEntries(e.target.value))}
      />
      <Chips
        items={entries.map((entry) => ({ value: entry, label: entry }))}
        onRemove={(i) => {
          const next = entries.filter((_, j) => j !== i);
          emit(joinEntries(next), next);
        }}
        testId={testId}
      />
    </div>
  );
}

function Chips({ items, onRemove, testId }: { items: { value: string; label: string }[]; onRemove: (index: number) => void; testId: string }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul className="chips">
      {items.map((item, i) => (
        <li key={`${i}-${item.value}`} className="chip">
          <span>{item.label}</span>
          <button
            type="button"
            className="chip-remove nodrag"
            aria-label={t('form.removeEntry', { entry: item.label })}
            data-testid={`${testId}-remove-${i}`}
            onClick={() => onRemove(i)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

export function RequiredMark() {
  const { t } = useI18n();
  return (
    <>
      <span className="sf-required" aria-hidden="true">*</span>
      <span className="visually-hidden">{t('form.required')}</span>
    </>
  );
}

/** The ids of a field's help and problem, for aria-describedby. */
export const describedBy = (id: string, help?: string, problem?: unknown) =>
  [help && `${id}-help`, problem && `${id}-error`].filter(Boolean).join(' ') || undefined;

/** Under a field: its help, a general hint (not announced with the field), its problem. */
export function HelpText({ id, help, hint, problem }: { id: string; help?: string; hint?: string; problem?: string }) {
  return (
    <>
      {help && <p id={`${id}-help`} className="sf-help">{help}</p>}
      {hint && <p className="sf-hint">{hint}</p>}
      {problem && <p id={`${id}-error`} className="sf-error">{problem}</p>}
    </>
  );
}

// ------------------------------------------------------------ fields

interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  /** Property names (and row indexes) from the form's root. */
  path: string[];
  required: boolean;
  onChange: (value: unknown) => void;
}

/** What every field needs: its id, test id, label, help, and its problem as text. */
function useField({ name, schema, path }: FieldProps) {
  const { lang, t } = useI18n();
  const { idPrefix, lookups, compact } = useContext(FormContext);
  const key = path.join('.');
  return {
    id: `${idPrefix}-${key}`,
    testId: `param-${key}`,
    label: titleOf(schema, name, lang),
    help: helpOf(schema, lang),
    say: (problem: Problem | undefined) => problem && t(problem.key, problem.params),
    lookups, compact, lang, t,
  };
}

function Fields({ schema, names, value, path, onChange }: { schema: JsonSchema; names: string[]; value: JsonObject; path: string[]; onChange: (value: JsonObject) => void }) {
  const properties = propertiesOf(schema);
  return names.map((name) => (
    <Field
      key={name}
      name={name}
      schema={properties[name]}
      value={value[name]}
      path={[...path, name]}
      required={isRequired(schema, name)}
      onChange={(next) => onChange(setProperty(value, name, next))}
    />
  ));
}

function Field(props: FieldProps) {
  switch (fieldKind(props.schema)) {
    case 'text':
    case 'textarea':
    case 'template':
      return <TextField {...props} />;
    case 'number':
      return <NumberField {...props} />;
    case 'boolean':
      return <BooleanField {...props} />;
    case 'enum':
      return <EnumField {...props} />;
    case 'lookup':
      return <LookupField {...props} />;
    case 'lookupList':
      return <LookupListField {...props} />;
    case 'choices':
      return <ChoicesField {...props} />;
    case 'list':
      return <ListField {...props} />;
    case 'keyValue':
      return <KeyValueField {...props} />;
    case 'objectList':
      return <ObjectListField {...props} />;
    case 'bilingual':
      return <BilingualField {...props} />;
    case 'object':
      return <ObjectField {...props} />;
    case 'json':
      return <JsonField {...props} />;
  }
}

function FieldFrame({ id, label, required, help, hint, problem, children }: { id: string; label: string; required: boolean; help?: string; hint?: string; problem?: string; children: ReactNode }) {
  return (
    <div className="sf-field">
      <label htmlFor={id} className="sf-label">
        {label}
        {required && <RequiredMark />}
      </label>
      {children}
      <HelpText id={id} help={help} hint={hint} problem={problem} />
    </div>
  );
}

function GroupFrame({ label, required, help, actions, children, className = '' }: { label: string; required: boolean; help?: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <fieldset className={`sf-group ${className}`}>
      <legend className="sf-label">
        {label}
        {required && <RequiredMark />}
      </legend>
      {help && <p className="sf-help">{help}</p>}
      {children}
      {actions && <div className="sf-actions">{actions}</div>}
    </fieldset>
  );
}

function TextField(props: FieldProps & { templateHint?: boolean }) {
  const { schema, value, required, onChange, templateHint = true } = props;
  const { id, testId, label, help, say, compact, t } = useField(props);
  const kind = fieldKind(schema);
  const text = typeof value === 'string' ? value : '';
  const problem = say(valueProblem(schema, text));
  const common = {
    id, className: 'nodrag', value: text, 'data-testid': testId, required, 'aria-invalid': problem ? true : undefined,
    'aria-describedby': describedBy(id, help, problem), maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : undefined,
  };
  const change = (next: string) => onChange(next === '' && !required ? undefined : next);
  const oneLine = kind === 'text' || (kind === 'template' && compact);
  const hint = kind === 'template' && templateHint && !compact ? t('form.templateHint') : undefined;
  return (
    <FieldFrame id={id} label={label} required={required} help={help} hint={hint} problem={problem}>
      {oneLine ? (
        <input {...common} type="text" onChange={(e) => change(e.target.value)} />
      ) : (
        <textarea {...common} rows={kind === 'template' ? 3 : 4} onChange={(e) => change(e.target.value)} />
      )}
    </FieldFrame>
  );
}

function NumberField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, say } = useField(props);
  const problem = say(valueProblem(schema, value));
  return (
    <FieldFrame id={id} label={label} required={required} help={help} problem={problem}>
      <NumberInput
        id={id}
        data-testid={testId}
        value={value}
        onChange={onChange}
        min={typeof schema.minimum === 'number' ? schema.minimum : undefined}
        max={typeof schema.maximum === 'number' ? schema.maximum : undefined}
        step={schema.type === 'integer' ? 1 : 'any'}
        required={required}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(id, help, problem)}
      />
    </FieldFrame>
  );
}

function BooleanField(props: FieldProps) {
  const { value, onChange } = props;
  const { id, testId, label, help } = useField(props);
  return (
    <div className="sf-field sf-check">
      <input id={id} type="checkbox" className="nodrag" data-testid={testId} checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy(id, help)} />
      <label htmlFor={id}>{label}</label>
      <HelpText id={id} help={help} />
    </div>
  );
}

function EnumField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, lang, t } = useField(props);
  const values = schema.enum as unknown[];
  const known = values.some((v) => v === value);
  return (
    <FieldFrame id={id} label={label} required={required} help={help}>
      <select
        id={id}
        className="nodrag"
        data-testid={testId}
        value={value === undefined ? '' : String(value)}
        required={required}
        aria-describedby={describedBy(id, help)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : values.find((v) => String(v) === e.target.value) ?? e.target.value)}
      >
        {(value === undefined || !required) && <option value="" disabled={required}>{required ? t('form.choose') : t('form.none')}</option>}
        {value !== undefined && !known && <option value={String(value)}>{t('form.unknownValue', { value: String(value) })}</option>}
        {values.map((v) => (
          <option key={String(v)} value={String(v)}>{enumLabel(schema, v, lang)}</option>
        ))}
      </select>
    </FieldFrame>
  );
}

function LookupField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, lookups, t } = useField(props);
  const options = lookupOptions(lookupWidget(schema) as LookupWidget, lookups);
  const current = typeof value === 'string' ? value : '';
  const known = options.some((o) => o.value === current);
  return (
    <FieldFrame id={id} label={label} required={required} help={help}>
      <select id={id} className="nodrag" data-testid={testId} value={current} required={required} aria-describedby={describedBy(id, help)} onChange={(e) => onChange(e.target.value || undefined)}>
        {(current === '' || !required) && <option value="" disabled={required}>{required ? t('form.choose') : t('form.none')}</option>}
        {current !== '' && !known && <option value={current}>{t('form.notFound', { value: current })}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </FieldFrame>
  );
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function LookupListField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, lookups, t } = useField(props);
  const options = lookupOptions(lookupWidget(schema) as LookupWidget, lookups);
  if (options.length === 0) return <ListField {...props} />;
  const chosen = stringsOf(value);
  const labelOf = (v: string) => options.find((o) => o.value === v)?.label ?? t('form.notFound', { value: v });
  return (
    <FieldFrame id={id} label={label} required={required} help={help}>
      <select id={id} className="nodrag" data-testid={testId} value="" aria-describedby={describedBy(id, help)} onChange={(e) => e.target.value && onChange([...chosen, e.target.value])}>
        <option value="">{t('form.addChoice')}</option>
        {options.filter((o) => !chosen.includes(o.value)).map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <Chips items={chosen.map((v) => ({ value: v, label: labelOf(v) }))} onRemove={(i) => onChange(chosen.filter((_, j) => j !== i))} testId={testId} />
    </FieldFrame>
  );
}

function ChoicesField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, lang } = useField(props);
  const items = schemaOf(schema.items);
  const choices = choicesOf(items) ?? [];
  const chosen: unknown[] = Array.isArray(value) ? value : [];
  const toggle = (choice: string | number) =>
    onChange(chosen.includes(choice) ? chosen.filter((v) => v !== choice) : choices.filter((c) => c === choice || chosen.includes(c)));
  return (
    <GroupFrame label={label} required={required} help={help} className="sf-choices">
      <div className="sf-choice-row">
        {choices.map((choice) => (
          <label key={choice} htmlFor={`${id}-${choice}`} className="sf-choice">
            <input id={`${id}-${choice}`} type="checkbox" className="nodrag" data-testid={`${testId}.${choice}`} checked={chosen.includes(choice)} onChange={() => toggle(choice)} />
            {enumLabel(items, choice, lang)}
          </label>
        ))}
      </div>
    </GroupFrame>
  );
}

function ListField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, say } = useField(props);
  const items = schemaOf(schema.items);
  const problem = say(entriesProblem(items, Array.isArray(value) ? value : []));
  return (
    <FieldFrame id={id} label={label} required={required} help={help} problem={problem}>
      <ListInput
        id={id}
        testId={testId}
        entries={stringsOf(value)}
        onChange={(entries) => onChange(typedEntries(items, entries))}
        required={required}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(id, help, problem)}
      />
    </FieldFrame>
  );
}

function KeyValueField(props: FieldProps) {
  const { schema, value, required, onChange } = props;
  const { id, testId, label, help, say, t } = useField(props);
  const [rows, setRows] = useDraft(isRecord(value) ? value : {}, rowsOf);
  const keySchema = schemaOf(schema.propertyNames);
  const valueSchema = schemaOf(schema.additionalProperties);
  const dupes = duplicateKeys(rows);
  const update = (next: [string, string][]) => {
    const object = objectOfRows(next);
    setRows(next, object);
    onChange(object);
  };
  return (
    <GroupFrame label={label} required={required} help={help} actions={<button type="button" className="btn btn-secondary sf-small nodrag" data-testid={`${testId}-add`} onClick={() => update([...rows, ['', '']])}>{t('form.addRow')}</button>}>
      {rows.map(([key, text], i) => {
        const rowId = `${id}.${i}`;
        const problem = dupes.has(key) ? t('form.duplicateKey') : say(valueProblem(keySchema, key));
        return (
          <div key={i} className="sf-row">
            <div className="sf-field">
              <label htmlFor={`${rowId}.key`} className="sf-label">{t('form.key')}</label>
              <input id={`${rowId}.key`} className="nodrag" data-testid={`${testId}.${i}.key`} value={key} aria-invalid={problem ? true : undefined} aria-describedby={describedBy(`${rowId}.key`, undefined, problem)} onChange={(e) => update(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
              <HelpText id={`${rowId}.key`} problem={problem} />
            </div>
            <div className="sf-field">
              <label htmlFor={`${rowId}.value`} className="sf-label">{t('form.value')}</label>
              <input id={`${rowId}.value`} className="nodrag" data-testid={`${testId}.${i}.value`} value={text} maxLength={typeof valueSchema.maxLength === 'number' ? valueSchema.maxLength : undefined} onChange={(e) => update(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
            </div>
            <RemoveButton label={t('form.removeRow', { n: i + 1 })} testId={`${testId}.${i}-remove`} onClick={() => update(rows.filter((_, j) => j !== i))} />
          </div>
        );
      })}
    </GroupFrame>
  );
}

function RemoveButton({ label, testId, onClick }: { label: string; testId: string; onClick: () => void }) {
  return (
    <button type="button" className="icon-btn sf-remove nodrag" aria-label={label} title={label} data-testid={testId} onClick={onClick}>
      ×
    </button>
  );
}

function ObjectListField(props: FieldProps) {
  const { schema, value, path, required, onChange } = props;
  const { testId, label, help, t } = useField(props);
  const settings = useContext(FormContext);
  const items = schemaOf(schema.items);
  const rows: unknown[] = Array.isArray(value) ? value : [];
  const templates = Object.values(propertiesOf(items)).some((item) => fieldKind(item) === 'template');
  const full = typeof schema.maxItems === 'number' && rows.length >= schema.maxItems;
  const names = formProperties(items);
  const add = (
    <button type="button" className="btn btn-secondary sf-small nodrag" data-testid={`${testId}-add`} disabled={full} onClick={() => onChange([...rows, withDefaults(items, {})])}>
      {t('form.addRow')}
    </button>
  );
  return (
    <GroupFrame label={label} required={required} help={help} actions={add}>
      <FormContext value={{ ...settings, compact: true }}>
        {rows.map((row, i) => (
          <div key={i} className="sf-row">
            <Fields
              schema={items}
              names={names}
              value={withDefaults(items, row)}
              path={[...path, String(i)]}
              onChange={(next) => onChange(rows.map((r, j) => (j === i ? next : r)))}
            />
            <RemoveButton label={t('form.removeRow', { n: i + 1 })} testId={`${testId}.${i}-remove`} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
          </div>
        ))}
      </FormContext>
      {templates && rows.length > 0 && <p className="sf-hint">{t('form.templateHint')}</p>}
    </GroupFrame>
  );
}

const LANGS = ['zh', 'en'] as const;

function BilingualField(props: FieldProps) {
  const { schema, value, path, required, onChange } = props;
  const { label, help, t } = useField(props);
  const object = isRecord(value) ? value : {};
  const properties = propertiesOf(schema);
  const templates = LANGS.some((l) => fieldKind(properties[l]) === 'template');
  return (
    <GroupFrame label={label} required={required} help={help} className="sf-bilingual">
      {LANGS.map((l) => (
        <TextField
          key={l}
          name={t(`form.lang.${l}`)}
          schema={properties[l]}
          value={object[l]}
          path={[...path, l]}
          required={isRequired(schema, l)}
          templateHint={false}
          onChange={(next) => onChange(setProperty(object, l, next))}
        />
      ))}
      {templates && <p className="sf-hint">{t('form.templateHint')}</p>}
    </GroupFrame>
  );
}

function ObjectField(props: FieldProps) {
  const { schema, value, path, required, onChange } = props;
  const { testId, label, help, t } = useField(props);
  if (!isRecord(value) && !required) {
    return (
      <GroupFrame label={label} required={false} help={help} className="sf-unset">
        <button type="button" className="btn btn-secondary sf-small nodrag" data-testid={`${testId}-add`} onClick={() => onChange(withDefaults(schema, {}))}>
          {t('form.set', { title: label })}
        </button>
      </GroupFrame>
    );
  }
  const remove = !required && (
    <button type="button" className="link-btn nodrag" data-testid={`${testId}-remove`} onClick={() => onChange(undefined)}>
      {t('form.unset', { title: label })}
    </button>
  );
  return (
    <GroupFrame label={label} required={required} help={help} actions={remove || undefined}>
      <Fields schema={schema} names={formProperties(schema)} value={withDefaults(schema, value)} path={path} onChange={onChange} />
    </GroupFrame>
  );
}

const jsonText = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/** The JSON field's text as a value, or why it is none; empty text is no value. */
function parseJson(text: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return {};
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function JsonField(props: FieldProps) {
  const { value, required, onChange } = props;
  const { id, testId, label, help, t } = useField(props);
  const [text, setText] = useDraft(value, jsonText);
  const parsed = parseJson(text);
  const error = parsed.error === undefined ? undefined : t('form.error.json', { message: parsed.error });
  const change = (next: string) => {
    const result = parseJson(next);
    if (result.error !== undefined) return setText(next, value);
    setText(next, result.value);
    onChange(result.value);
  };
  const hint = help ?? t('form.jsonHint');
  return (
    <FieldFrame id={id} label={label} required={required} help={hint} problem={error}>
      <textarea id={id} className="nodrag sf-code" data-testid={testId} rows={4} value={text} spellCheck={false} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => change(e.target.value)} />
    </FieldFrame>
  );
}

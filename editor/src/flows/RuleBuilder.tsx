// The rules of a rules node, built without writing JSON: an ordered list of
// rules, each with its name, priority, the handle it leads to (its event type)
// and nested all / any / not groups of conditions; and the default handle. A
// JSON view edits the same json-rules-engine JSON. The model (rule-model.ts)
// keeps each rule's and condition's JSON as it was, so whatever the builder
// does not show survives its edits.
import { createContext, useContext, useId, useState, type ReactNode } from 'react';
import type { FactDefinition, FactProperty } from '../../../rules/facts';
import type { OperatorInfo } from '../../../rules/operators';
import { useI18n, type Lang, type MessageKey } from '../i18n';
import {
  businessHoursOf, entriesOf, eventTypeOf, freeTypeOf, freeValueAs, GROUP_TYPES, handleSuggestions, isHandleId, isTime, joinPath,
  leafWithFact, leafWithOperator, leafWithPath, listValue, moveRule, newGroup, newLeaf, newRule, operatorsFor, parseRules, pathOptions,
  patternError, replaceChild, resolveSide, rulesToJson, toggleDay, valueKind, WEEKDAYS, withChild, withEventType, withGroupType,
  withoutChild, type ConditionNode, type FactSide, type FreeType, type GroupNode, type GroupType, type LeafNode, type NewId,
  type RuleModel, type ValueKind,
} from './rule-model';
import { describedBy, HelpText, ListInput, NumberInput, RequiredMark, useDraft } from './SchemaForm';
import { isRecord, sameJson, setProperty, type JsonObject } from './schema-form';
import './forms.css';

export interface RuleBuilderProps {
  /** The rules node's `rules` parameter: json-rules-engine rules. */
  rules: unknown[];
  /** The handle taken when no rule fires. */
  defaultHandle: string;
  /** Facts with their properties: the catalog plus provided facts (`factDefinitions` turns /api/v1/facts into these). */
  facts: FactDefinition[];
  operators: OperatorInfo[];
  /** Both parameters, whichever changed: spread them into the node's parameters. */
  onChange: (next: { rules: unknown[]; defaultHandle: string }) => void;
}

let lastId = 0;
const nextId: NewId = () => `n${++lastId}`;

interface Builder {
  facts: FactDefinition[];
  operators: OperatorInfo[];
  /** Prefix of the ids inside this builder. */
  baseId: string;
  /** The datalist of handle names. */
  handlesId: string;
}

const BuilderContext = createContext<Builder>({ facts: [], operators: [], baseId: 'rb', handlesId: '' });

export function RuleBuilder({ rules, defaultHandle, facts, operators, onChange }: RuleBuilderProps) {
  const { t } = useI18n();
  const baseId = useId();
  const [state, setState] = useState(() => ({ source: rules, model: parseRules(rules, nextId) }));
  const [jsonOpen, setJsonOpen] = useState(false);
  let { model } = state;
  if (!sameJson(rules, state.source)) {
    model = parseRules(rules, nextId);
    setState({ source: rules, model });
  }
  const emit = (json: unknown[], next: RuleModel[] | undefined) => {
    setState({ source: json, model: next });
    onChange({ rules: json, defaultHandle });
  };
  const commit = (next: RuleModel[]) => emit(rulesToJson(next), next);
  const handlesId = `${baseId}-handles`;
  const builder = { facts, operators, baseId, handlesId };
  return (
    <BuilderContext value={builder}>
      <div className="rb">
        <div className="rb-toolbar">
          <p className="sf-hint">{t('rules.orderHint')}</p>
          <button
            type="button"
            className="btn btn-secondary sf-small nodrag"
            data-testid="rules-json-toggle"
            aria-pressed={jsonOpen || !model}
            disabled={!model}
            onClick={() => setJsonOpen(!jsonOpen)}
          >
            {t('rules.json')}
          </button>
        </div>
        {model && !jsonOpen ? (
          <RuleList rules={model} onChange={commit} />
        ) : (
          <>
            {!model && <p className="rb-notice">{t('rules.onlyJson')}</p>}
            <RulesJson rules={rules} onApply={(json) => emit(json, parseRules(json, nextId))} />
          </>
        )}
        <DefaultHandle value={defaultHandle} onChange={(next) => onChange({ rules, defaultHandle: next })} />
        <datalist id={handlesId}>
          {handleSuggestions(model ?? [], defaultHandle).map((handle) => (
            <option key={handle} value={handle} />
          ))}
        </datalist>
      </div>
    </BuilderContext>
  );
}

function RuleList({ rules, onChange }: { rules: RuleModel[]; onChange: (rules: RuleModel[]) => void }) {
  const { t } = useI18n();
  const { facts, operators } = useContext(BuilderContext);
  return (
    <>
      {rules.length === 0 && <p className="rb-empty">{t('rules.empty')}</p>}
      <ol className="rb-rules">
        {rules.map((rule, i) => (
          <RuleCard
            key={rule.id}
            rule={rule}
            index={i}
            last={i === rules.length - 1}
            onChange={(next) => onChange(rules.map((r, j) => (j === i ? next : r)))}
            onMove={(by) => onChange(moveRule(rules, i, by))}
            onDelete={() => onChange(rules.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <button type="button" className="btn btn-secondary rb-add-rule nodrag" data-testid="rule-add" onClick={() => onChange([...rules, newRule(rules, facts, operators, nextId)])}>
        + {t('rules.add')}
      </button>
    </>
  );
}

const isPriority = (value: unknown) => value === undefined || (Number.isInteger(value) && (value as number) >= 1);

function RuleCard({ rule, index, last, onChange, onMove, onDelete }: {
  rule: RuleModel;
  index: number;
  last: boolean;
  onChange: (rule: RuleModel) => void;
  onMove: (by: number) => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  const { baseId, handlesId } = useContext(BuilderContext);
  const id = `${baseId}-${rule.id}`;
  const test = `rule-${index}`;
  const { json } = rule;
  const event = eventTypeOf(json);
  const eventProblem = isHandleId(event) ? undefined : t('rules.handleInvalid');
  const priorityProblem = isPriority(json.priority) ? undefined : t('rules.priorityInvalid');
  const setJson = (next: JsonObject) => onChange({ ...rule, json: next });
  return (
    <li className="rb-rule" data-testid={test} aria-label={t('rules.rule', { n: index + 1 })}>
      <div className="rb-rule-head">
        <span className="rb-rule-index" aria-hidden="true">{index + 1}</span>
        <div className="sf-field rb-grow">
          <label htmlFor={`${id}-name`} className="sf-label">{t('rules.name')}</label>
          <input id={`${id}-name`} className="nodrag" data-testid={`${test}-name`} value={typeof json.name === 'string' ? json.name : ''} onChange={(e) => setJson(setProperty(json, 'name', e.target.value || undefined))} />
        </div>
        <div className="rb-rule-actions">
          <IconButton label={t('rules.up')} testId={`${test}-up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</IconButton>
          <IconButton label={t('rules.down')} testId={`${test}-down`} disabled={last} onClick={() => onMove(1)}>↓</IconButton>
          <IconButton label={t('rules.delete')} testId={`${test}-delete`} danger onClick={onDelete}>×</IconButton>
        </div>
      </div>
      <div className="rb-rule-row">
        <div className="sf-field rb-grow">
          <label htmlFor={`${id}-event`} className="sf-label">
            {t('rules.event')}
            <RequiredMark />
          </label>
          <input
            id={`${id}-event`}
            className="nodrag rb-handle"
            list={handlesId}
            data-testid={`${test}-event`}
            value={event}
            aria-invalid={eventProblem ? true : undefined}
            aria-describedby={describedBy(`${id}-event`, 'help', eventProblem)}
            onChange={(e) => setJson(withEventType(json, e.target.value))}
          />
        </div>
        <div className="sf-field rb-priority">
          <label htmlFor={`${id}-priority`} className="sf-label">{t('rules.priority')}</label>
          <NumberInput
            id={`${id}-priority`}
            data-testid={`${test}-priority`}
            min={1}
            step={1}
            value={json.priority}
            aria-invalid={priorityProblem ? true : undefined}
            aria-describedby={describedBy(`${id}-priority`, undefined, priorityProblem)}
            onChange={(n) => setJson(setProperty(json, 'priority', n))}
          />
        </div>
      </div>
      <HelpText id={`${id}-event`} help={t('rules.eventHint')} problem={eventProblem} />
      <HelpText id={`${id}-priority`} problem={priorityProblem} />
      <ConditionEditor node={rule.conditions} testPrefix={test} onChange={(conditions) => onChange({ ...rule, conditions })} />
    </li>
  );
}

function IconButton({ label, testId, disabled, danger, onClick, children }: { label: string; testId: string; disabled?: boolean; danger?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className={`icon-btn rb-icon nodrag${danger ? ' rb-danger' : ''}`} aria-label={label} title={label} data-testid={testId} disabled={disabled} onClick={onClick}>
      <span aria-hidden="true">{children}</span>
    </button>
  );
}

/** A condition of any kind. `onRemove` is absent for a rule's root, `testPrefix` names its add buttons. */
function ConditionEditor({ node, testPrefix, onChange, onRemove }: { node: ConditionNode; testPrefix: string; onChange: (node: ConditionNode) => void; onRemove?: () => void }) {
  switch (node.kind) {
    case 'group':
      return <GroupEditor node={node} testPrefix={testPrefix} onChange={onChange} onRemove={onRemove} />;
    case 'leaf':
      return <ConditionRow node={node} onChange={onChange} onRemove={onRemove} />;
    case 'raw':
      return <RawCondition json={node.json} onRemove={onRemove} />;
  }
}

const GROUP_LABELS: Record<GroupType, MessageKey> = { all: 'rules.group.all', any: 'rules.group.any', not: 'rules.group.not' };

function GroupEditor({ node, testPrefix, onChange, onRemove }: { node: GroupNode; testPrefix: string; onChange: (node: GroupNode) => void; onRemove?: () => void }) {
  const { t } = useI18n();
  const { facts, operators, baseId } = useContext(BuilderContext);
  const id = `${baseId}-${node.id}-type`;
  return (
    <div className={`rb-group rb-group-${node.type}`} role="group" aria-labelledby={id}>
      <div className="rb-group-head">
        <label htmlFor={id} className="visually-hidden">{t('rules.groupType')}</label>
        <select id={id} className="nodrag rb-group-type" data-testid="group-type" value={node.type} onChange={(e) => onChange(withGroupType(node, e.target.value as GroupType))}>
          {GROUP_TYPES.map((type) => (
            <option key={type} value={type}>{t(GROUP_LABELS[type])}</option>
          ))}
        </select>
        {onRemove && <IconButton label={t('rules.removeGroup')} testId="group-remove" danger onClick={onRemove}>×</IconButton>}
      </div>
      {node.children.length === 0 && <p className="rb-empty">{t(node.type === 'not' ? 'rules.notEmpty' : 'rules.groupEmpty')}</p>}
      <ul className="rb-children">
        {node.children.map((child, i) => (
          <li key={child.id}>
            <ConditionEditor
              node={child}
              testPrefix="group"
              onChange={(next) => onChange(replaceChild(node, i, next))}
              onRemove={() => onChange(withoutChild(node, i))}
            />
          </li>
        ))}
      </ul>
      <div className="rb-group-actions">
        <button type="button" className="link-btn nodrag" data-testid={`${testPrefix}-add-condition`} onClick={() => onChange(withChild(node, newLeaf(facts, operators, nextId)))}>
          + {t('rules.addCondition')}
        </button>
        <button
          type="button"
          className="link-btn nodrag"
          data-testid={`${testPrefix}-add-group`}
          onClick={() => onChange(withChild(node, newGroup(node.type === 'all' ? 'any' : 'all', [newLeaf(facts, operators, nextId)], nextId)))}
        >
          + {t('rules.addGroup')}
        </button>
      </div>
    </div>
  );
}

function RawCondition({ json, onRemove }: { json: unknown; onRemove?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="rb-raw" data-testid="cond-raw">
      <div className="rb-raw-head">
        <span className="sf-hint">{t('rules.raw')}</span>
        {onRemove && <IconButton label={t('rules.removeCondition')} testId="cond-remove" danger onClick={onRemove}>×</IconButton>}
      </div>
      <pre className="sf-code">{JSON.stringify(json, null, 2) ?? String(json)}</pre>
    </div>
  );
}

/** A description short enough for a select: no parentheses, up to its first comma or semicolon. */
const shortText = (text: string) => text.replace(/\s*[(（][^)）]*[)）]/g, '').split(/[,，;；]/)[0];

const propertyLabel = (name: string, property: FactProperty | undefined, lang: Lang) =>
  property ? `${name} · ${shortText(property.description[lang])}` : name;

interface Choice {
  value: string;
  label: string;
}

function Picker({ id, label, testId, value, choices, stray, onChange }: { id: string; label: string; testId: string; value: string; choices: Choice[]; stray: string; onChange: (value: string) => void }) {
  const known = choices.some((c) => c.value === value);
  return (
    <div className="rb-control">
      <label htmlFor={id} className="rb-control-label">{label}</label>
      <select id={id} className="nodrag" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value={value}>{stray}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>{c.label}</option>
        ))}
      </select>
    </div>
  );
}

function ConditionRow({ node, onChange, onRemove }: { node: LeafNode; onChange: (node: LeafNode) => void; onRemove?: () => void }) {
  const { t, lang } = useI18n();
  const { facts, operators, baseId } = useContext(BuilderContext);
  const id = `${baseId}-${node.id}`;
  const { json } = node;
  const side = resolveSide(facts, json.fact, json.path);
  const operator = operators.find((op) => op.name === json.operator);
  const set = (next: JsonObject) => onChange({ ...node, json: next });
  const fact = typeof json.fact === 'string' ? json.fact : '';
  const opName = typeof json.operator === 'string' ? json.operator : '';
  const into = side.rest !== '' || side.property?.type === 'object' || side.property?.type === 'array';
  const help = [side.fact?.description[lang], side.property?.description[lang], operator?.description[lang]].filter(Boolean).join(' · ');
  const stray = (value: string) => (value === '' ? t('rules.choose') : t('rules.unknown', { value }));
  return (
    <div className="rb-cond" data-testid="cond">
      <div className="rb-cond-fields">
        <Picker id={`${id}-fact`} label={t('rules.fact')} testId="cond-fact" value={fact} stray={stray(fact)}
          choices={facts.map((f) => ({ value: f.fact, label: `${f.fact} · ${shortText(f.description[lang])}` }))}
          onChange={(v) => set(leafWithFact(json, v, facts, operators))} />
        <Picker id={`${id}-path`} label={t('rules.path')} testId="cond-path" value={side.base}
          stray={side.base === '' ? t('rules.wholeFact') : t('rules.unknown', { value: side.base })}
          choices={pathOptions(side.fact).map((p) => ({ value: p, label: p === '' ? t('rules.wholeFact') : propertyLabel(p.slice(2), side.fact?.properties[p.slice(2)], lang) }))}
          onChange={(v) => set(leafWithPath(json, v, facts, operators))} />
        {into && (
          <div className="rb-control">
            <label htmlFor={`${id}-rest`} className="rb-control-label">{t('rules.subPath')}</label>
            <input id={`${id}-rest`} className="nodrag rb-code" data-testid="cond-subpath" placeholder=".level" value={side.rest}
              onChange={(e) => set(leafWithPath(json, joinPath(side.base, e.target.value.trim()), facts, operators))} />
          </div>
        )}
        <Picker id={`${id}-operator`} label={t('rules.operator')} testId="cond-operator" value={opName}
          stray={operator ? t('rules.notForProperty', { value: shortText(operator.description[lang]) }) : stray(opName)}
          choices={operatorsFor(side.type, operators).map((op) => ({ value: op.name, label: shortText(op.description[lang]) }))}
          onChange={(v) => set(leafWithOperator(json, v, facts, operators))} />
        <ValueEditor id={`${id}-value`} kind={valueKind(operator, side)} side={side} value={json.value} onChange={(v) => set(setProperty(json, 'value', v))} />
        {onRemove && <IconButton label={t('rules.removeCondition')} testId="cond-remove" danger onClick={onRemove}>×</IconButton>}
      </div>
      {help && <p className="rb-cond-help">{help}</p>}
    </div>
  );
}

interface ValueProps {
  id: string;
  kind: ValueKind;
  side: FactSide;
  value: unknown;
  onChange: (value: unknown) => void;
}

function ValueEditor(props: ValueProps) {
  const { id, kind } = props;
  const { t } = useI18n();
  if (kind === 'businessHours') return <BusinessHoursEditor {...props} />;
  const problem = valueProblem(props, t);
  return (
    <div className={`rb-control rb-value rb-value-${kind}`}>
      <label htmlFor={id} className="rb-control-label">{t('rules.value')}</label>
      <ValueInput {...props} problem={problem} />
      <HelpText id={id} help={kind === 'pattern' ? t('rules.patternHint') : undefined} problem={problem} />
    </div>
  );
}

function valueProblem({ kind, value }: ValueProps, t: ReturnType<typeof useI18n>['t']): string | undefined {
  if (kind === 'pattern') {
    if (typeof value !== 'string' || value === '') return t('rules.patternEmpty');
    const error = patternError(value);
    return error && t('rules.patternInvalid', { message: error });
  }
  if (kind === 'minutes' && !(typeof value === 'number' && value > 0)) return t('rules.minutesInvalid');
  if (kind === 'number' && typeof value !== 'number') return t('rules.numberMissing');
  if (kind === 'list' && entriesOf(value).length === 0) return t('rules.listEmpty');
  return undefined;
}

function ValueInput({ id, kind, side, value, onChange, problem }: ValueProps & { problem?: string }) {
  const { t } = useI18n();
  const a11y = { id, 'data-testid': 'cond-value', 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy(id, kind === 'pattern' ? 'help' : undefined, problem) };
  switch (kind) {
    case 'number':
      return <NumberInput {...a11y} value={value} onChange={onChange} />;
    case 'minutes':
      return (
        <span className="rb-suffixed">
          <NumberInput {...a11y} min={1} value={value} onChange={onChange} />
          <span className="sf-hint">{t('rules.minutes')}</span>
        </span>
      );
    case 'boolean':
      return <BooleanSelect {...a11y} value={value} onChange={onChange} />;
    case 'enum':
      return (
        <select {...a11y} className="nodrag" value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {!side.enum?.includes(value as string) && <option value={String(value)}>{t('rules.unknown', { value: String(value) })}</option>}
          {side.enum?.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      );
    case 'list':
      return <ListInput {...a11y} testId="cond-value" placeholder={side.enum?.join(', ')} entries={entriesOf(value)} onChange={(entries) => onChange(listValue(entries, side))} />;
    case 'free':
      return <FreeValue {...a11y} value={value} onChange={onChange} />;
    default: // text, pattern
      return <input {...a11y} type="text" className={`nodrag${kind === 'pattern' ? ' rb-code' : ''}`} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />;
  }
}

type A11y = { id: string; 'data-testid': string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

function BooleanSelect({ value, onChange, ...a11y }: A11y & { value: unknown; onChange: (value: boolean) => void }) {
  const { t } = useI18n();
  return (
    <select {...a11y} className="nodrag" value={String(value === true)} onChange={(e) => onChange(e.target.value === 'true')}>
      <option value="true">{t('rules.true')}</option>
      <option value="false">{t('rules.false')}</option>
    </select>
  );
}

const FREE_TYPES: FreeType[] = ['text', 'number', 'boolean'];
const FREE_LABELS: Record<FreeType, MessageKey> = { text: 'rules.type.text', number: 'rules.type.number', boolean: 'rules.type.boolean' };

/** A value for a property of no declared type: the analyst says which type it has (equal compares types too). */
function FreeValue({ value, onChange, ...a11y }: A11y & { value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  const type = freeTypeOf(value);
  return (
    <span className="rb-free">
      <label htmlFor={`${a11y.id}-type`} className="visually-hidden">{t('rules.valueType')}</label>
      <select id={`${a11y.id}-type`} className="nodrag" data-testid="cond-value-type" value={type} onChange={(e) => onChange(freeValueAs(value, e.target.value as FreeType))}>
        {FREE_TYPES.map((ft) => <option key={ft} value={ft}>{t(FREE_LABELS[ft])}</option>)}
      </select>
      {type === 'boolean' ? (
        <BooleanSelect {...a11y} value={value} onChange={onChange} />
      ) : type === 'number' ? (
        <NumberInput {...a11y} value={value} onChange={onChange} />
      ) : (
        <input {...a11y} type="text" className="nodrag" value={value === null || value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />
      )}
    </span>
  );
}

const DAY_KEYS: Record<number, MessageKey> = {
  1: 'rules.day.1', 2: 'rules.day.2', 3: 'rules.day.3', 4: 'rules.day.4', 5: 'rules.day.5', 6: 'rules.day.6', 7: 'rules.day.7',
};

function BusinessHoursEditor({ id, value, onChange }: ValueProps) {
  const { t } = useI18n();
  const hours = businessHoursOf(value);
  const base = isRecord(value) ? value : {};
  const problem = hours.days.length === 0 ? t('rules.daysEmpty')
    : !isTime(hours.from) || !isTime(hours.to) ? t('rules.timeInvalid')
    : hours.from === hours.to ? t('rules.timeSame') : undefined;
  const time = (key: 'from' | 'to') => (
    <span className="rb-control">
      <label htmlFor={`${id}-${key}`} className="rb-control-label">{t(key === 'from' ? 'rules.from' : 'rules.to')}</label>
      <input id={`${id}-${key}`} className="nodrag rb-time" data-testid={`cond-${key}`} placeholder="09:00" value={hours[key]}
        aria-invalid={problem && !isTime(hours[key]) ? true : undefined} aria-describedby={describedBy(id, undefined, problem)}
        onChange={(e) => onChange({ ...base, [key]: e.target.value.trim() })} />
    </span>
  );
  return (
    <fieldset className="rb-control rb-hours" data-testid="cond-value">
      <legend className="rb-control-label">{t('rules.businessHours')}</legend>
      <div className="rb-days">
        {WEEKDAYS.map((day) => (
          <label key={day} htmlFor={`${id}-day-${day}`} className="rb-day">
            <input id={`${id}-day-${day}`} type="checkbox" className="nodrag" data-testid={`cond-day-${day}`} checked={hours.days.includes(day)} onChange={() => onChange(toggleDay(value, day))} />
            <span>{t(DAY_KEYS[day])}</span>
          </label>
        ))}
      </div>
      <div className="rb-times">
        {time('from')}
        <span aria-hidden="true">–</span>
        {time('to')}
      </div>
      <HelpText id={id} problem={problem} />
    </fieldset>
  );
}

/** Why the JSON view's text is not applied, or undefined when it is a list. */
function jsonProblem(text: string, t: ReturnType<typeof useI18n>['t']): string | undefined {
  try {
    return Array.isArray(JSON.parse(text)) ? undefined : t('rules.jsonNotList');
  } catch (err) {
    return t('rules.jsonError', { message: (err as Error).message });
  }
}

const prettyJson = (rules: unknown[]) => JSON.stringify(rules, null, 2);

function RulesJson({ rules, onApply }: { rules: unknown[]; onApply: (rules: unknown[]) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useDraft(rules, prettyJson);
  const error = jsonProblem(text, t);
  const change = (next: string) => {
    if (jsonProblem(next, t)) return setText(next, rules);
    const parsed = JSON.parse(next) as unknown[];
    setText(next, parsed);
    onApply(parsed);
  };
  return (
    <div className="sf-field">
      <label htmlFor={id} className="sf-label">{t('rules.jsonLabel')}</label>
      <textarea id={id} className="nodrag sf-code rb-json" data-testid="rules-json" rows={16} spellCheck={false} value={text}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, 'help', error)} onChange={(e) => change(e.target.value)} />
      <p id={`${id}-help`} className="sf-help">{t('rules.jsonHint')}</p>
      {error && <p id={`${id}-error`} className="sf-error" data-testid="rules-json-error">{error}</p>}
    </div>
  );
}

function DefaultHandle({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const { baseId, handlesId } = useContext(BuilderContext);
  const id = `${baseId}-default`;
  const problem = isHandleId(value) ? undefined : t('rules.handleInvalid');
  return (
    <div className="sf-field rb-default">
      <label htmlFor={id} className="sf-label">
        {t('rules.defaultHandle')}
        <RequiredMark />
      </label>
      <input id={id} className="nodrag rb-handle" list={handlesId} data-testid="rules-default-handle" value={value}
        aria-invalid={problem ? true : undefined} aria-describedby={describedBy(id, 'help', problem)} onChange={(e) => onChange(e.target.value)} />
      <HelpText id={id} help={t('rules.defaultHandleHint')} problem={problem} />
    </div>
  );
}

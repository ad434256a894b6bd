// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultFlow } from '../../../rules/default-flow';
import { factsCatalog } from '../../../rules/facts';
import { operatorCatalog } from '../../../rules/operators';
import { I18nContext, translate, type Lang } from '../i18n';
import { RuleBuilder } from './RuleBuilder';
import {
  conditionToJson, factDefinitions, leafWithFact, leafWithOperator, newGroup, parseCondition, parseRules, resolveSide, rulesToJson,
  withChild, withEventType, withGroupType, type FactEntry, type GroupNode, type NewId,
} from './rule-model';

// What /api/v1/facts adds for the bot, order-status and http-request nodes (their `provides`).
const provided: FactEntry[] = [
  {
    fact: 'bot', description: { zh: '机器人应答结果', en: "The bot's result" },
    schema: { type: 'object', properties: { answered: { type: 'boolean', description: 'Whether the bot answered / 机器人是否已回答' }, confidence: { type: 'number' } } },
  },
  {
    fact: 'order', description: { zh: '订单', en: 'The order' },
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['fulfilled', 'delivered'], 'x-description': { zh: '物流状态', en: 'Delivery status' } } } },
  },
  {
    fact: 'http', description: { zh: '响应', en: 'The answer' },
    schema: { type: 'object', properties: { status: { type: 'integer' }, body: { 'x-description': { zh: '响应内容', en: 'The answer body' } } } },
  },
];
const facts = factDefinitions([...factsCatalog, ...provided]);

const counter = (): NewId => {
  let n = 0;
  return () => `t${++n}`;
};

const defaultRules = (defaultFlow.nodes.find((n) => n.id === 'route')!.parameters as { rules: Record<string, unknown>[] }).rules;

afterEach(cleanup);

interface Params {
  rules: unknown[];
  defaultHandle: string;
}

/** Renders the builder over its own state, as the page does; `last()` is the latest onChange. */
function renderBuilder(initial: Params, lang: Lang = 'en') {
  const changes = vi.fn<(next: Params) => void>();
  function Page() {
    const [params, setParams] = useState(initial);
    return (
      <RuleBuilder
        rules={params.rules}
        defaultHandle={params.defaultHandle}
        facts={facts}
        operators={operatorCatalog}
        onChange={(next) => {
          setParams(next);
          changes(next);
        }}
      />
    );
  }
  render(withI18n(<Page />, lang));
  return { changes, last: () => changes.mock.lastCall![0] };
}

function withI18n(ui: ReactNode, lang: Lang = 'en') {
  const i18n = { lang, setLang: () => {}, t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params) };
  return <I18nContext value={i18n}>{ui}</I18nContext>;
}

type Field = HTMLInputElement & HTMLSelectElement;
const get = (scope: HTMLElement, id: string) => within(scope).getByTestId(id) as Field;
const set = (element: HTMLElement, value: string) => fireEvent.change(element, { target: { value } });
const conds = () => screen.getAllByTestId('cond');
const optionValues = (cond: HTMLElement) => [...get(cond, 'cond-operator').options].map((o) => o.value);

/** Points a condition row at fact/path and an operator. */
function aim(cond: HTMLElement, fact: string, path: string, operator?: string) {
  set(get(cond, 'cond-fact'), fact);
  set(get(cond, 'cond-path'), path);
  if (operator) set(get(cond, 'cond-operator'), operator);
}

describe('RuleBuilder', () => {
  it('builds a rule with a nested any group inside all', () => {
    const { last } = renderBuilder({ rules: [], defaultHandle: 'end' });
    expect(screen.getByText('No rules yet: every conversation takes the default handle.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('rule-add'));
    const rule = screen.getByTestId('rule-0');
    expect(get(rule, 'rule-0-name').value).toBe('rule-1');
    aim(conds()[0], 'message', '$.text', 'containsAny');
    set(get(conds()[0], 'cond-value'), '人工, agent');

    fireEvent.click(get(rule, 'rule-0-add-group'));
    const nested = screen.getAllByTestId('group-type')[1];
    expect(nested.getAttribute('data-testid')).toBe('group-type');
    expect((nested as Field).value).toBe('any');
    fireEvent.click(screen.getByTestId('group-add-condition'));
    aim(conds()[1], 'conversation', '$.waitSeconds', 'greaterThan');
    set(get(conds()[1], 'cond-value'), '60');
    aim(conds()[2], 'contact', '$.vip', 'equal');
    set(get(conds()[2], 'cond-value'), 'true');
    set(get(rule, 'rule-0-event'), 'human');
    set(get(rule, 'rule-0-priority'), '10');

    expect(last()).toEqual({
      defaultHandle: 'end',
      rules: [{
        name: 'rule-1', priority: 10,
        conditions: {
          all: [
            { fact: 'message', path: '$.text', operator: 'containsAny', value: ['人工', 'agent'] },
            { any: [
              { fact: 'conversation', path: '$.waitSeconds', operator: 'greaterThan', value: 60 },
              { fact: 'contact', path: '$.vip', operator: 'equal', value: true },
            ] },
          ],
        },
        event: { type: 'human' },
      }],
    });
  });

  it('group types: switching to not keeps the children; a not of several saves as not-all', () => {
    const { last } = renderBuilder({ rules: [], defaultHandle: 'end' });
    fireEvent.click(screen.getByTestId('rule-add'));
    fireEvent.click(screen.getByTestId('rule-0-add-condition'));
    set(screen.getByTestId('group-type'), 'not');
    const conditions = (last().rules[0] as { conditions: unknown }).conditions;
    expect(conditions).toEqual({ not: { all: [expect.objectContaining({ fact: 'message' }), expect.objectContaining({ fact: 'message' })] } });
    fireEvent.click(screen.getAllByTestId('cond-remove')[1]);
    expect((last().rules[0] as { conditions: unknown }).conditions).toEqual({ not: expect.objectContaining({ fact: 'message', path: '$.text' }) });
  });

  it('offers only the operators valid for the property type', () => {
    renderBuilder({ rules: [], defaultHandle: 'end' });
    fireEvent.click(screen.getByTestId('rule-add'));
    const cond = conds()[0];
    aim(cond, 'message', '$.text');
    expect(optionValues(cond)).toEqual(['equal', 'notEqual', 'in', 'notIn', 'containsAny', 'startsWith', 'matchesPattern']);
    aim(cond, 'conversation', '$.waitSeconds');
    expect(optionValues(cond)).toEqual(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'withinLastMinutes']);
    aim(cond, 'contact', '$.tags');
    expect(optionValues(cond)).toEqual(['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'inSegment']);
    aim(cond, 'time', '');
    expect(optionValues(cond)).toContain('inBusinessHours');
    expect(optionValues(cond)).not.toContain('greaterThan');
    // Into a free-form object the catalog does not type: every operator.
    aim(cond, 'contact', '$.attributes');
    set(get(cond, 'cond-subpath'), 'level');
    expect(get(cond, 'cond-path').value).toBe('$.attributes');
    expect(get(cond, 'cond-subpath').value).toBe('.level');
    expect(optionValues(cond)).toHaveLength(operatorCatalog.length);
  });

  it('the value input follows the operator and the property', () => {
    const { last } = renderBuilder({ rules: [], defaultHandle: 'end' });
    fireEvent.click(screen.getByTestId('rule-add'));
    const cond = conds()[0];
    const value = () => (last().rules[0] as { conditions: { all: { value: unknown }[] } }).conditions.all[0].value;

    aim(cond, 'message', '$.text', 'containsAny');
    expect(get(cond, 'cond-value').type).toBe('text');
    set(get(cond, 'cond-value'), 'refund，退款, ');
    expect(value()).toEqual(['refund', '退款']);
    expect(within(cond).getByText('退款')).toBeTruthy();

    aim(cond, 'message', '$.text', 'matchesPattern');
    set(get(cond, 'cond-value'), '(');
    expect(within(cond).getByText(/Not a valid regular expression/)).toBeTruthy();

    aim(cond, 'conversation', '$.waitSeconds', 'greaterThan');
    expect(get(cond, 'cond-value').type).toBe('number');
    set(get(cond, 'cond-operator'), 'in');
    set(get(cond, 'cond-value'), '1, 2');
    expect(value()).toEqual([1, 2]);

    aim(cond, 'contact', '$.vip', 'equal');
    expect(get(cond, 'cond-value').tagName).toBe('SELECT');
    expect(value()).toBe(true);
    set(get(cond, 'cond-value'), 'false');
    expect(value()).toBe(false);

    aim(cond, 'message', '$.sentiment', 'equal');
    expect([...get(cond, 'cond-value').options].map((o) => o.value)).toEqual(['negative', 'neutral', 'positive']);
    expect(value()).toBe('negative');

    aim(cond, 'time', '$.now', 'withinLastMinutes');
    expect([get(cond, 'cond-value').type, get(cond, 'cond-value').min]).toEqual(['number', '1']);
    expect(within(cond).getByText('minutes')).toBeTruthy();

    aim(cond, 'time', '', 'inBusinessHours');
    expect(get(cond, 'cond-value').tagName).toBe('FIELDSET');
    expect(value()).toEqual({ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' });
    fireEvent.click(get(cond, 'cond-day-6'));
    set(get(cond, 'cond-to'), '24:00');
    expect(value()).toEqual({ days: [1, 2, 3, 4, 5, 6], from: '09:00', to: '24:00' });
    set(get(cond, 'cond-from'), '9');
    expect(within(cond).getByText('Times are HH:MM, from 00:00 to 24:00.')).toBeTruthy();

    aim(cond, 'http', '$.body', 'equal');
    set(get(cond, 'cond-value-type'), 'number');
    set(get(cond, 'cond-value'), '42');
    expect(value()).toBe(42);
  });

  it('validates the event type as a handle name, and the default handle too', () => {
    renderBuilder({ rules: structuredClone(defaultRules), defaultHandle: 'end' });
    const event = screen.getByTestId('rule-0-event');
    expect(screen.queryByText('Use 1–64 letters, digits, _ or -.')).toBeNull();
    set(event, 'to a human!');
    expect(screen.getByText('Use 1–64 letters, digits, _ or -.')).toBeTruthy();
    expect(event.getAttribute('aria-invalid')).toBe('true');
    set(event, 'human_2');
    expect(event.getAttribute('aria-invalid')).toBeNull();
    const fallback = screen.getByTestId('rules-default-handle');
    set(fallback, '');
    expect(fallback.getAttribute('aria-invalid')).toBe('true');
    // Suggestions: the handles the rules and the default already use.
    const list = document.getElementById(event.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((o) => o.value)).toEqual(['human_2', 'queue']);
  });

  it('reorders and deletes rules, leaving each rule as it was', () => {
    const { last } = renderBuilder({ rules: structuredClone(defaultRules), defaultHandle: 'end' });
    expect((screen.getByTestId('rule-0-up') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('rule-1-down') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('rule-0-down'));
    expect(last().rules).toEqual([defaultRules[1], defaultRules[0]]);
    expect((screen.getByTestId('rule-0-name') as Field).value).toBe('bot-could-not-answer');
    fireEvent.click(screen.getByTestId('rule-1-up'));
    expect(last().rules).toEqual(defaultRules);
    fireEvent.click(screen.getByTestId('rule-0-delete'));
    expect(last().rules).toEqual([defaultRules[1]]);
  });

  it('JSON view: shows the rules, refuses what does not parse or is no list, applies a valid list', () => {
    const { changes, last } = renderBuilder({ rules: structuredClone(defaultRules), defaultHandle: 'end' });
    fireEvent.click(screen.getByTestId('rules-json-toggle'));
    const json = screen.getByTestId('rules-json') as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toEqual(defaultRules);
    expect(json.value).toBe(JSON.stringify(defaultRules, null, 2));

    set(json, '[{"name": ');
    expect(screen.getByTestId('rules-json-error').textContent).toMatch(/^Not applied, the JSON is invalid/);
    set(json, '{"name": "x"}');
    expect(screen.getByTestId('rules-json-error').textContent).toBe('Not applied: the rules must be a list ([…]).');
    expect(changes).not.toHaveBeenCalled();

    const edited = [{ ...defaultRules[0], name: 'wants-a-person', params: { note: 'kept' } }];
    set(json, JSON.stringify(edited));
    expect(screen.queryByTestId('rules-json-error')).toBeNull();
    expect(last()).toEqual({ rules: edited, defaultHandle: 'end' });

    fireEvent.click(screen.getByTestId('rules-json-toggle'));
    expect((screen.getByTestId('rule-0-name') as Field).value).toBe('wants-a-person');
    set(screen.getByTestId('rule-0-priority'), '3');
    expect(last().rules).toEqual([{ ...edited[0], priority: 3 }]);
  });

  it('keeps what it cannot edit: unknown keys survive edits, odd conditions show as JSON', () => {
    const rules = [{
      name: 'odd', priority: 2, params: { team: 'a' },
      conditions: { all: [{ condition: 'shared' }, { fact: 'message', path: '$.text', operator: 'equal', value: 'x', priority: 5, note: 'why' }] },
      event: { type: 'odd', params: { reason: 'r' } },
    }];
    const { last } = renderBuilder({ rules: structuredClone(rules), defaultHandle: 'end' });
    expect(within(screen.getByTestId('cond-raw')).getByText(/"condition": "shared"/)).toBeTruthy();
    set(screen.getByTestId('rule-0-event'), 'odder');
    set(get(conds()[0], 'cond-value'), 'y');
    const expected = structuredClone(rules);
    expected[0].event.type = 'odder';
    (expected[0].conditions.all[1] as { value: string }).value = 'y';
    expect(JSON.stringify(last().rules)).toBe(JSON.stringify(expected));
  });

  it('follows rules changed from outside (another node selected), in the builder and the JSON view', () => {
    const other = [{ name: 'other', conditions: { any: [] }, event: { type: 'elsewhere' } }];
    const builder = (rules: unknown[]) => withI18n(<RuleBuilder rules={rules} defaultHandle="end" facts={facts} operators={operatorCatalog} onChange={() => {}} />);
    const { rerender } = render(builder(structuredClone(defaultRules)));
    rerender(builder(other));
    expect((screen.getByTestId('rule-0-name') as Field).value).toBe('other');
    expect(screen.queryByTestId('rule-1')).toBeNull();
    fireEvent.click(screen.getByTestId('rules-json-toggle'));
    rerender(builder(structuredClone(defaultRules)));
    expect((screen.getByTestId('rules-json') as HTMLTextAreaElement).value).toBe(JSON.stringify(defaultRules, null, 2));
  });

  it('rules with entries that are no objects open in the JSON view only', () => {
    renderBuilder({ rules: [{ name: 'ok', conditions: { all: [] }, event: { type: 'ok' } }, 42], defaultHandle: 'end' });
    expect(screen.getByText('These rules contain entries the builder cannot show; edit them as JSON.')).toBeTruthy();
    expect((screen.getByTestId('rules-json-toggle') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('rule-0')).toBeNull();
  });

  it('every control is labelled and nodrag; speaks Chinese', () => {
    renderBuilder({ rules: structuredClone(defaultRules), defaultHandle: 'end' }, 'zh');
    for (const control of document.querySelectorAll('input, select, textarea')) {
      expect((control as HTMLInputElement).labels?.length, control.outerHTML).toBeGreaterThan(0);
      expect(control.classList.contains('nodrag')).toBe(true);
    }
    expect(screen.getAllByText('全部满足').length).toBeGreaterThan(0);
    expect(screen.getByLabelText(/^默认出口/)).toBe(screen.getByTestId('rules-default-handle'));
  });
});

describe('rule-model', () => {
  it('round-trips the default flow rules exactly', () => {
    const model = parseRules(defaultRules, counter())!;
    expect(model.map((r) => r.conditions.kind)).toEqual(['group', 'group']);
    const back = rulesToJson(model);
    expect(back).toStrictEqual(defaultRules);
    expect(JSON.stringify(back)).toBe(JSON.stringify(defaultRules));
  });

  it('round-trips unknown keys, odd shapes and key order exactly', () => {
    const rules = [
      {
        event: { params: { queue: 'vip' }, type: 'vip' }, x: 1, priority: 3,
        conditions: {
          priority: 2, any: [
            { not: { fact: 'contact', path: '$.vip', operator: 'equal', value: true }, comment: 'c' },
            { all: [], extra: null },
            { fact: 'time', operator: 'inBusinessHours', value: { days: [1], from: '09:00', to: '18:00' }, params: { a: 1 } },
            { fact: 'queue', path: '$.waiting', operator: 'greaterThan', value: { fact: 'queue', path: '$.agentsAvailable' } },
            { condition: 'shared' },
            { all: [], any: [] },
            { all: 'not a list' },
            { not: [] },
            { fact: 'message', operator: 'equal' },
            'text',
          ],
        },
      },
      { name: 'no conditions', event: { type: 'x' } },
      { conditions: 7, event: 'queue' },
    ];
    const before = JSON.stringify(rules);
    const model = parseRules(rules, counter())!;
    expect(JSON.stringify(rulesToJson(model))).toBe(before);
    expect(rulesToJson(model)).toStrictEqual(rules);
    expect(JSON.stringify(rules)).toBe(before); // nothing mutated
    const kinds = (model[0].conditions as GroupNode).children.map((c) => c.kind);
    expect(kinds).toEqual(['group', 'group', 'leaf', 'raw', 'raw', 'raw', 'raw', 'raw', 'leaf', 'raw']);
  });

  it('refuses a rules array with entries that are no objects', () => {
    expect(parseRules([{ event: { type: 'a' } }, null], counter())).toBeUndefined();
    expect(parseRules([], counter())).toEqual([]);
  });

  it('edits replace only what they change', () => {
    const ids = counter();
    const group = parseCondition({ all: [{ fact: 'message', path: '$.text', operator: 'equal', value: 'hi' }], priority: 4 }, ids) as GroupNode;
    expect(conditionToJson(withGroupType(group, 'any'))).toEqual({ priority: 4, any: [{ fact: 'message', path: '$.text', operator: 'equal', value: 'hi' }] });
    const notGroup = withChild(withGroupType(group, 'not'), newGroup('all', [], ids));
    expect(conditionToJson(notGroup)).toEqual({ priority: 4, not: { all: [{ fact: 'message', path: '$.text', operator: 'equal', value: 'hi' }, { all: [] }] } });
    expect(withEventType({ name: 'a', event: { type: 'x', params: { p: 1 } } }, 'y')).toEqual({ name: 'a', event: { type: 'y', params: { p: 1 } } });
  });

  it('changing the fact or operator keeps the operator and value only when they still fit', () => {
    const leaf = { fact: 'message', path: '$.text', operator: 'containsAny', value: ['a'], note: 'n' };
    expect(leafWithFact(leaf, 'conversation', facts, operatorCatalog)).toEqual({ fact: 'conversation', path: '$.channel', operator: 'containsAny', value: ['a'], note: 'n' });
    expect(leafWithFact(leaf, 'time', facts, operatorCatalog)).toEqual({ fact: 'time', path: '$.now', operator: 'equal', value: 0, note: 'n' });
    expect(leafWithOperator({ fact: 'message', path: '$.text', operator: 'equal', value: 'hi' }, 'containsAny', facts, operatorCatalog).value).toEqual(['hi']);
    expect(leafWithOperator({ fact: 'message', path: '$.text', operator: 'containsAny', value: ['hi', 'yo'] }, 'equal', facts, operatorCatalog).value).toBe('hi');
  });

  it('reads provided facts from their schemas and resolves paths like check-rules', () => {
    const bot = facts.find((f) => f.fact === 'bot')!;
    expect(bot.properties.answered).toEqual({ type: 'boolean', description: { zh: 'Whether the bot answered / 机器人是否已回答', en: 'Whether the bot answered / 机器人是否已回答' } });
    expect(bot.properties.confidence.description).toEqual(bot.description);
    const http = facts.find((f) => f.fact === 'http')!;
    expect(http.properties.status.type).toBe('number');
    expect(http.properties.body).toEqual({ type: 'object', description: { zh: '响应内容', en: 'The answer body' } });
    expect(facts.find((f) => f.fact === 'order')!.properties.status.enum).toEqual(['fulfilled', 'delivered']);

    expect(resolveSide(facts, 'message', '$.sentiment')).toMatchObject({ base: '$.sentiment', rest: '', type: 'string', enum: ['negative', 'neutral', 'positive'] });
    expect(resolveSide(facts, 'message', '$.text.length')).toMatchObject({ base: '$.text', rest: '.length', type: 'number' });
    const order = resolveSide(facts, 'contact', '$.orders[0].status');
    expect([order.base, order.rest, order.property?.type, order.type]).toEqual(['$.orders', '[0].status', 'array', undefined]);
    expect(resolveSide(facts, 'time', undefined)).toMatchObject({ base: '', type: 'object' });
    expect(resolveSide(facts, 'nope', '$.x').type).toBeUndefined();
  });
});

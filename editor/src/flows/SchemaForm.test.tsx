// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonSchema } from '../../../rules/plugin';
import { I18nContext, translate, type Lang } from '../i18n';
import { SchemaForm } from './SchemaForm';
import { fieldKind, formProperties, propertiesOf, withDefaults, type FormLookups, type JsonObject } from './schema-form';

// Copies of parameters schemas from activities/plugins/*/index.ts: the
// editor's tsconfig cannot compile the plugins themselves (they use Node).
const template = { 'x-widget': 'template' };
const t = (zh: string, en: string) => ({ 'x-title': { zh, en } });

const httpRequest: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['method', 'url'],
  properties: {
    method: { type: 'string', enum: ['GET', 'POST'], default: 'GET', ...t('方法', 'Method') },
    url: { type: 'string', minLength: 1, maxLength: 2048, ...template, ...t('地址', 'URL'), 'x-description': { zh: '只能访问白名单主机。', en: 'Hosts on the allow-list only.' } },
    headers: {
      type: 'array', maxItems: 8, default: [], ...t('请求头', 'Headers'),
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'value'],
        properties: {
          name: { type: 'string', enum: ['Accept', 'Accept-Language', 'X-Request-Id', 'X-Correlation-Id'], ...t('名称', 'Name') },
          value: { type: 'string', maxLength: 512, ...template, ...t('值', 'Value') },
        },
      },
    },
    body: { type: 'string', maxLength: 16384, default: '', ...template, ...t('请求体', 'Body') },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 10_000, default: 3000, ...t('超时（毫秒）', 'Timeout (ms)') },
  },
};

const reply: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['text'],
  properties: {
    text: {
      type: 'object', additionalProperties: false, required: ['zh', 'en'], ...t('消息内容', 'Message'),
      properties: {
        zh: { type: 'string', minLength: 1, maxLength: 4000, ...template, ...t('中文', 'Chinese') },
        en: { type: 'string', minLength: 1, maxLength: 4000, ...template, ...t('英文', 'English') },
      },
    },
  },
};

const tagName = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' };
const setAttribute: JsonSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    attributes: { type: 'object', propertyNames: tagName, additionalProperties: { type: 'string', maxLength: 1000 }, default: {}, ...t('属性', 'Attributes'), 'x-widget': 'keyValue' },
    addTags: { type: 'array', items: tagName, default: [], ...t('添加标签', 'Add tags') },
  },
};

const start: JsonSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    inboxes: { type: 'array', items: { type: 'string' }, default: [], ...t('入口（空为全部）', 'Inboxes (empty: all)'), 'x-widget': 'inboxes' },
    timeZone: { type: 'string', default: 'Asia/Shanghai', ...t('时区', 'Time zone') },
    businessHours: {
      type: 'object', additionalProperties: false, ...t('营业时间', 'Business hours'),
      properties: {
        days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, default: [1, 2, 3, 4, 5, 6, 7] },
        from: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', default: '09:00' },
        to: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', default: '21:00' },
      },
    },
  },
};

const transfer: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['queue'],
  properties: {
    queue: { type: 'string', default: 'general', ...t('转到队列', 'To queue'), 'x-widget': 'queue' },
    agentId: { type: 'string', ...t('指定客服', 'Named agent'), 'x-widget': 'agent' },
    notify: { type: 'boolean', default: true, ...t('告知客户', 'Tell the customer') },
  },
};

const orderStatus: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['source'],
  properties: {
    source: {
      type: 'string', enum: ['message', 'lastOrder'], default: 'message', ...t('订单号来源', 'Order number from'),
      'x-enumTitles': { message: { zh: '客户消息中的数字', en: 'The number in the message' }, lastOrder: { zh: '客户最近的订单', en: 'The customer’s latest order' } },
    },
  },
};

const rulesNode: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['rules', 'defaultHandle'],
  properties: {
    rules: { type: 'array', items: { type: 'object' }, default: [], ...t('规则', 'Rules'), 'x-widget': 'rules' },
    defaultHandle: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'default', ...t('默认出口', 'Default handle') },
  },
};

const wait: JsonSchema = {
  type: 'object', additionalProperties: false,
  properties: { timeoutSeconds: { type: 'integer', minimum: 1, maximum: 604800, default: 600, ...t('超时（秒）', 'Timeout (seconds)') } },
};

const lookups: FormLookups = {
  queues: [{ id: 'general', name: 'General' }, { id: 'vip', name: 'VIP care' }],
  inboxes: [{ id: 'web', name: 'Website' }, { id: 'wechat', name: 'WeChat' }],
  faqSets: ['default'],
  agents: [{ id: 'a1', name: 'Lin' }],
  skills: ['billing'],
};

afterEach(cleanup);

/** Renders the form over its own state, as the page does; `changes` sees every onChange. */
function renderForm(schema: JsonSchema, initial: JsonObject = {}, lang: Lang = 'en') {
  const changes = vi.fn<(value: JsonObject) => void>();
  function Page() {
    const [value, setValue] = useState(initial);
    return (
      <SchemaForm
        schema={schema}
        value={value}
        lookups={lookups}
        idPrefix="node1"
        onChange={(next) => {
          setValue(next);
          changes(next);
        }}
      />
    );
  }
  const i18n = { lang, setLang: () => {}, t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params) };
  render(<I18nContext value={i18n}><Page /></I18nContext>);
  return { changes, last: () => changes.mock.lastCall?.[0] };
}

const byTestId = (id: string) => screen.getByTestId(id) as HTMLInputElement;

/** Every form control in the document has a label (a <label for>, a wrapping label or a legend's group). */
function expectEveryInputLabelled() {
  const controls = [...document.querySelectorAll('input, select, textarea')] as HTMLInputElement[];
  expect(controls.length).toBeGreaterThan(0);
  for (const control of controls) {
    expect(control.labels?.length, `${control.id} has a label`).toBeGreaterThan(0);
    expect(control.classList.contains('nodrag'), `${control.id} has nodrag`).toBe(true);
  }
}

describe('SchemaForm', () => {
  it('text: labelled from x-title, help from x-description, edits merge into the defaults', () => {
    const { last } = renderForm(httpRequest);
    const url = screen.getByLabelText(/^URL/) as HTMLTextAreaElement;
    expect(url).toBe(byTestId('param-url'));
    expect(url.getAttribute('aria-describedby')).toContain('node1-url-help');
    expect(screen.getByText('Hosts on the allow-list only.')).toBeTruthy();
    fireEvent.change(url, { target: { value: 'https://api.example.com/{{contact.id}}' } });
    expect(last()).toEqual({ method: 'GET', headers: [], body: '', timeoutMs: 3000, url: 'https://api.example.com/{{contact.id}}' });
  });

  it('template: a textarea with the {{fact.path}} hint', () => {
    renderForm(httpRequest);
    expect(byTestId('param-body').tagName).toBe('TEXTAREA');
    expect(screen.getAllByText(/Variables such as \{\{contact\.name\}\}/).length).toBeGreaterThan(0);
  });

  it('number with bounds: min/max on the input, a message out of range, numbers emitted', () => {
    const { last } = renderForm(httpRequest);
    const timeout = byTestId('param-timeoutMs');
    expect([timeout.type, timeout.min, timeout.max, timeout.step]).toEqual(['number', '100', '10000', '1']);
    expect(timeout.value).toBe('3000');
    fireEvent.change(timeout, { target: { value: '20000' } });
    expect(last()?.timeoutMs).toBe(20000);
    expect(screen.getByText('Must be between 100 and 10000')).toBeTruthy();
    expect(timeout.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(timeout, { target: { value: '5000' } });
    expect(last()?.timeoutMs).toBe(5000);
    expect(screen.queryByText('Must be between 100 and 10000')).toBeNull();
  });

  it('boolean: a labelled checkbox', () => {
    const { last } = renderForm(transfer);
    const notify = screen.getByLabelText('Tell the customer') as HTMLInputElement;
    expect(notify.checked).toBe(true);
    fireEvent.click(notify);
    expect(last()?.notify).toBe(false);
  });

  it('enum: a select labelled with x-enumTitles', () => {
    const { last } = renderForm(orderStatus);
    const source = byTestId('param-source') as unknown as HTMLSelectElement;
    expect([...source.options].map((o) => o.text)).toEqual(['The number in the message', 'The customer’s latest order']);
    fireEvent.change(source, { target: { value: 'lastOrder' } });
    expect(last()).toEqual({ source: 'lastOrder' });
  });

  it('lookup: a select of the live records, keeping a value that no longer exists', () => {
    const { last } = renderForm(transfer, { queue: 'gone' });
    const queue = byTestId('param-queue') as unknown as HTMLSelectElement;
    expect([...queue.options].map((o) => o.text)).toEqual(['gone (not found)', 'General (general)', 'VIP care (vip)']);
    fireEvent.change(queue, { target: { value: 'vip' } });
    expect(last()?.queue).toBe('vip');
    const agent = byTestId('param-agentId') as unknown as HTMLSelectElement;
    expect(agent.value).toBe('');
    expect(agent.options[0].text).toBe('— None —');
    fireEvent.change(agent, { target: { value: 'a1' } });
    expect(last()?.agentId).toBe('a1');
    fireEvent.change(agent, { target: { value: '' } });
    expect(last()).not.toHaveProperty('agentId');
  });

  it('lookup list: picks records into chips and removes them', () => {
    const { last } = renderForm(start);
    fireEvent.change(byTestId('param-inboxes'), { target: { value: 'wechat' } });
    expect(last()?.inboxes).toEqual(['wechat']);
    fireEvent.change(byTestId('param-inboxes'), { target: { value: 'web' } });
    expect(last()?.inboxes).toEqual(['wechat', 'web']);
    expect(screen.getByText('WeChat (wechat)')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Remove WeChat (wechat)'));
    expect(last()?.inboxes).toEqual(['web']);
  });

  it('free list: comma-separated entries become chips, entries breaking the item pattern are named', () => {
    const { last } = renderForm(setAttribute);
    fireEvent.change(byTestId('param-addTags'), { target: { value: 'vip, 2bad，complained' } });
    expect(last()?.addTags).toEqual(['vip', '2bad', 'complained']);
    expect(screen.getByText('Not allowed: 2bad')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Remove 2bad'));
    expect(last()?.addTags).toEqual(['vip', 'complained']);
    expect(byTestId('param-addTags').value).toBe('vip, complained');
  });

  it('key/value: editable rows, keys checked against propertyNames and for duplicates', () => {
    const { last } = renderForm(setAttribute, { attributes: { tier: 'gold' } });
    expect(byTestId('param-attributes.0.key').value).toBe('tier');
    fireEvent.click(byTestId('param-attributes-add'));
    fireEvent.change(byTestId('param-attributes.1.key'), { target: { value: 'source' } });
    fireEvent.change(byTestId('param-attributes.1.value'), { target: { value: '{{message.text}}' } });
    expect(last()?.attributes).toEqual({ tier: 'gold', source: '{{message.text}}' });
    fireEvent.change(byTestId('param-attributes.1.key'), { target: { value: 'tier' } });
    expect(screen.getAllByText('This key is used in another row too')).toHaveLength(2);
    fireEvent.change(byTestId('param-attributes.1.key'), { target: { value: '9x' } });
    expect(screen.getByText('Does not have the expected form')).toBeTruthy();
    fireEvent.click(byTestId('param-attributes.0-remove'));
    expect(last()?.attributes).toEqual({ '9x': '{{message.text}}' });
  });

  it('array of objects: header rows with add and remove, each cell labelled', () => {
    const { last } = renderForm(httpRequest);
    fireEvent.click(byTestId('param-headers-add'));
    fireEvent.change(byTestId('param-headers.0.name'), { target: { value: 'Accept' } });
    fireEvent.change(byTestId('param-headers.0.value'), { target: { value: 'application/json' } });
    expect(last()?.headers).toEqual([{ name: 'Accept', value: 'application/json' }]);
    expect(screen.getByLabelText(/^Name/)).toBe(byTestId('param-headers.0.name'));
    // A template inside a row is one line; the group says once that variables work.
    expect(byTestId('param-headers.0.value').tagName).toBe('INPUT');
    expect(within(screen.getByRole('group', { name: 'Headers' })).getAllByText(/Variables such as/)).toHaveLength(1);
    fireEvent.click(byTestId('param-headers.0-remove'));
    expect(last()?.headers).toEqual([]);
  });

  it('bilingual text: two labelled fields under one legend', () => {
    const { last } = renderForm(reply);
    expect(screen.getByRole('group', { name: /Message/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Chinese/), { target: { value: '您好，{{contact.name}}' } });
    fireEvent.change(byTestId('param-text.en'), { target: { value: 'Hello, {{contact.name}}' } });
    expect(last()).toEqual({ text: { zh: '您好，{{contact.name}}', en: 'Hello, {{contact.name}}' } });
    expect(screen.getAllByText(/Variables such as/)).toHaveLength(1);
  });

  it('optional nested object: absent until added, then a fieldset with its defaults and a remove button', () => {
    const { last } = renderForm(start);
    expect(screen.queryByTestId('param-businessHours.from')).toBeNull();
    fireEvent.click(byTestId('param-businessHours-add'));
    expect(last()?.businessHours).toEqual({ days: [1, 2, 3, 4, 5, 6, 7], from: '09:00', to: '21:00' });
    fireEvent.click(byTestId('param-businessHours.days.7'));
    fireEvent.change(byTestId('param-businessHours.from'), { target: { value: '9am' } });
    expect(last()?.businessHours).toEqual({ days: [1, 2, 3, 4, 5, 6], from: '9am', to: '21:00' });
    expect(screen.getByText('Does not have the expected form')).toBeTruthy();
    fireEvent.click(byTestId('param-businessHours-remove'));
    expect(last()).not.toHaveProperty('businessHours');
  });

  it('defaults: shown for missing values, and saved with the first edit', () => {
    const { last } = renderForm(wait);
    expect(byTestId('param-timeoutSeconds').value).toBe('600');
    expect(withDefaults(wait, {})).toEqual({ timeoutSeconds: 600 });
    expect(withDefaults(start, { businessHours: { from: '08:00' } })).toEqual({
      inboxes: [], timeZone: 'Asia/Shanghai', businessHours: { days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '21:00' },
    });
    fireEvent.change(byTestId('param-timeoutSeconds'), { target: { value: '' } });
    fireEvent.blur(byTestId('param-timeoutSeconds'));
    expect(last()).toEqual({});
    expect(byTestId('param-timeoutSeconds').value).toBe('600');
  });

  it('required marks: the label says so', () => {
    renderForm(transfer);
    const queue = byTestId('param-queue');
    expect(queue.required).toBe(true);
    expect(within(queue.labels![0]).getByText('(required)').className).toBe('visually-hidden');
    expect(byTestId('param-agentId').labels![0].textContent).toBe('Named agent');
  });

  it('skips the rules parameter, which RuleBuilder edits', () => {
    expect(formProperties(rulesNode)).toEqual(['defaultHandle']);
    renderForm(rulesNode);
    expect(screen.queryByTestId('param-rules')).toBeNull();
    expect(byTestId('param-defaultHandle').value).toBe('default');
  });

  it.each([
    ['http-request', httpRequest], ['reply', reply], ['set-attribute', setAttribute], ['start', start],
    ['transfer', transfer], ['order-status', orderStatus], ['wait', wait],
  ])('%s: every input has a label and nodrag, no parameter falls back to JSON', (_name, schema) => {
    renderForm(schema, { headers: [{ name: 'Accept', value: '*/*' }], attributes: { a: 'b' }, businessHours: {} });
    expectEveryInputLabelled();
    for (const property of Object.values(propertiesOf(schema))) expect(fieldKind(property)).not.toBe('json');
  });

  it('speaks Chinese: labels and option titles from the zh texts', () => {
    renderForm(orderStatus, {}, 'zh');
    expect(screen.getByLabelText(/^订单号来源/)).toBeTruthy();
    expect(within(byTestId('param-source')).getByText('客户最近的订单')).toBeTruthy();
  });

  it('textarea widget, and JSON for a schema no other input fits', () => {
    const { changes, last } = renderForm({
      type: 'object',
      properties: { notes: { type: 'string', 'x-widget': 'textarea', ...t('备注', 'Notes') }, extra: { type: 'object', ...t('其他', 'Extra') } },
    });
    expect(byTestId('param-notes').tagName).toBe('TEXTAREA');
    expect(screen.queryByText(/Variables such as/)).toBeNull();
    const extra = byTestId('param-extra');
    expect(screen.getByText('Edited as JSON.')).toBeTruthy();
    fireEvent.change(extra, { target: { value: '{"a": ' } });
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
    expect(changes).not.toHaveBeenCalled();
    fireEvent.change(extra, { target: { value: '{"a": [1]}' } });
    expect(last()).toEqual({ extra: { a: [1] } });
    expect(screen.queryByText(/^Not valid JSON/)).toBeNull();
  });

  it('a schema without properties says there is nothing to set', () => {
    renderForm({ type: 'object', properties: {} });
    expect(screen.getByText('This activity has no settings.')).toBeTruthy();
  });
});

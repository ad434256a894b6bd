// set attribute / tag: remember something about the customer on their contact,
// for later rules and for agents (e.g. `tier = gold`, tag `complained`).
import { contactIdOf } from '../../types';
import { renderTemplate } from '../template';
import type { Plugin } from '../types';

const name = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' };

export const setAttributePlugin: Plugin = {
  definition: {
    type: 'set-attribute', typeVersion: 1, category: 'data',
    title: { zh: '设置属性/标签', en: 'Set attribute / tag' },
    description: {
      zh: '在客户资料上设置属性（值可用 {{message.text}} 这样的变量）并添加或移除标签，后续规则可用 contact 事实读取。',
      en: 'Sets attributes on the customer\'s contact (values may use variables like {{message.text}}) and adds or removes tags; later rules read them from the contact fact.',
    },
    parameters: {
      type: 'object', additionalProperties: false,
      properties: {
        attributes: {
          type: 'object', propertyNames: name, additionalProperties: { type: 'string', maxLength: 1000 }, default: {},
          'x-title': { zh: '属性', en: 'Attributes' }, 'x-widget': 'keyValue',
        },
        addTags: { type: 'array', items: name, default: [], 'x-title': { zh: '添加标签', en: 'Add tags' } },
        removeTags: { type: 'array', items: name, default: [], 'x-title': { zh: '移除标签', en: 'Remove tags' } },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    sideEffects: true,
  },
  createHandler: ({ models }) => async (input) => {
    const p = input.parameters as { attributes?: Record<string, string>; addTags?: string[]; removeTags?: string[] };
    const attributes = Object.fromEntries(Object.entries(p.attributes ?? {}).map(([k, v]) => [k, renderTemplate(v, input.facts).text]));
    const contact = input.facts.contact as { tags?: string[] } | undefined;
    const tags = [...new Set([...(contact?.tags ?? []), ...(p.addTags ?? [])])].filter((t) => !p.removeTags?.includes(t));
    if (!input.dryRun) {
      // One $set: the conversation is the contact's only writer while it runs, and FerretDB v1 does not isolate updates anyway.
      const set = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes.${k}`, v]));
      await models.Contact.updateOne({ _id: contactIdOf(input) }, { $set: { ...set, tags, updatedAt: new Date(input.now) } });
    }
    const changed = [...Object.entries(attributes).map(([k, v]) => `${k}=${v}`), ...tags.map((t) => `#${t}`)].join(' ');
    return { handle: 'next', contact: { attributes, tags }, note: { zh: `客户资料：${changed}`, en: `Contact: ${changed}` } };
  },
};

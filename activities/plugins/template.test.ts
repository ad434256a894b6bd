import { describe, expect, it } from 'vitest';
import { factAt, renderTemplate } from './template';

const facts = {
  message: { text: 'where is 450789469?', language: 'zh' },
  contact: {
    name: '王小明',
    vip: true,
    attributes: { memberId: 'M 42/7', 'member-level': 3, note: null },
    orders: [{ id: 1001 }, { id: 1002 }],
  },
};

describe('renderTemplate', () => {
  it('fills in nested paths, array items, numbers and booleans', () => {
    const { text, missing } = renderTemplate('{{contact.name}} #{{contact.orders.1.id}} vip={{contact.vip}} level={{contact.attributes.member-level}}', facts);
    expect(text).toBe('王小明 #1002 vip=true level=3');
    expect(missing).toEqual([]);
  });

  it('renders objects and arrays as JSON', () => {
    expect(renderTemplate('{{contact.orders}}', facts).text).toBe('[{"id":1001},{"id":1002}]');
  });

  it('allows spaces inside the braces', () => {
    expect(renderTemplate('{{ message.language }}', facts).text).toBe('zh');
  });

  it('renders missing and null values empty and reports each once, in order', () => {
    const { text, missing } = renderTemplate('[{{contact.email}}][{{contact.attributes.note}}][{{contact.email}}][{{ticket.id}}]', facts);
    expect(text).toBe('[][][][]');
    expect(missing).toEqual(['contact.email', 'contact.attributes.note', 'ticket.id']);
  });

  it('encodes substituted values only, never the template text', () => {
    const { text } = renderTemplate('https://api.example.com/members/{{contact.attributes.memberId}}?q=a b', facts, { encode: encodeURIComponent });
    expect(text).toBe('https://api.example.com/members/M%2042%2F7?q=a b');
  });

  it('leaves braces that are not a variable as they are', () => {
    expect(renderTemplate('{"a": {}} {{ not a path }} {{}}', facts).text).toBe('{"a": {}} {{ not a path }} {{}}');
  });

  it('never reaches inherited members', () => {
    const { text, missing } = renderTemplate('{{message.constructor}}{{__proto__}}{{contact.orders.length}}', facts);
    expect(text).toBe('2');
    expect(missing).toEqual(['message.constructor', '__proto__']);
  });
});

describe('factAt', () => {
  it('reads a dotted path and stops at anything that is not an object', () => {
    expect(factAt(facts, 'contact.orders.0.id')).toBe(1001);
    expect(factAt(facts, 'message.text.length')).toBeUndefined();
    expect(factAt(facts, 'contact.attributes.note.x')).toBeUndefined();
  });
});

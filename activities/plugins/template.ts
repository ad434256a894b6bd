// `{{path.to.value}}` substitution over a conversation's facts, for every node
// that builds text from them (HTTP request URLs, headers and bodies; replies).
// Pure: no I/O, no clock, so the simulator shows exactly what a run would do.

/** A variable: `{{ message.text }}`, `{{contact.attributes.member-id}}`, `{{contact.orders.0.id}}`. */
const VARIABLE = /\{\{\s*([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)\s*\}\}/g;

export interface RenderOptions {
  /**
   * Applied to each substituted value, never to the template's own text: the
   * value is data that must not change the structure around it (a URL
   * component, the inside of a JSON string).
   */
  encode?: (value: string) => string;
}

export interface RenderedTemplate {
  text: string;
  /** Variables that had no value and rendered empty, each once, in order of appearance. */
  missing: string[];
}

export function renderTemplate(text: string, facts: Record<string, unknown>, options: RenderOptions = {}): RenderedTemplate {
  const missing = new Set<string>();
  const rendered = text.replace(VARIABLE, (_match, path: string) => {
    const value = factAt(facts, path);
    if (value === undefined || value === null) {
      missing.add(path);
      return '';
    }
    const plain = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return options.encode ? options.encode(plain) : plain;
  });
  return { text: rendered, missing: [...missing] };
}

/**
 * The value at a dotted path (array items by index). Own properties only, so
 * a path can never reach `constructor`, `__proto__` or other inherited members.
 */
export function factAt(facts: unknown, path: string): unknown {
  let value = facts;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

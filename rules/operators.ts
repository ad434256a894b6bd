// Custom json-rules-engine operators, registered in one place so the workflow,
// the simulator and the editor's catalog all see the same set.
import { Operator } from 'json-rules-engine';

function normalizeText(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase() : '';
}

export const customOperators: Operator[] = [
  // True when the text contains any of the given phrases (case- and width-insensitive).
  new Operator<unknown, string[]>('containsAny', (factValue, phrases) => {
    const text = normalizeText(factValue);
    return Array.isArray(phrases) && phrases.some((p) => text.includes(normalizeText(p)));
  }),
];

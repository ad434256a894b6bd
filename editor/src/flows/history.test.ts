import { describe, expect, it } from 'vitest';
import { defaultFlow } from '../../../rules/default-flow';
import type { FlowDefinition } from './api';
import { historyReducer, type History } from './history';

const rename = (id: string) => (f: FlowDefinition): FlowDefinition => ({ ...f, nodes: f.nodes.map((n, i) => (i === 0 ? { ...n, id } : n)) });
const start: History = { past: [], present: defaultFlow, future: [] };

describe('historyReducer', () => {
  it('undoes and redoes changes in order', () => {
    const a = historyReducer(start, { kind: 'change', update: rename('a') });
    const b = historyReducer(a, { kind: 'change', update: rename('b') });
    const undone = historyReducer(b, { kind: 'undo' });
    expect(undone.present).toBe(a.present);
    expect(historyReducer(undone, { kind: 'redo' }).present).toBe(b.present);
  });

  it('drops the redo steps when a new change follows an undo', () => {
    const a = historyReducer(start, { kind: 'change', update: rename('a') });
    const undone = historyReducer(a, { kind: 'undo' });
    expect(historyReducer(undone, { kind: 'change', update: rename('c') }).future).toEqual([]);
  });

  it('makes one undo step of changes with the same coalescing key in a row', () => {
    let h = historyReducer(start, { kind: 'change', update: rename('x'), coalesce: 'params:bot' });
    h = historyReducer(h, { kind: 'change', update: rename('xy'), coalesce: 'params:bot' });
    expect(h.past).toHaveLength(1);
    expect(historyReducer(h, { kind: 'undo' }).present).toBe(defaultFlow);
  });

  it('ignores a change that returns the same document', () => {
    expect(historyReducer(start, { kind: 'change', update: (f) => f })).toBe(start);
  });
});

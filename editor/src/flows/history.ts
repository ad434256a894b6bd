// Undo/redo over whole flow documents. Documents are immutable, so a history
// entry is a reference and an unchanged document is never a new entry.
import { useCallback, useMemo, useReducer } from 'react';
import type { FlowDefinition } from './api';

export interface History {
  past: FlowDefinition[];
  present: FlowDefinition;
  future: FlowDefinition[];
  /** The coalescing key of the change that made `present`. */
  lastKey?: string;
}

export type HistoryAction =
  /** Changes with the same `coalesce` key in a row (typing into one field) are one undo step. */
  | { kind: 'change'; update: (flow: FlowDefinition) => FlowDefinition; coalesce?: string }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'reset'; flow: FlowDefinition };

/** Enough for an afternoon's work; older steps are dropped. */
export const HISTORY_LIMIT = 200;

export function historyReducer(h: History, action: HistoryAction): History {
  switch (action.kind) {
    case 'change': {
      const next = action.update(h.present);
      if (next === h.present) return h;
      if (action.coalesce !== undefined && action.coalesce === h.lastKey) return { ...h, present: next, future: [] };
      return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [], lastKey: action.coalesce };
    }
    case 'undo':
      if (h.past.length === 0) return h;
      return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
    case 'redo':
      if (h.future.length === 0) return h;
      return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
    case 'reset':
      return { past: [], present: action.flow, future: [] };
  }
}

export function useFlowHistory(initial: FlowDefinition) {
  const [history, dispatch] = useReducer(historyReducer, { past: [], present: initial, future: [] });
  const change = useCallback(
    (update: (flow: FlowDefinition) => FlowDefinition, coalesce?: string) => dispatch({ kind: 'change', update, coalesce }),
    [],
  );
  const undo = useCallback(() => dispatch({ kind: 'undo' }), []);
  const redo = useCallback(() => dispatch({ kind: 'redo' }), []);
  const reset = useCallback((flow: FlowDefinition) => dispatch({ kind: 'reset', flow }), []);
  return useMemo(() => ({
    flow: history.present, canUndo: history.past.length > 0, canRedo: history.future.length > 0, change, undo, redo, reset,
  }), [history, change, undo, redo, reset]);
}

export type FlowHistory = ReturnType<typeof useFlowHistory>;

// Saves the draft about a second after the last change, naming the revision it
// was made from. A stale revision (someone else saved) stops autosaving with a
// conflict: nothing is overwritten until the person reloads.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';
import type { FlowDefinition, FlowsApi, StaleDraftDetails, Validation } from './api';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export const AUTOSAVE_DELAY_MS = 1000;

interface Options {
  api: FlowsApi;
  flowId: string;
  flow: FlowDefinition;
  onValidation: (validation: Validation) => void;
}

export interface Autosave {
  state: SaveState;
  conflict: StaleDraftDetails | null;
  error: unknown;
  revision: number;
  /** Saves now if anything is unsaved; resolves with the revision once the draft on the server is this document. */
  flush: () => Promise<number>;
  /** After a (re)load: `flow` is what the server has, at `revision`. */
  loaded: (flow: FlowDefinition, revision: number) => void;
}

export function useAutosave({ api, flowId, flow, onValidation }: Options, initial: { flow: FlowDefinition; revision: number }): Autosave {
  const [state, setState] = useState<SaveState>('saved');
  const [conflict, setConflict] = useState<StaleDraftDetails | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [revision, setRevision] = useState(initial.revision);
  const saved = useRef({ flow: initial.flow, revision: initial.revision });
  const latest = useRef(flow);
  const inFlight = useRef<Promise<void> | null>(null);
  const blocked = useRef(false); // a conflict: no save until reload
  const onValidationRef = useRef(onValidation);
  useEffect(() => {
    latest.current = flow;
    onValidationRef.current = onValidation;
  });

  const saveOnce = useCallback(async () => {
    const doc = latest.current;
    if (blocked.current || doc === saved.current.flow) return;
    setState('saving');
    try {
      const result = await api.saveDraft(flowId, doc, saved.current.revision);
      saved.current = { flow: doc, revision: result.draftRevision };
      setRevision(result.draftRevision);
      setError(null);
      onValidationRef.current(result.validation);
      setState(latest.current === doc ? 'saved' : 'dirty');
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        blocked.current = true;
        setConflict(caught.details as StaleDraftDetails);
        setState('conflict');
      } else {
        setError(caught);
        setState('error');
      }
      throw caught;
    }
  }, [api, flowId]);

  /** One save at a time; a change made during a save is saved right after it. */
  const flush = useCallback(async (): Promise<number> => {
    for (;;) {
      while (inFlight.current) await inFlight.current.catch(() => undefined);
      if (blocked.current || latest.current === saved.current.flow) return saved.current.revision;
      const run = saveOnce().finally(() => { inFlight.current = null; });
      inFlight.current = run;
      await run; // a failure ends the loop: the next change or a retry saves again
    }
  }, [saveOnce]);

  useEffect(() => {
    if (blocked.current) return;
    if (flow === saved.current.flow) {
      if (!inFlight.current) setState('saved');
      return;
    }
    if (!inFlight.current) setState('dirty');
    const timer = window.setTimeout(() => void flush().catch(() => undefined), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [flow, flush]);

  // Leaving the page: save what is pending, and warn before closing the tab with unsaved work.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (latest.current !== saved.current.flow && !blocked.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      void flush().catch(() => undefined);
    };
  }, [flush]);

  const loaded = useCallback((doc: FlowDefinition, rev: number) => {
    saved.current = { flow: doc, revision: rev };
    blocked.current = false;
    setRevision(rev);
    setConflict(null);
    setError(null);
    setState('saved');
  }, []);

  return { state, conflict, error, revision, flush, loaded };
}

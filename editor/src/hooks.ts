import { useCallback, useEffect, useEffectEvent, useState } from 'react';

/** A string kept in localStorage under `key`; `initial` makes the first value when none is stored. */
export function useStoredState(key: string, initial: () => string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => {
    const stored = localStorage.getItem(key);
    if (stored !== null) return stored;
    const first = initial();
    localStorage.setItem(key, first);
    return first;
  });
  const store = useCallback(
    (next: string) => {
      localStorage.setItem(key, next);
      setValue(next);
    },
    [key],
  );
  return [value, store];
}

/**
 * Runs `task` now and then `intervalMs` after each run ends, while `key` is
 * not null. A new key, or `refresh()`, aborts the run in flight and starts
 * over at once. `error` is what the last run threw (null after a success).
 */
export function usePolling(
  task: (signal: AbortSignal) => Promise<void>,
  intervalMs: number,
  key: string | null,
): { error: unknown; refresh: () => void } {
  const [round, setRound] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const onTick = useEffectEvent(task);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    const { signal } = controller;
    let timer: number | undefined;
    const run = async () => {
      try {
        await onTick(signal);
        if (!signal.aborted) setError(null);
      } catch (caught) {
        if (!signal.aborted) setError(caught);
      }
      if (!signal.aborted) timer = window.setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [key, intervalMs, round]);
  const refresh = useCallback(() => setRound((r) => r + 1), []);
  return { error, refresh };
}

/** Runs one user action at a time, remembering which one is busy and its error. */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (name: string, action: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, run };
}

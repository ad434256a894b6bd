// Helpers for tests that run against the real embedded servers started by global-setup.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { openStore, type Store } from '../../activities/store';

/** A fresh database on the shared FerretDB, so test files never see each other's data. */
export function openTestStore(): Promise<Store> {
  return openStore(`${inject('mongoUri')}/t_${randomUUID().slice(0, 8)}`);
}

export const workflowBundle = () => ({ codePath: inject('workflowBundlePath') });

/** Polls until `probe` returns a truthy value; bounded, with a message saying what never happened. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

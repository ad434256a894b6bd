/**
 * Memoizes an async lookup per key for `ttlMs`, for data that changes rarely
 * but is read on every message. Past `ttlMs` the value is still answered while
 * a fresh one loads: under load, every caller waiting on the same slow reload
 * stalled all of a webhook's traffic at once (`npm run bench:webhooks`). A
 * failed first load is not kept; a failed reload keeps the value it had and is
 * tried again after another `ttlMs`.
 */
export function ttlCache<T>(ttlMs: number, load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T>; loaded: boolean; reloading: boolean }>();
  return (key) => {
    const hit = entries.get(key);
    if (!hit) {
      const entry = { at: Date.now(), value: load(key), loaded: false, reloading: false };
      entries.set(key, entry);
      entry.value.then(() => { entry.loaded = true; }, () => { if (entries.get(key) === entry) entries.delete(key); });
      return entry.value;
    }
    if (hit.loaded && !hit.reloading && Date.now() - hit.at >= ttlMs) {
      hit.reloading = true;
      const value = load(key);
      value.then(
        () => { entries.set(key, { at: Date.now(), value, loaded: true, reloading: false }); },
        () => { Object.assign(hit, { at: Date.now(), reloading: false }); },
      );
    }
    return hit.value;
  };
}

import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ttlCache', () => {
  it('loads a key once within the time to live, and reloads it after, answering the old value meanwhile', async () => {
    let loads = 0;
    const get = ttlCache(50, async (key) => `${key}:${++loads}`);
    expect(await Promise.all([get('a'), get('a')])).toEqual(['a:1', 'a:1']);
    expect(await get('b')).toBe('b:2');
    await sleep(60);
    // Expired: the caller does not wait for the reload...
    expect(await get('a')).toBe('a:1');
    await sleep(0);
    // ...which answers the next one.
    expect(await get('a')).toBe('a:3');
    expect(loads).toBe(3);
  });

  it('does not wait on a slow reload', async () => {
    let slow = false;
    const get = ttlCache(20, async () => { if (slow) await sleep(500); return slow ? 'new' : 'old'; });
    expect(await get('a')).toBe('old');
    slow = true;
    await sleep(30);
    const started = Date.now();
    expect(await get('a')).toBe('old');
    expect(Date.now() - started).toBeLessThan(100);
    await sleep(550);
    expect(await get('a')).toBe('new');
  });

  it('does not keep a failed first load', async () => {
    let fail = true;
    const get = ttlCache(10_000, async () => { if (fail) throw new Error('database down'); return 'ok'; });
    await expect(get('a')).rejects.toThrow('database down');
    fail = false;
    expect(await get('a')).toBe('ok');
  });

  it('keeps the value it had when a reload fails, and tries again later', async () => {
    let fail = false;
    let loads = 0;
    const get = ttlCache(20, async () => { loads++; if (fail) throw new Error('database down'); return `v${loads}`; });
    expect(await get('a')).toBe('v1');
    fail = true;
    await sleep(30);
    expect(await get('a')).toBe('v1');
    await sleep(0);
    expect(await get('a')).toBe('v1'); // the failed reload is not retried at once
    expect(loads).toBe(2);
    fail = false;
    await sleep(30);
    await get('a');
    await sleep(0);
    expect(await get('a')).toBe('v3');
  });
});

import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache';

describe('ttlCache', () => {
  it('loads a key once within the time to live, and again after it', async () => {
    let loads = 0;
    const get = ttlCache(50, async (key) => `${key}:${++loads}`);
    expect(await Promise.all([get('a'), get('a')])).toEqual(['a:1', 'a:1']);
    expect(await get('b')).toBe('b:2');
    await new Promise((r) => setTimeout(r, 60));
    expect(await get('a')).toBe('a:3');
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const get = ttlCache(10_000, async () => { if (fail) throw new Error('database down'); return 'ok'; });
    await expect(get('a')).rejects.toThrow('database down');
    fail = false;
    expect(await get('a')).toBe('ok');
  });
});

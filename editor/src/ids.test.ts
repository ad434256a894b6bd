import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomId } from './ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes a v4 UUID', () => {
    expect(randomId()).toMatch(UUID_V4);
  });

  it('makes a v4 UUID without crypto.randomUUID (pages served over plain http)', () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(0xff) });
    expect(randomId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});

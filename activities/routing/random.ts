// A small seeded PRNG for the simulator: the same seed gives the same figures
// on every machine, which Math.random cannot promise.

/** mulberry32: 32-bit state, fast, good enough for simulation (not for secrets). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Independent streams from one seed (golden-ratio spacing), so adding draws to one leaves the others unchanged. */
export function deriveSeed(seed: number, stream: number): number {
  return (seed + Math.imul(stream, 0x9e3779b9)) >>> 0;
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  uniform(): number {
    return this.next();
  }

  /** Standard normal by Box–Muller. */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) would be -Infinity
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A key drawn with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** k distinct items, in their original order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const keys = items.map((item) => ({ item, key: this.next() }));
    const chosen = new Set([...keys].sort((a, b) => a.key - b.key).slice(0, k).map((e) => e.item));
    return items.filter((item) => chosen.has(item));
  }
}

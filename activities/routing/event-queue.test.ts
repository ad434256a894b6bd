import { expect, it } from 'vitest';
import { EventQueue } from './event-queue';
import { Random } from './random';

it('pops events by time, and same-time events in scheduling order', () => {
  const queue = new EventQueue<string>();
  const random = new Random(1);
  const times = Array.from({ length: 200 }, () => Math.floor(random.uniform() * 20));
  times.forEach((time, i) => queue.push(time, `${time}:${i}`));
  const popped: string[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(next.event);
  const expected = times.map((time, i) => ({ time, i })).sort((a, b) => a.time - b.time || a.i - b.i).map(({ time, i }) => `${time}:${i}`);
  expect(popped).toEqual(expected);
});

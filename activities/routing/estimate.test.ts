import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDLE_SECONDS, estimateWait, positionChangedMeaningfully, positionMessage, type WaitEstimate } from './estimate';

const wait = (seconds: number): WaitEstimate => ({ seconds, low: seconds / 2, high: seconds * 2 });

describe('estimateWait', () => {
  it('is zero while a free seat awaits this position', () => {
    expect(estimateWait({ position: 2, agentsServing: 3, freeSeats: 2, recentHandleSeconds: [600] })).toEqual({ seconds: 0, low: 0, high: 0 });
  });

  it('is the releases needed times the median handle time over the busy seats, with a 10–90% band', () => {
    const estimate = estimateWait({ position: 4, agentsServing: 2, freeSeats: 0, seats: 6, recentHandleSeconds: [200, 300, 400, 100_000] });
    expect(estimate.seconds).toBeCloseTo((4 * 350) / 6); // the median ignores the one very long conversation
    expect(estimate.low).toBeGreaterThan(0);
    expect(estimate.low).toBeLessThan(estimate.seconds);
    expect(estimate.high).toBeGreaterThan(estimate.seconds);
  });

  it('matches the exponential percentiles for the first release', () => {
    const { seconds, low, high } = estimateWait({ position: 1, agentsServing: 1, freeSeats: 0, recentHandleSeconds: [120] });
    expect(seconds).toBe(120);
    expect(low / seconds).toBeCloseTo(-Math.log(0.9), 1);
    expect(high / seconds).toBeCloseTo(-Math.log(0.1), 1);
  });

  it('counts one seat per agent and a default handle time when it knows no better', () => {
    expect(estimateWait({ position: 3, agentsServing: 3, freeSeats: 0, recentHandleSeconds: [] }).seconds).toBeCloseTo(DEFAULT_HANDLE_SECONDS);
    expect(estimateWait({ position: 3, agentsServing: 4, freeSeats: 1, recentHandleSeconds: [90] }).seconds).toBeCloseTo((2 * 90) / 3);
  });

  it('gives no estimate when nobody serves the queue', () => {
    expect(estimateWait({ position: 1, agentsServing: 0, freeSeats: 0, recentHandleSeconds: [60] }).seconds).toBe(Infinity);
  });
});

describe('positionMessage', () => {
  it('tells the customers ahead and the wait, in both languages', () => {
    expect(positionMessage(4, wait(240), 'en')).toBe('There are 3 customers ahead of you; the estimated wait is about 4 minutes.');
    expect(positionMessage(4, wait(240), 'zh')).toBe('您前面还有 3 位客户，预计等待约 4 分钟。');
    expect(positionMessage(2, wait(70), 'en')).toBe('There is 1 customer ahead of you; the estimated wait is about 1 minute.');
  });

  it('says when the customer is next, when the wait is under a minute, and when it is unknown', () => {
    expect(positionMessage(1, wait(30), 'en')).toBe('You are next; the estimated wait is less than a minute.');
    expect(positionMessage(1, wait(30), 'zh')).toBe('下一位就是您，预计等待不到 1 分钟。');
    expect(positionMessage(5, wait(Infinity), 'en')).toBe('There are 4 customers ahead of you; the wait cannot be estimated yet.');
    expect(positionMessage(5, wait(Infinity), 'zh')).toBe('您前面还有 4 位客户，暂时无法预估等待时间。');
  });
});

describe('positionChangedMeaningfully', () => {
  const at = (position: number, seconds: number) => ({ position, estimate: wait(seconds) });
  it('speaks up for real progress only', () => {
    expect(positionChangedMeaningfully(at(10, 600), at(9, 560))).toBe(false);
    expect(positionChangedMeaningfully(at(10, 600), at(7, 560))).toBe(true); // 3 places
    expect(positionChangedMeaningfully(at(10, 600), at(9, 400))).toBe(true); // a third shorter
    expect(positionChangedMeaningfully(at(2, 60), at(1, 50))).toBe(true); // now next
    expect(positionChangedMeaningfully(at(3, 20), at(3, 40))).toBe(false); // sub-minute jitter
    expect(positionChangedMeaningfully(at(3, 200), at(3, Infinity))).toBe(true);
    expect(positionChangedMeaningfully(at(3, Infinity), at(3, Infinity))).toBe(false);
    expect(positionChangedMeaningfully(at(10, 600), at(9, 560), { minPositionDelta: 1 })).toBe(true);
    expect(positionChangedMeaningfully(at(10, 600), at(10, 540), { minRatio: 0.1 })).toBe(true);
  });
});

// The customer's estimated wait and the queue-position message.
//
// Model: with every seat busy, seats free up one at a time; if each of the S
// busy seats holds a conversation of median length M and ends at a random
// moment (memoryless), releases form a Poisson process of rate S / M. The
// customer at position p with f seats already free needs k = p − f releases,
// so the wait is Gamma(k, M / S): mean k·M / S. The band is its 10th–90th
// percentile by the Wilson–Hilferty approximation (close even for k = 1, where
// it is the exponential's 0.1·mean to 2.3·mean). The median of recent handle
// times resists the few very long conversations that would skew a mean.
// Agents serving several queues share their seats between them, so a busy
// neighbouring queue makes the real wait longer than this estimate.
import { median } from './stats';

export interface WaitEstimate {
  seconds: number;
  /** 10th percentile. */
  low: number;
  /** 90th percentile. */
  high: number;
}

export interface WaitInput {
  /** 1-based position in the queue. */
  position: number;
  /** Online agents eligible for the queue, free or not. */
  agentsServing: number;
  freeSeats: number;
  /** Handle times of recently closed conversations of the queue. */
  recentHandleSeconds: number[];
  /** Total seats of those agents on the channel (sum of capacities); defaults to one per agent. */
  seats?: number;
}

/** Used until the queue has closed conversations of its own. */
export const DEFAULT_HANDLE_SECONDS = 300;
const Z90 = 1.2816; // standard normal 90th percentile

const NOW: WaitEstimate = { seconds: 0, low: 0, high: 0 };
/** Nobody serves the queue: no estimate; the message says so. */
const UNKNOWN: WaitEstimate = { seconds: Infinity, low: Infinity, high: Infinity };

function gammaQuantile(k: number, scale: number, z: number): number {
  const base = 1 - 1 / (9 * k) + z / (3 * Math.sqrt(k));
  return k * scale * Math.max(0, base) ** 3;
}

export function estimateWait(input: WaitInput): WaitEstimate {
  const releasesNeeded = Math.ceil(input.position - Math.max(0, input.freeSeats));
  if (releasesNeeded <= 0) return NOW;
  const seats = input.seats ?? input.agentsServing;
  if (input.agentsServing <= 0 || seats <= 0) return UNKNOWN;
  const handle = input.recentHandleSeconds.length > 0 ? median(input.recentHandleSeconds) : DEFAULT_HANDLE_SECONDS;
  const busySeats = Math.max(1, seats - Math.max(0, input.freeSeats));
  const between = handle / busySeats;
  return {
    seconds: releasesNeeded * between,
    low: gammaQuantile(releasesNeeded, between, -Z90),
    high: gammaQuantile(releasesNeeded, between, Z90),
  };
}

export function positionMessage(position: number, estimate: WaitEstimate, language: 'zh' | 'en'): string {
  const ahead = Math.max(0, Math.round(position) - 1);
  const minutes = Math.max(1, Math.round(estimate.seconds / 60));
  if (language === 'zh') {
    const where = ahead === 0 ? '下一位就是您' : `您前面还有 ${ahead} 位客户`;
    const wait = !Number.isFinite(estimate.seconds) ? '暂时无法预估等待时间'
      : estimate.seconds < 60 ? '预计等待不到 1 分钟'
      : `预计等待约 ${minutes} 分钟`;
    return `${where}，${wait}。`;
  }
  const where = ahead === 0 ? 'You are next' : ahead === 1 ? 'There is 1 customer ahead of you' : `There are ${ahead} customers ahead of you`;
  const wait = !Number.isFinite(estimate.seconds) ? 'the wait cannot be estimated yet'
    : estimate.seconds < 60 ? 'the estimated wait is less than a minute'
    : `the estimated wait is about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${where}; ${wait}.`;
}

export interface QueueStanding {
  position: number;
  estimate: WaitEstimate;
}

/**
 * Whether a new position message is worth sending, so customers are told about
 * real progress and not spammed on every move: when they become next, when the
 * position moved by minPositionDelta or more, when an estimate appears or
 * disappears, or when the estimate changed by minRatio of the previous one
 * (waits under a minute counted as a minute: they all read "less than a
 * minute", so jitter below it never counts).
 */
export function positionChangedMeaningfully(
  previous: QueueStanding,
  next: QueueStanding,
  opts: { minPositionDelta?: number; minRatio?: number } = {},
): boolean {
  const { minPositionDelta = 3, minRatio = 0.3 } = opts;
  if (next.position <= 1 && previous.position > 1) return true;
  if (Math.abs(next.position - previous.position) >= minPositionDelta) return true;
  const before = previous.estimate.seconds;
  const after = next.estimate.seconds;
  if (Number.isFinite(before) !== Number.isFinite(after)) return true;
  if (!Number.isFinite(before)) return false;
  const floor = (seconds: number) => Math.max(seconds, 60); // every wait under a minute reads the same
  return Math.abs(floor(after) - floor(before)) / floor(before) >= minRatio;
}

// Time that counts only while a queue is open: SLA targets "in business
// hours". Pure and deterministic (workflows compute due times with it).
import { timeFacts } from './facts';
import { businessHours, type BusinessHours } from './operators';

/** A queue's opening hours (the `inBusinessHours` format), in its time zone, closed on its holidays ('YYYY-MM-DD'). */
export interface BusinessCalendar {
  businessHours: unknown;
  timeZone: string;
  holidays: string[];
}

const DAY_MINUTES = 24 * 60;
// A calendar that is open at least an hour a week finds any target within a
// few years of days; the bound only stops a closed-all-the-time calendar.
const MAX_STEPS = 4000;

/** The open stretches of one weekday, in minutes after midnight: `from` after `to` spans midnight (open at both ends of the day). */
function openStretches(hours: BusinessHours, weekday: number): [number, number][] {
  if (!hours.days.has(weekday)) return [];
  return hours.from < hours.to ? [[hours.from, hours.to]] : [[0, hours.to], [hours.from, DAY_MINUTES]];
}

/**
 * When `seconds` of open time have passed since `startMs` (epoch ms).
 * Unparseable hours count all time as open; a calendar with no open time at
 * all answers Infinity (the target never comes due).
 */
export function addBusinessSeconds(startMs: number, seconds: number, calendar: BusinessCalendar): number {
  const hours = businessHours(calendar.businessHours);
  if (!hours) return startMs + seconds * 1000;
  let at = startMs;
  let left = seconds * 1000;
  for (let step = 0; step < MAX_STEPS; step++) {
    const t = timeFacts(at, calendar.timeZone, calendar.holidays);
    // Where in the local day `at` is, to the millisecond (zones are whole minutes off UTC).
    const dayMs = (t.hour * 60 + t.minute) * 60_000 + (((at % 60_000) + 60_000) % 60_000);
    const stretches = t.holiday ? [] : openStretches(hours, t.weekday);
    const open = stretches.find(([from, to]) => dayMs >= from * 60_000 && dayMs < to * 60_000);
    if (open) {
      const available = open[1] * 60_000 - dayMs;
      if (left <= available) return at + left;
      left -= available;
      at += available;
      continue;
    }
    const next = stretches.find(([from]) => from * 60_000 > dayMs);
    at += (next ? next[0] * 60_000 : DAY_MINUTES * 60_000) - dayMs;
  }
  return Infinity;
}

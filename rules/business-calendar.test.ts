import { describe, expect, it } from 'vitest';
import { addBusinessSeconds, type BusinessCalendar } from './business-calendar';

// Asia/Shanghai is UTC+8 all year. 2026-11-27 is a Friday.
const at = (local: string) => Date.parse(`${local}+08:00`);
const weekdays: BusinessCalendar = { businessHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, timeZone: 'Asia/Shanghai', holidays: [] };

describe('addBusinessSeconds', () => {
  it('counts plain time while open', () => {
    expect(addBusinessSeconds(at('2026-11-27T10:00:00'), 1800, weekdays)).toBe(at('2026-11-27T10:30:00'));
  });

  it('stops the clock overnight and over the weekend', () => {
    // 17:30 Friday + 1 h of open time = 09:30 Monday.
    expect(addBusinessSeconds(at('2026-11-27T17:30:00'), 3600, weekdays)).toBe(at('2026-11-30T09:30:00'));
  });

  it('starts counting at opening time when the conversation came in while closed', () => {
    expect(addBusinessSeconds(at('2026-11-28T03:12:45'), 60, weekdays)).toBe(at('2026-11-30T09:01:00'));
  });

  it('skips holidays', () => {
    const calendar = { ...weekdays, holidays: ['2026-11-30'] };
    expect(addBusinessSeconds(at('2026-11-27T17:59:00'), 120, calendar)).toBe(at('2026-12-01T09:01:00'));
  });

  it('handles hours that span midnight', () => {
    const nights: BusinessCalendar = { businessHours: { days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '06:00' }, timeZone: 'Asia/Shanghai', holidays: [] };
    expect(addBusinessSeconds(at('2026-11-27T05:30:00'), 3600, nights)).toBe(at('2026-11-27T22:30:00'));
    expect(addBusinessSeconds(at('2026-11-27T23:30:00'), 3600, nights)).toBe(at('2026-11-28T00:30:00'));
  });

  it('counts in the calendar’s own time zone', () => {
    const london: BusinessCalendar = { ...weekdays, timeZone: 'Europe/London' };
    // 08:30 in London is 08:30 UTC in winter: half an hour before opening.
    expect(addBusinessSeconds(Date.parse('2026-11-27T08:30:00Z'), 60, london)).toBe(Date.parse('2026-11-27T09:01:00Z'));
  });

  it('treats missing hours as always open and a calendar that never opens as never due', () => {
    expect(addBusinessSeconds(1000, 5, { businessHours: 'nonsense', timeZone: 'Asia/Shanghai', holidays: [] })).toBe(6000);
    const closed = { ...weekdays, businessHours: { days: [1], from: '09:00', to: '18:00' }, holidays: Array.from({ length: 5000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)) };
    expect(addBusinessSeconds(at('2026-11-27T10:00:00'), 60, closed)).toBe(Infinity);
  });
});

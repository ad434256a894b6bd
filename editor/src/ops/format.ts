// Small formatting helpers of the ops console: ages, times, error lines.
import type { Lang } from '../i18n';

/** How long ago `iso` was, relative to `now` (ms): "45 s", "12 min", "3 h 5 min", "2 d 4 h" (zh: 秒 / 分钟 / 小时 / 天). */
export function formatAge(iso: string, now: number, lang: Lang): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (!Number.isFinite(ms)) return '—';
  const unit = lang === 'zh' ? { s: ' 秒', m: ' 分钟', h: ' 小时', d: ' 天' } : { s: ' s', m: ' min', h: ' h', d: ' d' };
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}${unit.s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}${unit.m}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}${unit.h} ${minutes % 60}${unit.m}` : `${hours}${unit.h}`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}${unit.d} ${hours % 24}${unit.h}` : `${days}${unit.d}`;
}

/** A date and time in the person's language, to the second. */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** The first line of `text`, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max = 80): string {
  const line = text.split('\n', 1)[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line.length < text.length ? `${line}…` : line;
}

// Terminal output without dependencies: fixed-width tables that stay aligned
// with Chinese text (CJK characters take two columns), ages, and a progress bar.

/** Columns a code point takes in a terminal: 2 for East Asian wide/fullwidth characters, else 1. */
function cellWidth(cp: number): number {
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += cellWidth(ch.codePointAt(0)!);
  return width;
}

/** One line, at most `max` columns; cut text ends with … so nobody mistakes it for the whole. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (displayWidth(line) <= max) return line;
  let out = '';
  let width = 0;
  for (const ch of line) {
    const w = cellWidth(ch.codePointAt(0)!);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  /** The most columns this one may take; longer values are truncated. */
  max?: number;
  /** Never shrunk for a narrow terminal (ids are what people copy); the line wraps instead. */
  keep?: boolean;
}

/**
 * A table with one header line. Each column is as wide as its widest value up
 * to its `max`; when `width` (the terminal's) is given and the lines would be
 * wider, the widest columns (other than `keep` ones) give way until they fit.
 */
export function table<T>(rows: T[], columns: Column<T>[], width?: number): string {
  const cells = rows.map((row) => columns.map((c) => {
    const v = c.value(row);
    return truncate(v === undefined || v === '' ? '-' : String(v), c.max ?? 60);
  }));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i]))));
  const floor = columns.map((c, i) => (c.keep ? widths[i] : Math.max(displayWidth(c.header), 8)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (width && total() > width) {
    const i = widths.reduce((best, w, j) => (w - floor[j] > widths[best] - floor[best] ? j : best), 0);
    if (widths[i] <= floor[i]) break;
    widths[i] -= 1;
  }
  const line = (values: string[]) => values.map((v, i) => {
    const text = truncate(v, widths[i]);
    return i === values.length - 1 ? text : pad(text, widths[i]);
  }).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** How long ago, compactly: 45s, 12m, 3h05m, 2d04h. */
export function age(since: string | Date, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/** A local time without the date when it is today, for timelines. */
export function clock(at: string, now = new Date()): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return d.toDateString() === now.toDateString() ? time : `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${time}`;
}

/** `[██████░░░░░░] 12/40  30%` in `width` bar cells. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

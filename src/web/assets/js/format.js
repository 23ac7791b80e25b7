/** @module How times, durations, shares and statuses read on the dashboard. */

/**
 * One language per page: dates are formatted in the page's own language (`<html lang>`), not the
 * browser's, so an English page never shows German dates; 24-hour times like the phones.
 */
export const LOCALE = (typeof document === 'undefined' ? '' : document.documentElement.lang) || 'en';
const timeFmt = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFmt = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short' });
const fullFmt = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "09:15" today, "Tue, Nov 24, 09:15" otherwise (the browser's zone, the page's language). @param {string} iso */
export function when(iso) {
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFmt.format(d) : `${dayFmt.format(d)}, ${timeFmt.format(d)}`;
}

/** @param {string} iso */
export function fullTime(iso) {
  return fullFmt.format(new Date(iso));
}

/** "just now", "12 min ago", "3 h ago", "2 d ago". @param {string | null | undefined} iso */
export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** 95 → "1 min 35 s". @param {number | null | undefined} seconds */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}

/** 0.1234 → "12.3 %"; null (nothing to share) → "–". @param {number | null | undefined} share */
export function percent(share) {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}

/** @type {Record<string, string>} */
export const STATUS_LABEL = { pending: 'Open', assigned: 'Claimed', returned: 'Returned', ignored: 'Ignored', closed: 'Closed' };

/** @type {Record<string, string>} */
export const OUTCOME_LABEL = {
  reached: 'Reached', voicemail: 'Left voicemail', 'no-answer': 'No answer', 'wrong-number': 'Wrong number', dialled: 'Dialled back',
};

/** ms → "+1.2 s". @param {number | null | undefined} ms */
export function skew(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = ms / 1000;
  return `${s >= 0 ? '+' : '−'}${Math.abs(s) < 10 ? Math.abs(s).toFixed(1) : Math.round(Math.abs(s))} s`;
}

/** Local midnight `days` ago, as ISO (filters count days the way the person reading them does). @param {number} days */
export function daysAgo(days) {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - days);
  return d.toISOString();
}

/** A `<input type=date>` value (local) → ISO of that local midnight, `plusDays` later. @param {string} value @param {number} [plusDays] */
export function dateInputToIso(value, plusDays = 0) {
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return null;
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** 65 → "1 h 5 min"; 1 → "1 min". @param {number} n */
export function minutes(n) {
  if (n < 60) return `${n} min`;
  const h = Math.floor(n / 60);
  return n % 60 === 0 ? `${h} h` : `${h} h ${n % 60} min`;
}

/** A Date as an `<input type=datetime-local>` value in the browser's zone: `2026-12-01T14:00`. @param {Date} d */
export function dateTimeInputValue(d) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * @module The business-hours week editor: one row per day (open or closed, its time ranges), a
 * "same as Monday" shortcut, and holidays. Times may be typed loosely (`8-17`, `8:00–12:30`); they
 * are written back as the API's `HH:MM-HH:MM`, and a row that cannot be read says so in words.
 */
import { h } from './dom.js';

/** API weekday keys (0 = Sunday) in the order a week is read here. */
const WEEK = [['1', 'Monday'], ['2', 'Tuesday'], ['3', 'Wednesday'], ['4', 'Thursday'], ['5', 'Friday'], ['6', 'Saturday'], ['0', 'Sunday']];

/** `8` → `08:00`, `8:5`? no: `8:30`/`8.30`/`0830` → `08:30`; null when it is no time. @param {string} t */
function time(t) {
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?$/.exec(t.trim());
  if (!m) return null;
  const hh = Number(m[1]);
  const mm = Number(m[2] ?? '0');
  if (hh > 24 || mm > 59 || (hh === 24 && mm > 0)) return null;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/**
 * `"8-12, 13:00–17:30"` → `["08:00-12:00", "13:00-17:30"]`, or the reason it cannot be read.
 * @param {string} text @returns {{ ok: true, ranges: string[] } | { ok: false, why: string }}
 */
export function parseRanges(text) {
  /** @type {string[]} */
  const ranges = [];
  for (const part of text.split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
    const [a, b, extra] = part.split(/\s*[-–—]\s*|\s+to\s+/);
    const from = a === undefined ? null : time(a);
    const to = b === undefined ? null : time(b);
    if (from === null || to === null || extra !== undefined) return { ok: false, why: `"${part}" is not a time range: write it as HH:MM-HH:MM, e.g. 08:00-17:00` };
    if (to <= from) return { ok: false, why: `"${part}" ends before it starts (a range past midnight is two: 22:00-24:00 and 00:00-06:00 the next day)` };
    ranges.push(`${from}-${to}`);
  }
  return { ok: true, ranges };
}

/**
 * @param {{ weekly: Record<string, string[]>, holidays: string[] } | undefined} hours
 * @returns {{ el: HTMLElement, read: () => { ok: true, value: { weekly: Record<string, string[]>, holidays: string[] } | null } | { ok: false, field: string, why: string } }}
 */
export function weekEditor(hours) {
  const enabled = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: hours !== undefined }));
  /** @type {{ key: string, name: string, open: HTMLInputElement, text: HTMLInputElement, row: HTMLElement }[]} */
  const days = WEEK.map(([key, name]) => {
    const ranges = hours?.weekly[key ?? ''] ?? (hours === undefined && Number(key) >= 1 && Number(key) <= 5 ? ['08:00-17:00'] : []);
    const open = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: ranges.length > 0, 'aria-label': `${name} open` }));
    const text = /** @type {HTMLInputElement} */ (h('input', {
      type: 'text', value: ranges.join(', '), placeholder: '08:00-12:00, 13:00-17:00', 'aria-label': `${name} hours`, disabled: ranges.length === 0, inputmode: 'text',
    }));
    open.addEventListener('change', () => {
      text.disabled = !open.checked;
      if (open.checked && text.value.trim() === '') text.value = '08:00-17:00';
    });
    const row = h('div.day', { dataset: { field: `businessHours.weekly.${key}` } },
      h('label.check.day-name', null, open, name), text, h('span.field-error', { role: 'alert' }));
    return { key: key ?? '', name: name ?? '', open, text, row };
  });
  const holidays = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 2, placeholder: '2026-12-24, 2026-12-25', 'aria-label': 'Holidays' }, (hours?.holidays ?? []).join(', ')));
  const copy = h('button.secondary.small', {
    type: 'button',
    onclick: () => {
      const mon = days[0];
      if (!mon) return;
      for (const d of days.slice(1, 5)) {
        d.open.checked = mon.open.checked;
        d.text.disabled = !mon.open.checked;
        d.text.value = mon.text.value;
      }
    },
  }, 'Tuesday to Friday like Monday');
  const week = h('div.week', null, days.map((d) => d.row), h('div.week-tools', null, copy),
    h('div.field', { dataset: { field: 'businessHours.holidays' } }, h('label', null, 'Holidays (closed all day)'), holidays,
      h('span.hint', null, 'Dates YYYY-MM-DD, separated by commas'), h('span.field-error', { role: 'alert' })));
  const sync = () => { week.hidden = !enabled.checked; };
  enabled.addEventListener('change', sync);
  sync();
  const el = h('fieldset.week-editor', { dataset: { field: 'businessHours' } },
    h('legend', null, 'Business hours'),
    h('label.check', null, enabled, 'Set business hours (without them the team counts as always open: no after-hours calls, no morning digest)'),
    week, h('span.field-error', { role: 'alert' }));

  return {
    el,
    read() {
      if (!enabled.checked) return { ok: true, value: null };
      /** @type {Record<string, string[]>} */
      const weekly = {};
      for (const d of days) {
        if (!d.open.checked) { weekly[d.key] = []; continue; }
        const r = parseRanges(d.text.value);
        if (!r.ok) return { ok: false, field: `businessHours.weekly.${d.key}`, why: `${d.name}: ${r.why}` };
        if (r.ranges.length === 0) return { ok: false, field: `businessHours.weekly.${d.key}`, why: `${d.name}: enter its hours (HH:MM-HH:MM) or untick it` };
        weekly[d.key] = r.ranges;
      }
      const dates = holidays.value.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
      const bad = dates.find((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s));
      if (bad !== undefined) return { ok: false, field: 'businessHours.holidays', why: `"${bad}" is not a date: write YYYY-MM-DD, e.g. 2026-12-24` };
      return { ok: true, value: { weekly, holidays: dates } };
    },
  };
}

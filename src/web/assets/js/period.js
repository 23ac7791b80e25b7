/** @module The period picker the calls list and the reports share, kept in the page's address. */
import { h, select } from './dom.js';
import { dateInputToIso, daysAgo } from './format.js';

/** @typedef {{ period: string, from: string, to: string }} PeriodState */

/** @type {[string, string][]} */
export const PERIODS = [
  ['today', 'Today'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['90d', 'Last 90 days'], ['all', 'Any time'], ['custom', 'Custom…'],
];

/**
 * ISO bounds for the API (`from` inclusive, `to` exclusive); custom dates are whole local days.
 * @param {PeriodState} s
 * @returns {{ from: string | null, to: string | null }}
 */
export function periodRange(s) {
  switch (s.period) {
    case 'today': return { from: daysAgo(0), to: null };
    case '7d': return { from: daysAgo(6), to: null };
    case '30d': return { from: daysAgo(29), to: null };
    case '90d': return { from: daysAgo(89), to: null };
    case 'custom': return { from: s.from ? dateInputToIso(s.from) : null, to: s.to ? dateInputToIso(s.to, 1) : null };
    default: return { from: null, to: null };
  }
}

/**
 * The picker: a select, and two date inputs shown for "Custom…".
 * @param {PeriodState} state @param {(next: PeriodState) => void} onChange @param {string[]} [only] period keys to offer
 */
export function periodPicker(state, onChange, only) {
  const options = only === undefined ? PERIODS : PERIODS.filter(([k]) => only.includes(k));
  const from = /** @type {HTMLInputElement} */ (h('input', { type: 'date', value: state.from, 'aria-label': 'From' }));
  const to = /** @type {HTMLInputElement} */ (h('input', { type: 'date', value: state.to, 'aria-label': 'To' }));
  const custom = h('span.custom-range', { hidden: state.period !== 'custom' }, from, ' – ', to);
  const pick = /** @type {HTMLSelectElement} */ (select({ 'aria-label': 'Period', name: 'period' }, options, state.period));
  const fire = () => {
    custom.hidden = pick.value !== 'custom';
    if (pick.value === 'custom' && (from.value === '' || to.value === '')) return;
    onChange({ period: pick.value, from: from.value, to: to.value });
  };
  pick.addEventListener('change', fire);
  from.addEventListener('change', fire);
  to.addEventListener('change', fire);
  return h('span.period', null, pick, custom);
}

/** Reads `#/page?a=b` query into an object. @returns {Record<string, string>} */
export function hashQuery() {
  const q = location.hash.split('?')[1] ?? '';
  return Object.fromEntries(new URLSearchParams(q));
}

/** Writes filters into the address without reloading or adding history entries. @param {Record<string, string>} values */
export function setHashQuery(values) {
  const page = location.hash.split('?')[0] || '#/calls';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== '' && v !== undefined) params.set(k, v);
  const qs = params.toString();
  history.replaceState(null, '', `${page}${qs === '' ? '' : `?${qs}`}`);
}

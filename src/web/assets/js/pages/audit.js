/**
 * @module The audit trail (admins): who did what, when, from where; filtered by action, actor,
 * outcome, team and period, and exported as CSV with the same filters.
 */
import { api, apiUrl } from '../api.js';
import { h, replace, select, toast } from '../dom.js';
import { fullTime } from '../format.js';
import { cell, messageOf } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */

/** @type {[string, string][]} */
const OUTCOMES = [['', 'Every outcome'], ['ok', 'Done'], ['denied', 'Refused'], ['failed', 'Failed']];

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const action = /** @type {HTMLInputElement} */ (h('input', { type: 'search', placeholder: 'Action, e.g. settings or missed-call', 'aria-label': 'Action' }));
  const actor = /** @type {HTMLInputElement} */ (h('input', { type: 'search', placeholder: 'Who (name or id)', 'aria-label': 'Actor' }));
  const outcome = select({ 'aria-label': 'Outcome' }, OUTCOMES, '');
  const team = select({ 'aria-label': 'Team' }, [['', 'Every team'], ...ctx.teams.map((t) => /** @type {[string, string]} */ ([t.id, t.name]))], '');
  const from = /** @type {HTMLInputElement} */ (h('input', { type: 'date', 'aria-label': 'From' }));
  const to = /** @type {HTMLInputElement} */ (h('input', { type: 'date', 'aria-label': 'To' }));
  const exportLink = h('a.button.secondary', { href: apiUrl('/audit/export', { format: 'csv' }), download: '' }, 'Export CSV');
  const rows = h('tbody');
  const more = h('button.secondary.more', { type: 'button', hidden: true, onclick: () => void load(true) }, 'Older entries');
  /** @type {string | null} */
  let cursor = null;

  const filters = () => ({
    action: action.value.trim(), actor: actor.value.trim(), outcome: outcome.value, team: team.value,
    from: from.value ? new Date(`${from.value}T00:00:00`).toISOString() : '',
    to: to.value ? new Date(new Date(`${to.value}T00:00:00`).getTime() + 86_400_000).toISOString() : '',
  });
  const apply = () => {
    exportLink.setAttribute('href', apiUrl('/audit/export', { format: 'csv', ...filters() }));
    void load(false);
  };
  for (const c of [action, actor]) c.addEventListener('change', apply);
  for (const c of [outcome, team, from, to]) c.addEventListener('change', apply);

  replace(el,
    h('div.page-head', null, h('h1', null, 'Audit trail')),
    h('form.toolbar', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); apply(); } }, action, actor, outcome, team,
      h('label.inline', null, 'From ', from), h('label.inline', null, 'to ', to), h('button.secondary', { type: 'submit' }, 'Filter'), exportLink),
    h('div.table-scroll', null, h('table.admin-table.audit', null,
      h('thead', null, h('tr', null, ['When', 'Who', 'Action', 'Outcome', 'What', 'Details'].map((c) => h('th', { scope: 'col' }, c)))), rows)),
    more);

  /** @param {boolean} older */
  async function load(older) {
    try {
      const r = await api('GET', '/audit', { query: { ...filters(), limit: 100, cursor: older ? cursor : null } });
      cursor = r.nextCursor;
      more.hidden = cursor === null;
      const trs = r.items.map((/** @type {any} */ e) => h('tr', { dataset: { action: e.action, outcome: e.outcome } },
        cell('When', fullTime(e.at)),
        cell('Who', e.actor.name, h('div.muted.small', null, [e.actor.role, e.ip].filter(Boolean).join(' · '))),
        cell('Action', h('span.mono', null, e.action)),
        cell('Outcome', h(`span.badge.${e.outcome === 'ok' ? 'st-online' : 'st-offline'}`, null, e.outcome)),
        cell('What', e.target ? `${e.target.type} ${e.target.id}` : '–', e.team ? h('div.muted.small', null, ctx.teamName(e.team)) : null),
        cell('Details', Object.entries(e.details).map(([k, v]) => h('div.small', null, h('span.muted', null, `${k}: `), String(v))))));
      if (older) rows.append(...trs);
      else replace(rows, trs.length > 0 ? trs : h('tr', null, h('td.empty', { colspan: 6 }, 'No entry matches.')));
    } catch (err) {
      toast(`Could not load the audit trail: ${messageOf(err)}`, 'error');
    }
  }

  void load(false);
}

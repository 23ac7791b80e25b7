/** @module Teams: who rings together, what they own, their hours, and how many calls wait for each. */
import { api } from '../api.js';
import { debounce, h, replace, toast } from '../dom.js';
import { ago } from '../format.js';
import { teamEditor } from './team-editor.js';

/** @typedef {import('../main.js').Ctx} Ctx */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const grid = h('div.team-grid');
  const admin = ctx.can('admin');
  const editorBox = h('div.editor-box');
  const newTeam = admin ? h('button.primary', { type: 'button', onclick: () => edit(null) }, 'New team') : null;
  replace(el, h('div.page-head', null, h('h1', null, 'Teams'), newTeam), editorBox, grid);

  /** Opens the editor above the cards (admins). @param {string | null} id */
  async function edit(id) {
    let team = null;
    if (id !== null) {
      try { team = await api('GET', `/teams/${encodeURIComponent(id)}`); } catch (err) {
        toast(`Could not load the team: ${/** @type {Error} */ (err).message}`, 'error');
        return;
      }
    }
    const defaultTimeZone = ctx.teams[0]?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    replace(editorBox, teamEditor(team, {
      defaultTimeZone,
      onDone: (saved) => {
        replace(editorBox);
        if (saved) { void load(); void ctx.refreshTeams(); }
      },
    }));
    editorBox.querySelector('input')?.focus();
    editorBox.scrollIntoView({ block: 'start' });
  }

  async function load() {
    /** @type {any[]} */
    let items;
    try {
      items = (await api('GET', '/dashboard/teams')).items;
    } catch (err) {
      toast(`Could not load the teams: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    if (items.length === 0) {
      replace(grid, h('p.empty', null, admin ? 'No teams yet. Create the first one with "New team".' : 'You are in no team yet.'));
      return;
    }
    replace(grid, items.map((t) => h('article.card.team', { dataset: { id: t.id } },
      h('header', null, h('h2', null, t.name), h('div.card-actions', null,
        admin ? h('button.secondary', { type: 'button', onclick: () => edit(t.id), 'aria-label': `Edit ${t.name}` }, 'Edit') : null,
        h('a.button.secondary', { href: `#/calls?team=${encodeURIComponent(t.id)}` }, 'Calls'))),
      h('div.team-stats', null,
        stat(String(t.open), 'waiting', t.open > 0 ? 'warn' : 'ok'),
        stat(String(t.assigned), 'claimed'),
        stat(t.oldestOpenAt === null ? '–' : ago(t.oldestOpenAt).replace(' ago', ''), 'oldest waiting'),
        stat(String(t.phones), t.phones === 1 ? 'phone' : 'phones')),
      h('dl', null,
        h('dt', null, 'Extensions'), h('dd', null, t.extensions.join(', ') || '–'),
        h('dt', null, 'Numbers'), h('dd', null, t.numbers.join(', ') || '–'),
        h('dt', null, 'Time zone'), h('dd', null, t.timeZone),
        h('dt', null, 'Business hours'), h('dd', null, hours(t.businessHours)),
        t.policy && Object.keys(t.policy).length > 0 ? [h('dt', null, 'Policy'), h('dd', null, policy(t.policy))] : null))));
  }

  const reload = debounce(() => { void load(); }, 500);
  void load();
  return {
    /** @param {import('../live.js').LiveEvent[]} events */
    live(events) { if (events.some((e) => e.kind === 'missed' || e.kind === 'missed-removed' || e.kind === 'phone')) reload(); },
    resync: reload,
  };
}

/** @param {string} value @param {string} label @param {string} [tone] */
function stat(value, label, tone = '') {
  return h('div.stat', { class: tone }, h('span.stat-value', null, value), h('span.stat-label', null, label));
}

/**
 * "Mon–Fri 08:00-17:00 · Sat 09:00-12:00": consecutive days with the same hours are joined.
 * @param {{ weekly: Record<string, string[]>, holidays: string[] } | undefined} b
 */
function hours(b) {
  if (!b) return 'Always open (no hours set)';
  const order = [1, 2, 3, 4, 5, 6, 0];
  /** @type {{ from: number, to: number, text: string }[]} */
  const runs = [];
  for (const d of order) {
    const text = (b.weekly[d] ?? []).join(', ');
    const last = runs.at(-1);
    if (last && last.text === text) last.to = d;
    else runs.push({ from: d, to: d, text });
  }
  const parts = runs.filter((r) => r.text !== '').map((r) => `${DAYS[r.from]}${r.from === r.to ? '' : `–${DAYS[r.to]}`} ${r.text}`);
  const holidays = b.holidays.length > 0 ? ` · ${b.holidays.length} holiday${b.holidays.length === 1 ? '' : 's'}` : '';
  return `${parts.join(' · ') || 'Closed all week'}${holidays}`;
}

/** @param {Record<string, unknown>} p */
function policy(p) {
  /** @type {string[]} */
  const out = [];
  if (p.minRingSeconds !== undefined) out.push(`missed after ${p.minRingSeconds} s of ringing`);
  if (p.countInternal !== undefined) out.push(p.countInternal ? 'internal callers count' : 'internal callers ignored');
  if (p.countAnonymous !== undefined) out.push(p.countAnonymous ? 'withheld numbers count' : 'withheld numbers ignored');
  return out.join(', ') || 'defaults';
}

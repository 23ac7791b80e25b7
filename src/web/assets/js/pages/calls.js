/**
 * @module The missed-call list: filters, the phone's actions (claim, returned with outcome,
 * ignore, close, reopen, note) and live updates: a call that comes in appears at the top,
 * highlighted, without a reload.
 */
import { api, apiUrl, ApiError } from '../api.js';
import { debounce, h, reconcile, replace, select, toast } from '../dom.js';
import { ago, dateTimeInputValue, duration, fullTime, minutes, OUTCOME_LABEL, STATUS_LABEL, when } from '../format.js';
import { historyText, overdueText } from './calls-words.js';
import { hashQuery, periodPicker, periodRange, setHashQuery } from '../period.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/**
 * @typedef {{ id: string, caller: { number: string, national: string, raw: string, name: string, contact: { name: string, company: string, vip: boolean } | null, crmUrl: string | null },
 *   rang: string[], overdue: { targetMinutes: number, minutesOver: number, escalated: string | null } | null,
 *   scheduled: { at: string, by: string } | null, waiting: boolean, rankAt: string,
 *   team: string, extension: string, firstAt: string, lastAt: string, attempts: number, attemptTimes: string[], ringSeconds: number | null,
 *   afterHours: boolean, status: string, assignee: string | null, assignedAt: string | null, returned: { at: string, by: string, via: string, outcome: string } | null,
 *   callbacks: { at: string, by: string, via: string, outcome: string }[], rule: string, history: { at: string, actor: string, action: string, via: string, note?: string }[],
 *   callingBack?: { by: string, at: string } | null }} Missed
 */

/** @type {[string, string][]} */
const STATUSES = [
  ['open', 'Open (not yet called back)'], ['pending', 'Open, nobody has it'], ['assigned', 'Claimed'], ['returned', 'Returned'],
  ['ignored', 'Ignored'], ['closed', 'Closed'], ['all', 'All'],
];
const OPEN_LIMIT = 200;
const PAGE = 50;

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const q = hashQuery();
  const state = {
    team: q.team ?? '', status: q.status ?? 'open', caller: q.caller ?? '', period: q.period ?? 'all', from: q.from ?? '', to: q.to ?? '',
  };
  /** @type {Missed[]} */
  let items = [];
  /** @type {string | null} */
  let nextCursor = null;
  let truncated = false;
  /** Ids already shown: anything else after a live update is new and gets highlighted. */
  const known = new Set();
  /** @type {Set<string>} */
  let fresh = new Set();
  let loadedOnce = false;
  const expanded = new Set();
  /** @type {Map<string, 'outcome' | 'note' | 'assign' | 'later'>} */
  const panels = new Map();
  /** Entries whose number is shown in its international (E.164) form. */
  const international = new Set();
  /** Names calls can be assigned to, per team (loaded when the Assign panel first opens). @type {Map<string, string[]>} */
  const colleagues = new Map();
  /** Rendered rows by id, reused while nothing they show changed. @type {Map<string, { key: string, el: HTMLElement }>} */
  const rows = new Map();

  const list = h('ul.calls', { 'aria-label': 'Missed calls' });
  const summary = h('p.summary', { 'aria-live': 'polite' });
  const more = h('button.secondary.more', { type: 'button', hidden: true, onclick: () => load(true, false) }, 'Show older calls');
  const exports = h('span.exports');

  const filtersChanged = () => {
    setHashQuery(/** @type {Record<string, string>} */ ({ ...state, status: state.status === 'open' ? '' : state.status, period: state.period === 'all' ? '' : state.period }));
    updateExports();
    void load(false, false);
  };
  const teamSelect = select({ 'aria-label': 'Team', onchange: (/** @type {Event} */ e) => { state.team = /** @type {HTMLSelectElement} */ (e.target).value; filtersChanged(); } },
    [['', 'All my teams'], ...ctx.teams.map((t) => /** @type {[string, string]} */ ([t.id, t.name]))], state.team);
  const statusSelect = select({ 'aria-label': 'Status', onchange: (/** @type {Event} */ e) => { state.status = /** @type {HTMLSelectElement} */ (e.target).value; filtersChanged(); } },
    STATUSES, state.status);
  const callerInput = h('input', {
    type: 'search', placeholder: 'Caller name or number', value: state.caller, 'aria-label': 'Caller', maxlength: 64,
    oninput: debounce((/** @type {Event} */ e) => { state.caller = /** @type {HTMLInputElement} */ (e.target).value.trim(); filtersChanged(); }, 300),
  });
  const period = periodPicker(state, (next) => { Object.assign(state, next); filtersChanged(); });

  replace(el,
    h('div.page-head', null, h('h1', null, 'Missed calls'), summary),
    h('div.toolbar', null, teamSelect, statusSelect, callerInput, period, exports),
    list, more);

  function updateExports() {
    if (!ctx.can('export')) return;
    const { from, to } = periodRange(state);
    // Exactly the view's filters, so the file holds the rows on the screen (and the older ones not yet loaded).
    const query = { team: state.team, caller: state.caller, from, to, status: state.status === 'all' ? '' : state.status };
    replace(exports,
      h('a.button.secondary', { href: apiUrl('/missed-calls/export', { ...query, format: 'csv' }), download: '', title: 'Download the calls of this view as CSV' }, 'CSV'),
      h('a.button.secondary', { href: apiUrl('/missed-calls/export', { ...query, format: 'xlsx' }), download: '', title: 'Download the calls of this view as Excel, with the report sheets' }, 'Excel'));
  }

  /** @param {boolean} older the next page, after what is shown @param {boolean} live a live update: highlight what is new */
  async function load(older, live) {
    const { from, to } = periodRange(state);
    const base = { team: state.team, caller: state.caller, from, to };
    try {
      if (state.status === 'open') {
        const open = await api('GET', '/missed-calls', { query: { ...base, status: 'open', limit: OPEN_LIMIT } });
        items = listOrder(open.items);
        truncated = open.nextCursor !== null;
        nextCursor = null;
      } else {
        const status = state.status === 'all' ? '' : state.status;
        const size = older ? PAGE : Math.min(500, Math.max(PAGE, items.length));
        const r = await api('GET', '/missed-calls', { query: { ...base, status, limit: size, cursor: older ? nextCursor : null } });
        items = older ? [...items, ...r.items] : r.items;
        nextCursor = r.nextCursor;
        truncated = false;
      }
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) toast(`Could not load the calls: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    // Only calls that arrive while one watches are news; changing a filter just shows other calls.
    fresh = new Set(live && loadedOnce ? items.filter((m) => !known.has(m.id)).map((m) => m.id) : []);
    for (const m of items) known.add(m.id);
    for (const id of fresh) {
      const m = items.find((x) => x.id === id);
      if (m !== undefined && m.status === 'pending') toast(`New missed call: ${callerName(m)}`);
    }
    loadedOnce = true;
    await focusLinked();
    render();
    // The highlight is for arriving; later renders (ticks, actions) show the row plainly.
    if (fresh.size > 0) setTimeout(() => { fresh = new Set(); }, 5000);
  }

  function render() {
    const open = items.filter((m) => m.status === 'pending' || m.status === 'assigned');
    const claimed = open.filter((m) => m.status === 'assigned').length;
    summary.textContent = state.status === 'open'
      ? `${open.length} waiting${claimed > 0 ? `, ${claimed} claimed` : ''}${late(open)}${truncated ? ` (newest ${OPEN_LIMIT} shown)` : ''}`
      : `${items.length}${nextCursor !== null ? '+' : ''} shown`;
    if (state.status === 'open') document.title = `(${open.length}) Missed calls · Ringback`;
    if (items.length === 0) {
      rows.clear();
      replace(list, h('li.empty', null, state.status === 'open' ? 'No missed calls waiting. Well done.' : 'No calls match these filters.'));
    } else {
      const minute = Math.floor(Date.now() / 60_000);
      const nodes = items.map((m) => {
        const panel = panels.get(m.id);
        // An open panel keeps its row as it is, so a note being typed survives live updates.
        const key = `${JSON.stringify(m)}|${panel ?? ''}|${expanded.has(m.id)}|${fresh.has(m.id)}|${panel === undefined ? minute : ''}|${international.has(m.id)}|${colleagues.has(m.team)}`;
        const hit = rows.get(m.id);
        if (hit !== undefined && hit.key === key) return hit.el;
        const el = row(m);
        rows.set(m.id, { key, el });
        return el;
      });
      for (const id of rows.keys()) if (!items.some((m) => m.id === id)) rows.delete(id);
      list.querySelector(':scope > li.empty')?.remove();
      reconcile(list, nodes);
    }
    more.hidden = nextCursor === null;
  }

  /** @param {Missed} m */
  function row(m) {
    const isOpen = m.status === 'pending' || m.status === 'assigned';
    const details = expanded.has(m.id);
    const li = h(`li.call.status-${m.status}`, { dataset: { id: m.id, status: m.status }, class: fresh.has(m.id) ? 'fresh' : '' },
      h('div.call-main', null,
        h('div.col-status', null,
          h(`span.badge.s-${m.status}`, null, STATUS_LABEL[m.status] ?? m.status),
          m.overdue ? h('span.badge.overdue', { title: `The team aims to call back within ${minutes(m.overdue.targetMinutes)} of business time` }, overdueText(m.overdue)) : null,
          m.scheduled && isOpen ? h('span.badge.later', { title: `Set by ${m.scheduled.by}` }, m.waiting ? `Call back ${when(m.scheduled.at)}` : 'Call back now') : null,
          m.afterHours ? h('span.badge.after', { title: 'Outside the team\'s business hours' }, 'After hours') : null),
        h('div.col-caller', null,
          h('div.caller-name', null,
            m.caller.contact?.vip ? h('span.badge.vip', { title: 'VIP contact' }, 'VIP') : null,
            h('strong', null, callerName(m)),
            m.attempts > 1 ? h('span.count', null, `${m.attempts} calls`) : null),
          h('div.caller-sub', null, numberView(m), m.caller.contact?.company ? h('span', null, m.caller.contact.company) : null)),
        h('div.col-when', null,
          h('time', { datetime: m.lastAt, title: fullTime(m.lastAt) }, when(m.lastAt)),
          h('span.muted', null, ago(m.lastAt))),
        h('div.col-where', null,
          h('span', null, ctx.teamName(m.team)),
          h('span.muted.rang', null, rangLine(m))),
        h('div.col-who', null, whoLine(m))),
      h('div.call-actions', null,
        isOpen ? claimButton(m) : null,
        isOpen ? h('button.secondary', { type: 'button', onclick: () => togglePanel(m.id, 'assign'), title: 'Hand it to a colleague' }, 'Assign…') : null,
        isOpen ? h('button.primary', { type: 'button', onclick: () => togglePanel(m.id, 'outcome') }, 'Returned…') : null,
        isOpen ? h('button.secondary', { type: 'button', onclick: () => togglePanel(m.id, 'later'), title: 'The caller asked to be called at a time' }, 'Later…') : null,
        isOpen ? h('button.secondary', { type: 'button', onclick: () => { if (confirm(`Ignore the call from ${callerName(m)}? It leaves the list on every phone of the team.`)) void act(m, { action: 'ignore' }); } }, 'Ignore') : null,
        m.status !== 'closed' ? h('button.secondary', { type: 'button', onclick: () => act(m, { action: 'close' }) }, 'Close') : null,
        !isOpen ? h('button.secondary', { type: 'button', onclick: () => act(m, { action: 'reopen' }) }, 'Reopen') : null,
        h('button.secondary', { type: 'button', onclick: () => togglePanel(m.id, 'note') }, 'Note'),
        h('button.ghost.toggle', {
          type: 'button', 'aria-expanded': String(details), title: 'Details and history',
          onclick: () => { if (details) expanded.delete(m.id); else expanded.add(m.id); render(); },
        }, details ? 'Less' : 'More')),
      panel(m),
      details ? detailsOf(m) : null);
    return li;
  }

  /** @param {Missed} m */
  function claimButton(m) {
    if (m.status === 'assigned' && m.assignee === ctx.session.name) {
      return h('button.secondary', { type: 'button', onclick: () => act(m, { action: 'unassign' }), title: 'Give it back to the team' }, 'Release');
    }
    return h('button.secondary', { type: 'button', onclick: () => act(m, { action: 'assign' }), title: 'Take it, so nobody calls twice' },
      m.status === 'assigned' ? 'Take over' : 'Mine');
  }

  /** @param {Missed} m */
  function panel(m) {
    const kind = panels.get(m.id);
    if (kind === 'outcome') {
      return h('div.call-panel', { role: 'group', 'aria-label': 'How did the callback go?' },
        h('span.panel-title', null, 'How did the callback go?'),
        ['reached', 'voicemail', 'no-answer', 'wrong-number'].map((o) =>
          h('button.secondary', { type: 'button', dataset: { outcome: o }, onclick: () => act(m, { action: 'return', outcome: o }) }, OUTCOME_LABEL[o])),
        h('button.ghost', { type: 'button', onclick: () => togglePanel(m.id, 'outcome') }, 'Cancel'));
    }
    if (kind === 'assign') {
      const names = colleagues.get(m.team);
      if (names === undefined) {
        void loadColleagues(m.team);
        return h('div.call-panel', null, h('span.panel-title', null, 'Loading the team…'));
      }
      const others = names.filter((n) => n !== m.assignee);
      const pick = /** @type {HTMLSelectElement} */ (select({ 'aria-label': 'Colleague' }, others.map((n) => /** @type {[string, string]} */ ([n, n])), others[0] ?? ''));
      return h('form.call-panel', {
        'aria-label': 'Assign to a colleague',
        onsubmit: (/** @type {SubmitEvent} */ e) => { e.preventDefault(); if (pick.value !== '') void act(m, { action: 'assign', assignee: pick.value }); },
      }, h('span.panel-title', null, 'Assign to'), others.length > 0 ? pick : h('span.muted', null, 'Nobody else in this team yet.'),
      others.length > 0 ? h('button.primary', { type: 'submit' }, 'Assign') : null,
      h('button.ghost', { type: 'button', onclick: () => togglePanel(m.id, 'assign') }, 'Cancel'));
    }
    if (kind === 'later') {
      const soon = new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000);
      const input = /** @type {HTMLInputElement} */ (h('input', { type: 'datetime-local', 'aria-label': 'Call back at', value: dateTimeInputValue(soon), min: dateTimeInputValue(new Date()), step: 300 }));
      return h('form.call-panel', {
        'aria-label': 'Call back later',
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          const at = new Date(input.value);
          if (input.value === '' || Number.isNaN(at.getTime())) toast('Call back at: choose a date and a time, e.g. today 14:00.', 'error');
          else void act(m, { action: 'schedule', at: at.toISOString() });
        },
      }, h('span.panel-title', null, 'Call back at'), input, h('button.primary', { type: 'submit' }, 'Schedule'),
      h('span.muted', null, 'It waits at the end of the list, then comes back to the top at that time.'),
      h('button.ghost', { type: 'button', onclick: () => togglePanel(m.id, 'later') }, 'Cancel'));
    }
    if (kind === 'note') {
      const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 2, maxlength: 1000, placeholder: 'A note for the team (kept in the history)', 'aria-label': 'Note' }));
      queueMicrotask(() => text.focus());
      return h('form.call-panel', {
        onsubmit: (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          if (text.value.trim() !== '') void act(m, { action: 'note', note: text.value.trim() });
        },
      }, text, h('button.primary', { type: 'submit' }, 'Save note'), h('button.ghost', { type: 'button', onclick: () => togglePanel(m.id, 'note') }, 'Cancel'));
    }
    return null;
  }

  /** @param {string} team */
  async function loadColleagues(team) {
    try {
      colleagues.set(team, (await api('GET', '/missed-calls/assignees', { query: { team } })).names);
    } catch (err) {
      colleagues.set(team, []);
      toast(`Could not load the team's names: ${/** @type {Error} */ (err).message}`, 'error');
    }
    render();
  }

  /** @param {Missed} m */
  function numberView(m) {
    const n = m.caller.number;
    if (!n) return h('span.muted', null, 'No number');
    const intl = international.has(m.id);
    const shown = intl ? n : (m.caller.national || n);
    const masked = ctx.session.numbers === 'masked' || n.includes('•');
    const toggle = n !== m.caller.national && m.caller.national
      ? h('button.ghost.number-form', {
        type: 'button', title: intl ? 'Show as dialled here' : 'Show the international form (E.164)', 'aria-pressed': String(intl),
        onclick: () => { if (intl) international.delete(m.id); else international.add(m.id); render(); },
      }, intl ? 'National' : 'E.164')
      : null;
    return h('span.number-group', null,
      masked ? h('span.number', null, shown) : h('a.number', { href: `tel:${n.replace(/[^\d+*#]/g, '')}` }, shown), toggle);
  }

  /** @param {string} id @param {'outcome' | 'note' | 'assign' | 'later'} kind */
  function togglePanel(id, kind) {
    if (panels.get(id) === kind) panels.delete(id);
    else panels.set(id, kind);
    render();
  }

  /** @param {Missed} m @param {{ action: string, outcome?: string, note?: string, assignee?: string, at?: string }} body */
  async function act(m, body) {
    try {
      const updated = await api('POST', `/missed-calls/${encodeURIComponent(m.id)}/actions`, { json: body });
      panels.delete(m.id);
      items = items.map((x) => (x.id === updated.id ? updated : x));
      if (state.status === 'open') items = listOrder(items);
      fresh.delete(m.id);
      render();
      toast(doneMessage(body, updated));
    } catch (err) {
      toast(/** @type {Error} */ (err).message, 'error');
    }
  }

  /** @param {Missed} m */
  function detailsOf(m) {
    return h('div.call-details', null,
      h('dl', null,
        h('dt', null, 'Why it is here'), h('dd', null, m.rule),
        h('dt', null, m.attempts > 1 ? `Called ${m.attempts} times` : 'Called'),
        h('dd', null, m.attemptTimes.map((t) => when(t)).join(', ')),
        m.caller.raw && m.caller.raw !== m.caller.number && m.caller.number ? [h('dt', null, 'Number'),
          h('dd', null, `${m.caller.national || m.caller.number} (international ${m.caller.number}); the phone system sent it as ${m.caller.raw}`)] : null,
        m.rang.length > 0 ? [h('dt', null, 'Rang'), h('dd', null, m.rang.join(', '))] : null,
        m.scheduled ? [h('dt', null, 'Call back'), h('dd', null, `${fullTime(m.scheduled.at)}, set by ${m.scheduled.by}`)] : null,
        m.caller.contact ? [h('dt', null, 'Contact'), h('dd', null, [m.caller.contact.name, m.caller.contact.company].filter(Boolean).join(', '),
          m.caller.crmUrl ? [' · ', h('a', { href: m.caller.crmUrl, target: '_blank', rel: 'noopener noreferrer' }, 'Open in CRM')] : null)] : null,
        m.callbacks.length > 0 ? [h('dt', null, 'Callbacks'), h('dd', null, h('ul.plain', null, m.callbacks.map((c) =>
          h('li', null, `${when(c.at)} ${[c.by, VIA_WORDS[c.via]].filter(Boolean).join(' ')}: ${OUTCOME_LABEL[c.outcome] ?? c.outcome}`))))] : null),
      h('h3', null, 'History'),
      h('ol.history', null, m.history.map((e) => h('li', null,
        h('time', { datetime: e.at, title: fullTime(e.at) }, when(e.at)), ' ', historyText(e),
        e.note ? h('div.note', null, e.note) : null))));
  }

  /**
   * `#/calls?id=…` (the link in a notification email): that entry is shown unfolded at the top once,
   * even when the filters would not show it.
   */
  let linked = q.id ?? null;
  async function focusLinked() {
    if (linked === null) return;
    const id = linked;
    linked = null;
    let m = items.find((x) => x.id === id);
    if (m === undefined) {
      try {
        m = await api('GET', `/missed-calls/${encodeURIComponent(id)}`);
      } catch (err) {
        toast(`That call is not available: ${/** @type {Error} */ (err).message}`, 'error');
        return;
      }
      if (m === undefined) return;
      items = [m, ...items];
    }
    expanded.add(id);
    requestAnimationFrame(() => list.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'center' }));
  }

  const reload = debounce(() => { void load(false, true); }, 150);
  // Relative times ("3 min ago") move on without a reload.
  const tick = setInterval(render, 30_000);
  updateExports();
  void load(false, false);

  return {
    /** @param {import('../live.js').LiveEvent[]} events */
    live(events) {
      if (events.some((e) => e.kind === 'missed' || e.kind === 'missed-removed')) reload();
    },
    resync: reload,
    unmount() {
      clearInterval(tick);
      document.title = 'Ringback';
    },
  };
}

// --- Internal helpers ---

/** @param {Missed} m */
export function callerName(m) {
  return m.caller.contact?.name || m.caller.name || (m.caller.number ? 'Unknown caller' : 'Anonymous');
}

/** @type {Record<string, string>} */
const VIA_WORDS = { phone: 'on the phone', api: '', auto: 'automatically' };

/**
 * The phones' order: calls due now, newest first (a scheduled callback counts from its time), then
 * those waiting for their scheduled time, soonest first. The server says which wait (`waiting`).
 * @param {Missed[]} list
 */
function listOrder(list) {
  const due = list.filter((m) => !m.waiting).sort((a, b) => (a.rankAt < b.rankAt ? 1 : a.rankAt > b.rankAt ? -1 : 0));
  const waiting = list.filter((m) => m.waiting).sort((a, b) => ((a.scheduled?.at ?? '') < (b.scheduled?.at ?? '') ? -1 : 1));
  return [...due, ...waiting];
}

/** ", 2 overdue" for the summary line. @param {Missed[]} open */
function late(open) {
  const n = open.filter((m) => m.overdue).length;
  return n > 0 ? `, ${n} overdue` : '';
}

/** "rang 11, 12, 13 for 25 s". @param {Missed} m */
function rangLine(m) {
  const where = m.rang.length > 0 ? `rang ${m.rang.join(', ')}` : m.extension ? `rang ${m.extension}` : '';
  const time = m.ringSeconds !== null ? `for ${duration(m.ringSeconds)}` : '';
  return [where, time].filter(Boolean).join(' ');
}

/** @param {Missed} m */
function whoLine(m) {
  // A team phone is dialling the caller right now: so nobody else calls at the same moment.
  if (m.callingBack && (m.status === 'pending' || m.status === 'assigned')) return h('span', null, `${m.callingBack.by} calling back…`);
  switch (m.status) {
    case 'assigned':
      return h('span', null, `Claimed by ${m.assignee ?? '?'}`, h('span.muted', null, m.assignedAt ? `, ${ago(m.assignedAt)}` : ''));
    case 'returned':
      return m.returned === null ? 'Returned'
        : h('span', null, `Returned by ${m.returned.by}`, h('span.muted', null, ` · ${OUTCOME_LABEL[m.returned.outcome] ?? m.returned.outcome} · ${when(m.returned.at)}`));
    case 'ignored':
    case 'closed': {
      const last = [...m.history].reverse().find((e) => e.action === m.status);
      return last === undefined ? STATUS_LABEL[m.status] : h('span', null, `${STATUS_LABEL[m.status]} by ${last.actor}`, h('span.muted', null, ` · ${when(last.at)}`));
    }
    default: {
      const tries = m.callbacks.filter((c) => c.outcome === 'no-answer');
      return tries.length > 0 ? h('span', null, `Tried ${tries.length} ${tries.length === 1 ? 'time' : 'times'}, no answer`) : h('span.muted', null, 'Nobody has it yet');
    }
  }
}

/** @param {{ action: string, outcome?: string, assignee?: string }} body @param {Missed} m */
function doneMessage(body, m) {
  switch (body.action) {
    case 'assign': return body.assignee ? `Assigned to ${m.assignee}.` : `${callerName(m)} is yours now.`;
    case 'schedule': return `It waits until ${when(m.scheduled?.at ?? '')}, then comes back to the top.`;
    case 'unassign': return 'Released to the team.';
    case 'return': return body.outcome === 'no-answer' ? 'Try counted; the call stays open.' : `Marked returned (${OUTCOME_LABEL[body.outcome ?? 'reached']}).`;
    case 'ignore': return 'Ignored.';
    case 'close': return 'Closed.';
    case 'reopen': return 'Reopened.';
    default: return 'Note saved.';
  }
}

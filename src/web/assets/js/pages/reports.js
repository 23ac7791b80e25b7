/**
 * @module Reports for managers: where calls are lost (hour, weekday, ring time, extension) and
 * whether they come back (time to callback, outcomes, who calls back, repeat callers).
 * All numbers come from `GET /api/reports/summary`; nothing is recounted here.
 */
import { api, apiUrl } from '../api.js';
import { COLORS, doughnut, loadChart, rateLines, SERIES_COLORS, stackedBars } from '../charts.js';
import { debounce, h, replace, select, toast } from '../dom.js';
import { duration, OUTCOME_LABEL, percent, when } from '../format.js';
import { hashQuery, periodPicker, periodRange, setHashQuery } from '../period.js';

/** @typedef {import('../main.js').Ctx} Ctx */

/** Monday first: the working week reads left to right. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const q = hashQuery();
  const state = { team: q.team ?? '', period: q.period ?? '30d', from: q.from ?? '', to: q.to ?? '' };
  /** @type {any[]} */
  let charts = [];
  const body = h('div.report', { 'aria-busy': 'true' }, h('p.muted', null, 'Loading the report…'));
  const exports = h('span.exports');

  const changed = () => {
    setHashQuery({ ...state });
    updateExports();
    void load();
  };
  const teamSelect = select({ 'aria-label': 'Team', onchange: (/** @type {Event} */ e) => { state.team = /** @type {HTMLSelectElement} */ (e.target).value; changed(); } },
    [['', 'All my teams'], ...ctx.teams.map((t) => /** @type {[string, string]} */ ([t.id, t.name]))], state.team);
  const period = periodPicker(state, (next) => { Object.assign(state, next); changed(); }, ['today', '7d', '30d', '90d', 'custom']);

  replace(el, h('div.page-head', null, h('h1', null, 'Reports')), h('div.toolbar', null, teamSelect, period, exports), body);

  function updateExports() {
    const { from, to } = periodRange(state);
    const query = { team: state.team, from, to };
    replace(exports,
      h('a.button.secondary', { href: apiUrl('/missed-calls/export', { ...query, format: 'csv' }), download: '' }, 'CSV'),
      h('a.button.secondary', { href: apiUrl('/missed-calls/export', { ...query, format: 'xlsx' }), download: '', title: 'The calls, with the report tables as extra sheets' }, 'Excel'));
  }

  async function load() {
    const { from, to } = periodRange(state);
    /** @type {any} */
    let r;
    let Chart;
    try {
      [r, Chart] = await Promise.all([api('GET', '/reports/summary', { query: { team: state.team, from, to } }), loadChart()]);
    } catch (err) {
      toast(`Could not load the report: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    for (const c of charts) c.destroy();
    charts = [];
    const t = r.totals;
    const open = r.entries.byStatus.pending + r.entries.byStatus.assigned;
    const calledBackShare = r.timeToCallback.calledBack + r.timeToCallback.notCalledBack === 0 ? null
      : r.timeToCallback.calledBack / (r.timeToCallback.calledBack + r.timeToCallback.notCalledBack);

    const canvas = () => /** @type {HTMLCanvasElement} */ (h('canvas'));
    const hourCanvas = canvas();
    const dayCanvas = canvas();
    const ringCanvas = canvas();
    const outcomeCanvas = canvas();
    const hourRateCanvas = canvas();
    const dayRateCanvas = canvas();
    // Hours in which any call came: the columns of the per-extension table.
    const busyHours = r.byHour.filter((/** @type {any} */ x) => x.calls > 0).map((/** @type {any} */ x) => x.hour);
    replace(body,
      h('p.muted.period-line', null, `${r.period.from ? when(r.period.from) : 'Since the first call'} – ${when(r.period.to)}`,
        r.teams === null ? ' · all teams' : ` · ${r.teams.map(ctx.teamName).join(', ')}`),
      h('section.kpis', { 'aria-label': 'Key figures' },
        kpi('Calls', String(t.calls), `${t.answered + t.answeredElsewhere} answered`),
        kpi('Missed', String(t.missed), `${percent(t.missedRate)} of calls`, t.missedRate !== null && t.missedRate > 0.15 ? 'bad' : ''),
        kpi('Hung up early', String(t.abandonedShort), `${percent(t.abandonedShortRate)} of calls`),
        kpi('After hours', percent(r.afterHours.callsShare), `${r.afterHours.calls} calls, ${r.afterHours.missed} missed`),
        kpi('Time to callback', duration(r.timeToCallback.seconds.median), `median · 90 % within ${duration(r.timeToCallback.seconds.p90)}`),
        kpi('Called back', percent(calledBackShare), `${r.timeToCallback.calledBack} of ${r.entries.total} missed callers`),
        kpi('Still open', String(open), `of ${r.entries.total} entries`, open > 0 ? 'warn' : ''),
        kpi('Called again', String(r.repeatCallers.calledAgain), `of ${r.repeatCallers.missedCallers} missed callers; ${r.repeatCallers.reachedLater} reached later`)),
      h('section.charts', null,
        chartCard('Calls by hour of day', hourCanvas, 'Hours are local to each team.'),
        chartCard('Calls by weekday', dayCanvas),
        chartCard('How long it rang', ringCanvas, `Median before an answer ${duration(r.ringDuration.answeredSeconds.median)}, before a miss ${duration(r.ringDuration.missedSeconds.median)}.`
          + (r.ringDuration.unknown.calls > 0 ? ` Ring time unknown for ${r.ringDuration.unknown.calls} calls (PBX records of answered calls often carry none).` : '')),
        chartCard('Callback outcomes', outcomeCanvas, `${r.callbacks.total} callbacks`),
        chartCard('Missed rate by hour of day', hourRateCanvas, 'Share of the calls in that hour that nobody answered, per team; gaps are hours without calls.'),
        chartCard('Missed rate by weekday', dayRateCanvas, 'Share of the calls on that weekday that nobody answered, per team.')),
      h('section.tables', null,
        tableCard('Who called back', ['Person', 'Callbacks', 'Reached', 'Voicemail', 'No answer', 'Wrong number'],
          r.callbacks.byPerson.map((/** @type {any} */ p) => [p.person, p.total, p.reached, p.voicemail, p['no-answer'], p['wrong-number']])),
        tableCard('Repeat callers', ['Caller', 'Calls', 'Missed', 'Answered', 'Last call'],
          r.repeatCallers.top.map((/** @type {any} */ c) => [c.caller.contact?.name || c.caller.name || c.caller.number, c.calls, c.missed, c.answered, when(c.lastAt)])),
        tableCard('Missed share per extension', ['Extension', 'Rang', 'Answered', 'Missed', 'Missed share'],
          r.extensions.map((/** @type {any} */ x) => [x.extension, x.rang, x.answered, x.missed, percent(x.missedShare)]),
          'An extension that misses far more than its colleagues is worth a look (a phone off the hook, a wrong ring group).'),
        tableCard('Missed rate per extension by weekday', ['Extension', ...WEEK_ORDER.map((d) => String(r.byWeekday[d].name).slice(0, 3))],
          r.extensions.map((/** @type {any} */ x) => [x.extension, ...WEEK_ORDER.map((d) => cellRate(x.rates.byWeekday[d]))]),
          'Of the calls that rang the extension on that day, the share nobody answered (calls in brackets).'),
        tableCard('Missed rate per extension by hour', ['Extension', ...busyHours.map((/** @type {number} */ hr) => String(hr).padStart(2, '0'))],
          r.extensions.map((/** @type {any} */ x) => [x.extension, ...busyHours.map((/** @type {number} */ hr) => cellRate(x.rates.byHour[hr]))]),
          'Hours are local to each team; only hours with calls are shown.')));
    body.removeAttribute('aria-busy');

    const series = (/** @type {any[]} */ rows) => [
      { label: 'Answered', data: rows.map((x) => x.answered), color: COLORS.answered },
      { label: 'Answered elsewhere', data: rows.map((x) => x.answeredElsewhere), color: COLORS.elsewhere },
      { label: 'Missed', data: rows.map((x) => x.missed), color: COLORS.missed },
      { label: 'Hung up early', data: rows.map((x) => x.abandonedShort), color: COLORS.short },
    ];
    const days = WEEK_ORDER.map((d) => r.byWeekday[d]);
    const outcomes = Object.entries(r.callbacks.byOutcome).filter(([, n]) => /** @type {number} */ (n) > 0);
    const teamSeries = (/** @type {'byHour' | 'byWeekday'} */ key, /** @type {number[]} */ order) => r.byTeam.slice(0, SERIES_COLORS.length).map((/** @type {any} */ t, /** @type {number} */ i) => ({
      label: ctx.teamName(t.team), data: order.map((k) => t[key][k].missedRate), color: SERIES_COLORS[i] ?? COLORS.neutral,
    }));
    charts = [
      rateLines(Chart, hourRateCanvas, r.byHour.map((/** @type {any} */ x) => String(x.hour).padStart(2, '0')), teamSeries('byHour', r.byHour.map((/** @type {any} */ x) => x.hour))),
      rateLines(Chart, dayRateCanvas, days.map((/** @type {any} */ d) => d.name.slice(0, 3)), teamSeries('byWeekday', WEEK_ORDER)),
      stackedBars(Chart, hourCanvas, r.byHour.map((/** @type {any} */ x) => String(x.hour).padStart(2, '0')), series(r.byHour)),
      stackedBars(Chart, dayCanvas, days.map((/** @type {any} */ d) => d.name.slice(0, 3)), series(days)),
      stackedBars(Chart, ringCanvas, r.ringDuration.buckets.map((/** @type {any} */ b) => b.label), series(r.ringDuration.buckets)),
      doughnut(Chart, outcomeCanvas, outcomes.length > 0 ? outcomes.map(([k]) => OUTCOME_LABEL[k] ?? k) : ['No callbacks yet'],
        outcomes.length > 0 ? outcomes.map(([, n]) => /** @type {number} */ (n)) : [1],
        outcomes.length > 0 ? outcomes.map(([k]) => COLORS.outcomes[Object.keys(OUTCOME_LABEL).indexOf(k)] ?? COLORS.neutral) : ['#e2e8f0']),
    ];
  }

  const reload = debounce(() => { void load(); }, 1000);
  updateExports();
  void load();
  return {
    /** @param {import('../live.js').LiveEvent[]} events */
    live(events) {
      if (events.some((e) => e.kind === 'call' || e.kind === 'missed')) reload();
    },
    resync: reload,
    unmount() {
      for (const c of charts) c.destroy();
    },
  };
}

// --- Internal helpers ---

/** "25 % (4)": the rate and how many calls it stands on; "–" without calls. @param {{ calls: number, missedRate: number | null }} c */
function cellRate(c) {
  return c.calls === 0 ? '–' : `${percent(c.missedRate)} (${c.calls})`;
}

/** @param {string} label @param {string} value @param {string} sub @param {string} [tone] */
function kpi(label, value, sub, tone = '') {
  return h('div.kpi', { class: tone }, h('span.kpi-label', null, label), h('span.kpi-value', null, value), h('span.kpi-sub', null, sub));
}

/** @param {string} title @param {HTMLCanvasElement} canvas @param {string} [note] */
function chartCard(title, canvas, note) {
  return h('figure.card.chart', null, h('figcaption', null, title), h('div.chart-box', null, canvas), note ? h('p.muted.small', null, note) : null);
}

/** @param {string} title @param {string[]} head @param {unknown[][]} rows @param {string} [note] */
function tableCard(title, head, rows, note) {
  return h('div.card.table-card', null, h('h2', null, title),
    rows.length === 0 ? h('p.muted', null, 'Nothing in this period.') : h('div.table-scroll', null, h('table', null,
      h('thead', null, h('tr', null, head.map((c, i) => h(i === 0 ? 'th' : 'th.num', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((row) => h('tr', null, row.map((c, i) => h(i === 0 ? 'td' : 'td.num', null, String(c)))))))),
    note ? h('p.muted.small', null, note) : null);
}

/**
 * @module The phone inventory: which desk phones are online, when each was last heard from
 * (event, screen or provisioning fetch), firmware, and how far its clock is off.
 */
import { api } from '../api.js';
import { debounce, h, replace, select, toast } from '../dom.js';
import { ago, fullTime, skew } from '../format.js';
import { vendorName } from '../vendors.js';
import { addPhoneForm, importForm, phonePanel, provisioningState, settingsSheet } from './phone-admin.js';

/** @typedef {import('../main.js').Ctx} Ctx */

/** @type {Record<string, string>} */
const STATE_LABEL = { online: 'Online', offline: 'Offline', settling: 'Not heard yet since restart', 'never-seen': 'Never seen' };
/** A phone clock this far off shows wrong call times on its own display; the server's times stay right. */
const SKEW_WARN_MS = 2000;

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const admin = ctx.can('admin');
  // Admins' forms and a phone's panel open here, above the list.
  const panel = h('div.editor-box');
  const show = (/** @type {HTMLElement | null} */ content) => {
    replace(panel, content);
    if (content !== null) { content.querySelector('input')?.focus(); panel.scrollIntoView({ block: 'start' }); }
  };
  const adminButtons = admin ? h('div.head-actions', null,
    h('button.primary', {
      type: 'button',
      onclick: () => show(addPhoneForm(ctx, async (created) => {
        show(settingsSheet(created, await provisioningState()));
        toast(`Phone ${created.label || created.mac} added`);
        void load();
      }, () => show(null))),
    }, 'Add phone'),
    h('button.secondary', { type: 'button', onclick: () => show(importForm(() => { show(null); void load(); })) }, 'Import CSV')) : null;
  let filter = { text: '', state: '' };
  /** @type {any} */
  let data = null;
  const chips = h('div.chips');
  const list = h('div.table-scroll');
  const note = h('p.muted.small');
  replace(el,
    h('div.page-head', null, h('h1', null, 'Phones'), chips, adminButtons),
    panel,
    h('div.toolbar', null,
      h('input', {
        type: 'search', placeholder: 'Label, user, extension, MAC, model', 'aria-label': 'Search phones',
        oninput: (/** @type {Event} */ e) => { filter = { ...filter, text: /** @type {HTMLInputElement} */ (e.target).value.trim().toLowerCase() }; render(); },
      }),
      select({ 'aria-label': 'State', onchange: (/** @type {Event} */ e) => { filter = { ...filter, state: /** @type {HTMLSelectElement} */ (e.target).value }; render(); } },
        [['', 'Every state'], ['online', 'Online'], ['offline', 'Offline'], ['never-seen', 'Never seen'], ['settling', 'Not heard since restart']], '')),
    list, note);

  async function load() {
    try {
      data = await api('GET', '/dashboard/phones');
    } catch (err) {
      toast(`Could not load the phones: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    render();
  }

  function render() {
    if (data === null) return;
    /** @type {Record<string, number>} */
    const counts = {};
    for (const p of data.items) counts[p.state] = (counts[p.state] ?? 0) + 1;
    replace(chips, ['online', 'offline', 'never-seen', 'settling'].filter((s) => counts[s]).map((s) =>
      h(`span.chip.st-${s}`, null, `${counts[s]} ${STATE_LABEL[s]?.toLowerCase()}`)));
    const rows = data.items.filter((/** @type {any} */ p) => (filter.state === '' || p.state === filter.state) &&
      (filter.text === '' || [p.label, p.userName, p.extension, p.mac, p.model, p.vendor, p.firmware].join(' ').toLowerCase().includes(filter.text)));
    replace(note, `Offline means silent for more than ${data.thresholdMinutes} min (no event, screen or provisioning fetch).`,
      data.settlingUntil ? ` The server restarted recently: silent phones count as offline from ${fullTime(data.settlingUntil)}.` : '');
    if (data.items.length === 0) {
      replace(list, h('p.empty', null, admin ? 'No phones yet. Add one with "Add phone", or import a CSV.' : 'No phones yet.'));
      return;
    }
    replace(list, h('table.phones', null,
      h('thead', null, h('tr', null, ['Phone', 'User', 'Vendor / model', 'Firmware', 'Teams', 'State', 'Last seen', 'Clock'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((/** @type {any} */ p) => h('tr', { dataset: { mac: p.mac, state: p.state } },
        cell('Phone', h('strong', null, p.label || p.mac), h('div.muted.mono', null, p.mac),
          admin ? h('button.link.manage', { type: 'button', onclick: () => show(phonePanel(p, show, () => void load())), 'aria-label': `Manage ${p.label || p.mac}` }, 'Manage') : null),
        cell('User', p.userName || '–', h('div.muted', null, `ext ${p.extension}`)),
        cell('Vendor / model', vendorName(p.vendor), h('div.muted', null, p.model || 'model unknown')),
        cell('Firmware', h('span.mono', null, p.firmware || '–')),
        cell('Teams', p.teams.map((/** @type {any} */ t) => t.name).join(', ') || '–'),
        cell('State', h(`span.badge.st-${p.state}`, null, STATE_LABEL[p.state] ?? p.state), pushMark(p.push)),
        cell('Last seen', p.lastSeen === null ? 'never'
          : [h('span', { title: fullTime(p.lastSeen.at) }, ago(p.lastSeen.at)), h('div.muted', null, `${p.lastSeen.via} from ${p.lastSeen.ip}`)]),
        cell('Clock', p.clockSkewMs === null || p.clockSkewMs === undefined ? h('span.muted', null, 'not reported')
          : h(Math.abs(p.clockSkewMs) > SKEW_WARN_MS ? 'span.badge.warn' : 'span', { title: 'Phone clock minus server clock' }, skew(p.clockSkewMs))))))));
  }

  const reload = debounce(() => { void load(); }, 1000);
  // States move on with time alone (a silent phone turns offline): re-read now and then.
  const tick = setInterval(() => { void load(); }, 60_000);
  void load();
  return {
    /** @param {import('../live.js').LiveEvent[]} events */
    live(events) { if (events.some((e) => e.kind === 'phone')) reload(); },
    resync: reload,
    unmount() { clearInterval(tick); },
  };
}

/** A cell labelled for the phone-sized layout, where each row becomes a card. @param {string} label @param {...unknown} content */
function cell(label, ...content) {
  return h('td', { 'data-label': label }, h('div', null, content));
}

/**
 * A phone whose idle-screen pushes fail (unreachable, credentials refused) shows it under its state.
 * @param {any} push
 */
function pushMark(push) {
  if (!push || push.state === 'ok' || push.state === 'never') return null;
  return h('div', null, h('span.badge.warn', { title: push.error ?? '', dataset: { push: push.state } }, push.state === 'rejected' ? 'Push refused' : 'Push unreachable'));
}

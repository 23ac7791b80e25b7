/**
 * @module What the team's phones show right now, per vendor: the server renders the real screen
 * with that vendor's renderer; this page shows the XML or text it would send and draws an
 * approximation of the display. Keys that would act on a call (Mine, Returned…) only say what
 * they would do: a preview changes nothing.
 */
import { api } from '../api.js';
import { debounce, h, replace, select, toast } from '../dom.js';
import { vendorOptions } from '../vendors.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/** @typedef {{ type: string, url?: string, number?: string }} ScreenAction */
/** @typedef {{ kind: 'list' | 'text', title: string, items?: { label: string, url: string, dial?: string, selection?: string }[], lines?: string[], softkeys: { label: string, action: ScreenAction }[] }} Screen */

const ACTION_TEXT = /** @type {Record<string, string>} */ ({
  mine: 'claim this call for the phone\'s user', release: 'give the call back to the team', return: 'mark it returned',
  ignore: 'ignore the call', reopen: 'reopen the call',
});

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const state = { vendor: 'yealink', team: ctx.teams[0]?.id ?? '', view: 'list', id: '', page: 0, selected: 0 };
  /** @type {any} */
  let current = null;
  const device = h('div.device');
  const source = h('pre.source');
  const meta = h('p.muted.small');
  const hint = h('p.preview-hint', { 'aria-live': 'polite' });

  const vendorSelect = select({ 'aria-label': 'Vendor', onchange: (/** @type {Event} */ e) => { state.vendor = /** @type {HTMLSelectElement} */ (e.target).value; void load(); } },
    vendorOptions(), state.vendor);
  const teamSelect = select({ 'aria-label': 'Team', onchange: (/** @type {Event} */ e) => { state.team = /** @type {HTMLSelectElement} */ (e.target).value; home(); } },
    ctx.teams.map((t) => /** @type {[string, string]} */ ([t.id, t.name])), state.team);
  replace(el,
    h('div.page-head', null, h('h1', null, 'Phone screens'), h('p.muted', null, 'What a team\'s desk phones show now, by vendor.')),
    h('div.toolbar', null, vendorSelect, teamSelect, h('button.secondary', { type: 'button', onclick: home }, 'Back to the list')),
    h('div.preview', null,
      h('section.preview-device', { 'aria-label': 'Display (approximation)' }, device, hint),
      h('section.preview-source', { 'aria-label': 'What the server sends' }, h('h2', null, 'What the phone receives'), meta, source)));

  function home() {
    Object.assign(state, { view: 'list', id: '', page: 0, selected: 0 });
    void load();
  }

  async function load() {
    if (state.team === '') {
      replace(device, h('p.empty', null, 'No team to preview yet.'));
      return;
    }
    try {
      current = await api('GET', '/dashboard/screen-preview', { query: { vendor: state.vendor, team: state.team, view: state.view, id: state.id, page: state.page } });
    } catch (err) {
      toast(`Could not render the screen: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    state.selected = Math.min(state.selected, Math.max(0, (current.screen.items?.length ?? 1) - 1));
    render();
  }

  function render() {
    const r = current;
    const plain = r.contentType.startsWith('text/plain');
    const over = r.bytes > r.limits.maxBytes;
    replace(meta, `${r.vendorTitle} · ${r.contentType} · ${r.bytes} bytes`, over ? ` (over the ${r.limits.maxBytes}-byte limit!)` : ` of at most ${r.limits.maxBytes}`,
      ` · up to ${r.limits.maxItems} items, ${r.limits.maxSoftkeys} softkeys`, r.masked ? ' · numbers masked for your role' : '');
    source.textContent = r.body;
    /** @type {Screen} */
    const s = r.screen;
    const display = plain
      // Text-only vendors show the body as it is; there is no richer display to imitate.
      ? h('pre.display-text', null, r.body)
      : s.kind === 'list'
        ? h('ol.display-list', { role: 'listbox', 'aria-label': s.title }, (s.items ?? []).map((item, i) => h('li', {
          role: 'option', 'aria-selected': String(i === state.selected), class: i === state.selected ? 'selected' : '',
          onclick: () => { state.selected = i; render(); }, ondblclick: () => follow({ type: 'open', url: item.url }),
        }, item.label)))
        : h('div.display-text', null, (s.lines ?? []).map((l) => h('p', null, l)));
    replace(device,
      h(`div.screen.v-${r.vendor}`, null, h('div.screen-title', null, plain ? r.vendorTitle : s.title), h('div.screen-body', null, display)),
      // A phone shows no more softkeys than it has; the renderers keep the first ones.
      h('div.softkeys', null, s.softkeys.slice(0, r.limits.maxSoftkeys).map((k) => h('button.softkey', { type: 'button', onclick: () => press(k.action) }, k.label))));
  }

  /** @param {ScreenAction} a */
  function press(a) {
    const item = current?.screen.items?.[state.selected];
    switch (a.type) {
      case 'select': return item ? follow({ type: 'open', url: item.url }) : undefined;
      case 'dial': return say(`The phone would dial ${a.number}.`);
      case 'dial-selected': return say(item?.dial ? `The phone would dial ${item.dial}.` : 'Nothing to dial here.');
      // The phone sends the highlighted item's selection (Yealink `<Selection>`): its outcome menu.
      case 'open-selected':
        if (!item?.selection) return say('Choose a call in the list first.');
        Object.assign(state, { view: 'outcome', id: item.selection, selected: 0 });
        return void load();
      case 'back': case 'exit': return home();
      default: return follow(a);
    }
  }

  /** Moves the preview where a phone's URL would lead; actions are described, not done. @param {ScreenAction} a */
  function follow(a) {
    const url = new URL(a.url ?? '', location.href);
    const parts = url.pathname.split('/').filter(Boolean); // phone, vendor, missed, [id], [action]
    const id = parts[3] ? decodeURIComponent(parts[3]) : '';
    const action = parts[4] ?? '';
    say('');
    if (id === '') Object.assign(state, { view: 'list', id: '', page: Number(url.searchParams.get('p') ?? 0), selected: 0 });
    else if (action === '') Object.assign(state, { view: 'detail', id });
    else if (action === 'outcome') Object.assign(state, { view: 'outcome', id, selected: 0 });
    else {
      const outcome = url.searchParams.get('outcome');
      return say(`On the phone this key would ${ACTION_TEXT[action] ?? action}${outcome ? ` (${outcome})` : ''}. The preview changes nothing.`);
    }
    void load();
  }

  /** @param {string} text */
  function say(text) { hint.textContent = text; }

  const reload = debounce(() => { void load(); }, 300);
  void load();
  return {
    /** @param {import('../live.js').LiveEvent[]} events */
    live(events) { if (events.some((e) => (e.kind === 'missed' && e.team === state.team) || e.kind === 'missed-removed')) reload(); },
    resync: reload,
  };
}

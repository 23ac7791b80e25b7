/**
 * @module The dashboard's shell: who is signed in, the navigation (pages by role), the live
 * connection, and which page is shown (`#/calls`, `#/reports`, …; filters after `?`).
 */
import { api, ApiError, setCsrfToken } from './api.js';
import { debounce, h, replace, toast } from './dom.js';
import { connectLive } from './live.js';
import { showLogin } from './login.js';
import * as callsPage from './pages/calls.js';
import * as contactsPage from './pages/contacts.js';
import * as phonesPage from './pages/phones.js';
import * as reportsPage from './pages/reports.js';
import * as screensPage from './pages/screens.js';
import * as teamsPage from './pages/teams.js';

/**
 * @typedef {{ kind: string, id: string, name: string, role: 'admin'|'manager'|'agent', teams: string[], numbers: 'full'|'masked', csrfToken: string | null }} Session
 * @typedef {{ id: string, name: string, extensions: string[], numbers: string[], timeZone: string, businessHours?: { weekly: Record<string, string[]>, holidays: string[] } }} Team
 * @typedef {{ session: Session, teams: Team[], teamName: (id: string) => string, can: (what: 'export'|'reports'|'phones'|'edit-contacts') => boolean, go: (hash: string) => void }} Ctx
 * @typedef {{ live?: (events: import('./live.js').LiveEvent[]) => void, resync?: () => void, unmount?: () => void }} Mounted
 * @typedef {{ key: string, label: string, roles: string[], mount: (el: HTMLElement, ctx: Ctx) => Mounted | void }} Page
 */

const EVERYONE = ['admin', 'manager', 'agent'];
/** @type {Page[]} */
const PAGES = [
  { key: 'calls', label: 'Missed calls', roles: EVERYONE, mount: callsPage.mount },
  { key: 'reports', label: 'Reports', roles: ['admin', 'manager'], mount: reportsPage.mount },
  { key: 'phones', label: 'Phones', roles: ['admin', 'manager'], mount: phonesPage.mount },
  { key: 'teams', label: 'Teams', roles: EVERYONE, mount: teamsPage.mount },
  { key: 'contacts', label: 'Contacts', roles: EVERYONE, mount: contactsPage.mount },
  { key: 'screens', label: 'Phone screens', roles: EVERYONE, mount: screensPage.mount },
];

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
/** @type {{ close(): void } | null} */
let live = null;
/** @type {Mounted | null} */
let current = null;

async function boot() {
  try {
    start(await api('GET', '/session'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin(root, start);
    else replace(root, h('p.boot', null, `The server did not answer: ${/** @type {Error} */ (err).message}`));
  }
}

/** @param {Session} session */
async function start(session) {
  setCsrfToken(session.csrfToken);
  const pages = PAGES.filter((p) => p.roles.includes(session.role));
  /** @type {Team[]} */
  let teams = [];
  try {
    teams = (await api('GET', '/teams')).items;
  } catch {
    teams = [];
  }

  /** @type {Ctx} */
  const ctx = {
    session,
    teams,
    teamName: (id) => teams.find((t) => t.id === id)?.name ?? (id.startsWith('ext:') ? `Extension ${id.slice(4)}` : id),
    can: (what) => {
      if (session.role === 'admin') return true;
      return session.role === 'manager' && (what === 'export' || what === 'reports' || what === 'phones');
    },
    go: (hash) => { location.hash = hash; },
  };

  const liveBadge = h('span.live-badge', { title: 'Live updates' }, h('span.dot'), h('span.text', null, 'Connecting…'));
  const nav = h('nav.nav', { 'aria-label': 'Pages' }, pages.map((p) => h('a', { href: `#/${p.key}`, dataset: { page: p.key } }, p.label)));
  const main = h('main.page', { id: 'page' });
  const signOut = h('button.link', {
    type: 'button',
    onclick: async () => {
      try { await api('DELETE', '/session'); } catch { /* signed out either way */ }
      stop();
      setCsrfToken(null);
      showLogin(root, start, 'You are signed out.');
    },
  }, 'Sign out');
  const header = h('header.top', null,
    h('a.brand', { href: '#/calls' }, h('img', { src: '/assets/icon.svg', alt: '', width: 28, height: 28 }), h('span', null, 'Ringback')),
    nav,
    h('div.who', null, liveBadge, h('span.user', { title: `${session.role}, ${session.numbers === 'masked' ? 'numbers masked' : 'full numbers'}` },
      h('span.name', null, session.name), h('span.role', null, session.role)), signOut));
  replace(root, header, main);

  const show = () => {
    const key = location.hash.replace(/^#\/?/, '').split('?')[0] || 'calls';
    const page = pages.find((p) => p.key === key) ?? pages[0];
    for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', /** @type {HTMLElement} */ (a).dataset.page === page.key);
    if (current?.key === page.key) return;
    current?.unmount?.();
    main.replaceChildren();
    main.dataset.page = page.key;
    document.title = `${page.label} · Ringback`;
    current = { key: page.key, ...(page.mount(main, ctx) ?? {}) };
  };
  window.onhashchange = show;
  show();

  const setStatus = (/** @type {import('./live.js').LiveStatus} */ s) => {
    liveBadge.dataset.status = s;
    /** @type {HTMLElement} */ (liveBadge.querySelector('.text')).textContent = s === 'live' ? 'Live' : s === 'connecting' ? 'Connecting…' : 'Offline';
  };
  const refreshTeams = debounce(async () => {
    try { ctx.teams.splice(0, ctx.teams.length, ...(await api('GET', '/teams')).items); } catch { /* keep the old list */ }
  }, 500);
  live = connectLive({
    onEvents: (events) => current?.live?.(events),
    onResync: () => { refreshTeams(); current?.resync?.(); },
    onStatus: setStatus,
    onSignedOut: () => window.dispatchEvent(new CustomEvent('ringback:signed-out')),
  });
}

function stop() {
  live?.close();
  live = null;
  current?.unmount?.();
  current = null;
  window.onhashchange = null;
}

window.addEventListener('ringback:signed-out', () => {
  if (live === null) return;
  stop();
  setCsrfToken(null);
  toast('Your session ended. Please sign in again.', 'error');
  showLogin(root, start, 'Your session ended. Please sign in again.');
});

void boot();

/**
 * @module The dashboard's shell: who is signed in, the navigation (pages by role), the live
 * connection, and which page is shown (`#/calls`, `#/reports`, …; filters after `?`).
 */
import { api, ApiError, setCsrfToken } from './api.js';
import { debounce, h, replace, toast } from './dom.js';
import { connectLive } from './live.js';
import { showLogin } from './login.js';
import { loadVendors } from './vendors.js';
import * as callsPage from './pages/calls.js';
import * as contactsPage from './pages/contacts.js';
import * as phonesPage from './pages/phones.js';
import * as reportsPage from './pages/reports.js';
import * as screensPage from './pages/screens.js';
import * as teamsPage from './pages/teams.js';
import * as usersPage from './pages/users.js';
import * as notifyPage from './pages/notify.js';
import * as settingsPage from './pages/settings.js';
import * as pbxPage from './pages/pbx.js';
import * as auditPage from './pages/audit.js';

/**
 * @typedef {{ kind: string, id: string, name: string, role: 'admin'|'manager'|'agent', teams: string[], numbers: 'full'|'masked', csrfToken: string | null }} Session
 * @typedef {{ id: string, name: string, extensions: string[], numbers: string[], timeZone: string, businessHours?: { weekly: Record<string, string[]>, holidays: string[] } }} Team
 * @typedef {{ session: Session, teams: Team[], teamName: (id: string) => string, can: (what: 'export'|'reports'|'phones'|'edit-contacts'|'admin') => boolean, refreshTeams: () => Promise<void>, go: (hash: string) => void }} Ctx
 * @typedef {{ live?: (events: import('./live.js').LiveEvent[]) => void, resync?: () => void, unmount?: () => void }} Mounted
 * @typedef {{ key: string, label: string, roles: string[], group: 'desk'|'admin', mount: (el: HTMLElement, ctx: Ctx) => Mounted | void }} Page
 */

const EVERYONE = ['admin', 'manager', 'agent'];
/** @type {Page[]} */
const PAGES = [
  { key: 'calls', label: 'Missed calls', roles: EVERYONE, group: 'desk', mount: callsPage.mount },
  { key: 'reports', label: 'Reports', roles: ['admin', 'manager'], group: 'desk', mount: reportsPage.mount },
  { key: 'phones', label: 'Phones', roles: ['admin', 'manager'], group: 'desk', mount: phonesPage.mount },
  { key: 'teams', label: 'Teams', roles: EVERYONE, group: 'desk', mount: teamsPage.mount },
  { key: 'contacts', label: 'Contacts', roles: EVERYONE, group: 'desk', mount: contactsPage.mount },
  { key: 'screens', label: 'Phone screens', roles: EVERYONE, group: 'desk', mount: screensPage.mount },
  // Setting the site up: admins only (the API refuses the rest anyway).
  { key: 'users', label: 'Users & tokens', roles: ['admin'], group: 'admin', mount: usersPage.mount },
  { key: 'notify', label: 'Notifications', roles: ['admin'], group: 'admin', mount: notifyPage.mount },
  { key: 'pbx', label: 'PBX sources', roles: ['admin'], group: 'admin', mount: pbxPage.mount },
  { key: 'settings', label: 'Settings', roles: ['admin'], group: 'admin', mount: settingsPage.mount },
  { key: 'audit', label: 'Audit trail', roles: ['admin'], group: 'admin', mount: auditPage.mount },
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
  await loadVendors();

  /** @type {Ctx} */
  const ctx = {
    session,
    teams,
    teamName: (id) => teams.find((t) => t.id === id)?.name ?? (id.startsWith('ext:') ? `Extension ${id.slice(4)}` : id),
    can: (what) => {
      if (session.role === 'admin') return true;
      if (what === 'admin') return false;
      return session.role === 'manager' && (what === 'export' || what === 'reports' || what === 'phones');
    },
    go: (hash) => { location.hash = hash; },
    refreshTeams: async () => {
      try { ctx.teams.splice(0, ctx.teams.length, ...(await api('GET', '/teams')).items); } catch { /* keep the old list */ }
    },
  };

  const liveBadge = h('span.live-badge', { title: 'Live updates' }, h('span.dot'), h('span.text', null, 'Connecting…'));
  const link = (/** @type {Page} */ p) => h('a', { href: `#/${p.key}`, dataset: { page: p.key } }, p.label);
  const adminPages = pages.filter((p) => p.group === 'admin');
  const nav = h('nav.nav', { id: 'nav', 'aria-label': 'Pages' },
    h('div.nav-group', null, pages.filter((p) => p.group === 'desk').map(link)),
    adminPages.length > 0 ? h('div.nav-group.admin', { role: 'group', 'aria-label': 'Admin' }, h('span.nav-label', { 'aria-hidden': 'true' }, 'Admin'), adminPages.map(link)) : null);
  // On a phone-sized window the pages fold behind one button; choosing a page folds them again.
  const menu = h('button.menu-toggle', {
    type: 'button', 'aria-controls': 'nav', 'aria-expanded': 'false', 'aria-label': 'Menu',
    onclick: () => setMenu(header.classList.contains('menu-closed')),
  }, h('span.bars', { 'aria-hidden': 'true' }), h('span.menu-text', null, 'Menu'));
  nav.addEventListener('click', (e) => { if (/** @type {HTMLElement} */ (e.target).closest('a')) setMenu(false); });
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
  const header = h(`header.top.menu-closed${adminPages.length > 0 ? '.has-admin' : ''}`, null,
    h('a.brand', { href: '#/calls' }, h('img', { src: '/assets/icon.svg', alt: '', width: 28, height: 28 }), h('span', null, 'Ringback')),
    menu,
    nav,
    h('div.who', null, liveBadge, h('span.user', { title: `${session.role}, ${session.numbers === 'masked' ? 'numbers masked' : 'full numbers'}` },
      h('span.name', null, session.name), h('span.role', null, session.role)), signOut));
  /** @param {boolean} open */
  function setMenu(open) {
    header.classList.toggle('menu-closed', !open);
    menu.setAttribute('aria-expanded', String(open));
  }
  replace(root, header, main);

  const show = () => {
    const key = location.hash.replace(/^#\/?/, '').split('?')[0] || 'calls';
    const page = pages.find((p) => p.key === key) ?? pages[0];
    for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', /** @type {HTMLElement} */ (a).dataset.page === page.key);
    /** @type {HTMLElement} */ (menu.querySelector('.menu-text')).textContent = page.label;
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
  const refreshTeams = debounce(() => { void ctx.refreshTeams(); }, 500);
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

/**
 * @module Users and API tokens (admins): who may sign in to the dashboard with which role and
 * teams, and the tokens integrations use. A token is shown once, when it is made.
 */
import { api } from '../api.js';
import { h, replace, select, toast } from '../dom.js';
import { fullTime } from '../format.js';
import { cell, checkedValues, clearErrors, confirmAction, copyButton, field, messageOf, showErrors, teamChecks } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */

/** @type {[string, string][]} */
const ROLES = [['agent', 'Agent: the desk (calls of their teams)'], ['manager', 'Manager: also reports, phones, export'], ['admin', 'Admin: everything']];
/** @type {[string, string][]} */
const NUMBERS = [['', 'Role default (managers masked)'], ['full', 'Full numbers'], ['masked', 'Masked numbers']];

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const users = h('div.table-scroll');
  const tokens = h('div.table-scroll');
  const userBox = h('div.editor-box');
  const tokenBox = h('div.editor-box');
  replace(el,
    h('div.page-head', null, h('h1', null, 'Users & tokens')),
    h('section.admin-section', null,
      h('div.section-head', null, h('h2', null, 'Dashboard users'), h('button.primary', { type: 'button', onclick: () => replace(userBox, userForm()) }, 'Add user')),
      userBox, users),
    h('section.admin-section', null,
      h('div.section-head', null, h('h2', null, 'API tokens'), h('button.secondary', { type: 'button', onclick: () => replace(tokenBox, tokenForm()) }, 'New token')),
      h('p.hint', null, 'For integrations (CRM, scripts) and for signing in with a token. The admin token of the server is not listed.'),
      tokenBox, tokens));

  const teamNames = (/** @type {string[]} */ ids) => ids.map((id) => ctx.teamName(id)).join(', ') || (ids.length === 0 ? 'all / none' : '');

  async function load() {
    try {
      const [u, t] = await Promise.all([api('GET', '/users'), api('GET', '/tokens')]);
      renderUsers(u.items);
      renderTokens(t.items);
    } catch (err) {
      toast(`Could not load users and tokens: ${messageOf(err)}`, 'error');
    }
  }

  /** @param {any[]} items */
  function renderUsers(items) {
    if (items.length === 0) { replace(users, h('p.empty', null, 'No users yet: add one for each person who uses the dashboard.')); return; }
    replace(users, h('table.admin-table.users', null,
      h('thead', null, h('tr', null, ['Name', 'Login', 'Role', 'Teams', 'Numbers', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, items.map((u) => h('tr', { dataset: { id: u.id, login: u.login } },
        cell('Name', h('strong', null, u.name), u.disabled ? h('span.badge.warn', null, ' disabled') : null),
        cell('Login', h('span.mono', null, u.login)),
        cell('Role', u.role),
        cell('Teams', u.role === 'admin' ? 'all' : teamNames(u.teams)),
        cell('Numbers', u.numbers),
        h('td.row-actions', null,
          h('button.secondary', { type: 'button', onclick: () => replace(userBox, userForm(u)) }, 'Edit'),
          h('button.secondary', { type: 'button', onclick: () => toggle(u) }, u.disabled ? 'Enable' : 'Disable'),
          h('button.ghost.danger', { type: 'button', onclick: () => removeUser(u) }, 'Delete')))))));
  }

  /** @param {any[]} items */
  function renderTokens(items) {
    if (items.length === 0) { replace(tokens, h('p.empty', null, 'No API tokens.')); return; }
    replace(tokens, h('table.admin-table.tokens', null,
      h('thead', null, h('tr', null, ['Name', 'Role', 'Teams', 'Numbers', 'Created', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, items.map((t) => h('tr', { dataset: { id: t.id } },
        cell('Name', h('strong', null, t.name), h('div.muted.mono', null, t.id)),
        cell('Role', t.role),
        cell('Teams', t.role === 'admin' ? 'all' : teamNames(t.teams)),
        cell('Numbers', t.numbers),
        cell('Created', `${fullTime(t.createdAt)} by ${t.createdBy}`),
        h('td.row-actions', null, h('button.ghost.danger', { type: 'button', onclick: () => revoke(t) }, 'Revoke')))))));
  }

  /** @param {any} [user] */
  function userForm(user) {
    const login = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: user?.login ?? '', autocomplete: 'off', disabled: user !== undefined, spellcheck: 'false' }));
    const name = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: user?.name ?? '', autocomplete: 'off' }));
    const password = /** @type {HTMLInputElement} */ (h('input', { type: 'password', autocomplete: 'new-password' }));
    const role = select({}, ROLES, user?.role ?? 'agent');
    const numbers = select({}, NUMBERS, user === undefined ? '' : user.numbers);
    const teams = teamChecks(ctx.teams, user?.teams ?? []);
    const error = h('p.form-error', { role: 'alert' });
    const form = h('form.card.editor', { novalidate: true },
      h('h2', null, user === undefined ? 'Add a user' : `Edit ${user.name}`),
      h('div.form-grid', null,
        field('login', 'Login', login, '2-64 of a-z 0-9 . _ @ -'),
        field('name', 'Name', name, 'Shown as who did what, e.g. Anna'),
        field('password', user === undefined ? 'Password' : 'New password', password, user === undefined ? 'At least 10 characters' : 'Leave empty to keep it'),
        field('role', 'Role', role), field('numbers', 'Caller numbers', numbers)),
      h('div', { dataset: { field: 'teams' } }, teams, h('span.field-error', { role: 'alert' })),
      error,
      h('div.form-buttons', null, h('button.primary', { type: 'submit' }, user === undefined ? 'Add user' : 'Save user'),
        h('button.secondary', { type: 'button', onclick: () => replace(userBox) }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      error.textContent = '';
      /** @type {Record<string, unknown>} */
      const body = { name: name.value.trim(), role: role.value, teams: checkedValues(teams) };
      if (numbers.value !== '') body.numbers = numbers.value;
      if (password.value !== '') body.password = password.value;
      try {
        if (user === undefined) await api('POST', '/users', { json: { ...body, login: login.value.trim() } });
        else await api('PATCH', `/users/${encodeURIComponent(user.id)}`, { json: body });
        toast(user === undefined ? `User ${body.name || login.value} added` : `User ${body.name} saved`);
        replace(userBox);
        void load();
      } catch (err) {
        showErrors(form, messageOf(err), error);
      }
    });
    return form;
  }

  function tokenForm() {
    const name = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: 'CRM integration', autocomplete: 'off' }));
    const role = select({}, ROLES, 'manager');
    const numbers = select({}, NUMBERS, '');
    const teams = teamChecks(ctx.teams, []);
    const error = h('p.form-error', { role: 'alert' });
    const form = h('form.card.editor', { novalidate: true },
      h('h2', null, 'New API token'),
      h('div.form-grid', null, field('name', 'Name', name, 'What uses it'), field('role', 'Role', role), field('numbers', 'Caller numbers', numbers)),
      h('div', { dataset: { field: 'teams' } }, teams, h('span.field-error', { role: 'alert' })),
      error,
      h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Create token'), h('button.secondary', { type: 'button', onclick: () => replace(tokenBox) }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      /** @type {Record<string, unknown>} */
      const body = { name: name.value.trim(), role: role.value, teams: checkedValues(teams) };
      if (numbers.value !== '') body.numbers = numbers.value;
      try {
        const r = await api('POST', '/tokens', { json: body });
        replace(tokenBox, h('div.card.editor.token-shown', null,
          h('h2', null, `Token for ${r.name}`),
          h('p', null, 'Copy it now: it is shown only this once (the server keeps only its hash).'),
          h('div.setting-row', null, h('code.setting-value.token', null, r.token), copyButton(r.token)),
          h('button.secondary', { type: 'button', onclick: () => replace(tokenBox) }, 'Done')));
        void load();
      } catch (err) {
        showErrors(form, messageOf(err), error);
      }
    });
    return form;
  }

  /** @param {any} u */
  async function toggle(u) {
    if (!u.disabled && !(await confirmAction(`Disable ${u.name}?`, 'Disable', 'Their sessions end now; they cannot sign in until enabled again.'))) return;
    try {
      await api('PATCH', `/users/${encodeURIComponent(u.id)}`, { json: { disabled: !u.disabled } });
      void load();
    } catch (err) { toast(messageOf(err), 'error'); }
  }

  /** @param {any} u */
  async function removeUser(u) {
    if (!(await confirmAction(`Delete the user ${u.name} (${u.login})?`, 'Delete user', 'Their sessions end now. What they did stays in the audit trail.'))) return;
    try {
      await api('DELETE', `/users/${encodeURIComponent(u.id)}`);
      toast(`User ${u.name} deleted`);
      void load();
    } catch (err) { toast(messageOf(err), 'error'); }
  }

  /** @param {any} t */
  async function revoke(t) {
    if (!(await confirmAction(`Revoke the token ${t.name}?`, 'Revoke token', 'Whatever uses it is refused from now on, and its sessions end.'))) return;
    try {
      await api('DELETE', `/tokens/${encodeURIComponent(t.id)}`);
      toast(`Token ${t.name} revoked`);
      void load();
    } catch (err) { toast(messageOf(err), 'error'); }
  }

  void load();
}

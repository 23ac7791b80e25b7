/** @module The login screen: a user's password, or an API token (the admin token works too). */
import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';

/**
 * @param {HTMLElement} root
 * @param {(session: { role: string, name: string, csrfToken: string }) => void} onSignedIn
 * @param {string} [notice] shown above the form (e.g. "You were signed out")
 */
export function showLogin(root, onSignedIn, notice) {
  let mode = 'password';
  const error = h('p.form-error', { role: 'alert', hidden: true });
  const login = /** @type {HTMLInputElement} */ (h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }));
  const password = /** @type {HTMLInputElement} */ (h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }));
  const token = /** @type {HTMLInputElement} */ (h('input', { name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false' }));
  const passwordFields = h('div.fields', null, h('label', null, 'Login', login), h('label', null, 'Password', password));
  const tokenFields = h('div.fields', { hidden: true }, h('label', null, 'API token', token),
    h('p.hint', null, 'An API token from your administrator, or the admin token the server printed at its first start.'));
  const submit = /** @type {HTMLButtonElement} */ (h('button.primary', { type: 'submit' }, 'Sign in'));

  const tab = (/** @type {string} */ name, /** @type {string} */ label) => h('button.tab', {
    type: 'button', role: 'tab', 'aria-selected': String(mode === name), dataset: { mode: name },
    onclick: () => {
      mode = name;
      passwordFields.hidden = name !== 'password';
      tokenFields.hidden = name !== 'token';
      login.required = password.required = name === 'password';
      token.required = name === 'token';
      for (const t of tabs.querySelectorAll('.tab')) t.setAttribute('aria-selected', String(/** @type {HTMLElement} */ (t).dataset.mode === name));
      (name === 'password' ? login : token).focus();
    },
  }, label);
  const tabs = h('div.tabs', { role: 'tablist' }, tab('password', 'Password'), tab('token', 'Token'));

  const form = h('form.login-card', {
    onsubmit: async (/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      error.hidden = true;
      submit.disabled = true;
      try {
        const body = mode === 'password' ? { login: login.value.trim(), password: password.value } : { token: token.value.trim() };
        onSignedIn(await api('POST', '/session', { json: body }));
      } catch (err) {
        error.textContent = err instanceof ApiError && err.status === 401 ? 'Wrong login, password or token.' : String(/** @type {Error} */ (err).message);
        error.hidden = false;
        password.value = '';
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('div.brand.big', null, h('img', { src: '/assets/icon.svg', alt: '', width: 40, height: 40 }), h('span', null, 'Ringback')),
  h('p.muted', null, 'The missed-call desk of your office phones.'),
  notice === undefined ? null : h('p.notice', null, notice),
  tabs, passwordFields, tokenFields, error, submit);

  replace(root, h('main.login', null, form));
  login.focus();
}

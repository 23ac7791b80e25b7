/**
 * @module PBX sources (admins): the Asterisk/FreePBX servers followed over AMI, each with its live
 * state (connected, connecting, login refused…) and last error; add one, remove one after asking.
 */
import { api } from '../api.js';
import { h, replace, toast } from '../dom.js';
import { ago, fullTime } from '../format.js';
import { clearErrors, confirmAction, field, messageOf, showErrors } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */

const STATE = { connected: ['Connected', 'st-online'], connecting: ['Connecting', 'st-settling'], disconnected: ['Disconnected', 'st-offline'], 'auth-failed': ['Login refused', 'st-offline'] };

/** @param {HTMLElement} el @param {Ctx} _ctx */
export function mount(el, _ctx) {
  const list = h('div.pbx-list');
  const formBox = h('div.editor-box');
  replace(el,
    h('div.page-head', null, h('h1', null, 'PBX sources'), h('button.primary', { type: 'button', onclick: () => replace(formBox, addForm()) }, 'Add PBX')),
    h('p.muted', null, 'Asterisk or FreePBX servers whose calls Ringback follows over AMI. Phones report calls by themselves; a PBX source adds what they cannot see (ring groups, queues). Other PBXs post to /pbx/webhook (its secret is under Settings).'),
    formBox, list);

  async function load() {
    try {
      render((await api('GET', '/pbx-sources')).items);
    } catch (err) {
      toast(`Could not load the PBX sources: ${messageOf(err)}`, 'error');
    }
  }

  /** @param {any[]} items */
  function render(items) {
    if (items.length === 0) { replace(list, h('p.empty', null, 'No PBX followed.')); return; }
    replace(list, items.map((s) => {
      const [label, tone] = /** @type {Record<string, string[]>} */ (STATE)[s.status.state] ?? [s.status.state, ''];
      return h('article.card.pbx', { dataset: { id: s.id, state: s.status.state } },
        h('header', null, h('h2', null, `${s.host}:${s.port}`), h(`span.badge.${tone}`, null, label)),
        h('dl.facts', null,
          h('dt', null, 'Type'), h('dd', null, 'Asterisk AMI'),
          h('dt', null, 'User'), h('dd.mono', null, s.username),
          h('dt', null, 'Since'), h('dd', { title: fullTime(s.status.since) }, ago(s.status.since)),
          s.status.lastError ? [h('dt', null, 'Last error'), h('dd.form-error', null, s.status.lastError)] : null,
          h('dt', null, 'Set in'), h('dd', null, s.origin === 'env' ? 'the environment (RINGBACK_AMI_URL)' : 'the dashboard')),
        s.origin === 'api' ? h('button.ghost.danger', { type: 'button', onclick: () => remove(s) }, 'Remove') : null);
    }));
  }

  function addForm() {
    const host = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: 'pbx.example.com', spellcheck: 'false' }));
    const port = /** @type {HTMLInputElement} */ (h('input', { type: 'number', value: '5038', min: 1, max: 65535 }));
    const username = /** @type {HTMLInputElement} */ (h('input', { type: 'text', autocomplete: 'off' }));
    const secret = /** @type {HTMLInputElement} */ (h('input', { type: 'password', autocomplete: 'new-password' }));
    const error = h('p.form-error', { role: 'alert' });
    const form = h('form.card.editor', { novalidate: true }, h('h2', null, 'Follow a PBX over AMI'),
      h('div.form-grid', null, field('host', 'Host', host), field('port', 'Port', port, 'AMI port, 5038 by default'),
        field('username', 'AMI user', username, 'From manager.conf (FreePBX: Settings → Asterisk Manager Users)'), field('secret', 'AMI secret', secret, 'Kept on the server, never shown again')),
      error,
      h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Add PBX'), h('button.secondary', { type: 'button', onclick: () => replace(formBox) }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      try {
        await api('POST', '/pbx-sources', { json: { type: 'asterisk-ami', host: host.value.trim(), port: Number(port.value), username: username.value.trim(), secret: secret.value } });
        replace(formBox);
        toast('PBX added: connecting');
        void load();
      } catch (err) {
        showErrors(form, messageOf(err), error);
      }
    });
    return form;
  }

  /** @param {any} s */
  async function remove(s) {
    if (!(await confirmAction(`Stop following ${s.host}:${s.port}?`, 'Remove PBX', 'Its calls are no longer recorded; what was recorded stays.'))) return;
    try {
      await api('DELETE', `/pbx-sources/${encodeURIComponent(s.id)}`);
      toast('PBX removed');
      void load();
    } catch (err) { toast(messageOf(err), 'error'); }
  }

  void load();
  // The state moves by itself (a PBX restarts, a login is refused): read it again now and then.
  const tick = setInterval(() => { void load(); }, 10_000);
  return { unmount() { clearInterval(tick); } };
}

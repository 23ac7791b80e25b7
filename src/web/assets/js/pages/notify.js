/**
 * @module Notifications per team (admins): how long a missed call may wait, who hears about it
 * (channels, the claimer, lead, manager), quiet hours, and a "send a test" button that shows what
 * each receiver answered.
 */
import { api } from '../api.js';
import { h, replace, select, toast } from '../dom.js';
import { fullTime } from '../format.js';
import { clearErrors, confirmAction, field, messageOf, showErrors } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/** @typedef {{ name: string, email?: string, webhook?: string }} Recipient */

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const box = h('div');
  const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('team');
  const first = ctx.teams.find((t) => t.id === wanted)?.id ?? ctx.teams[0]?.id ?? '';
  const team = select({ 'aria-label': 'Team', onchange: () => void load() }, ctx.teams.map((t) => [t.id, t.name]), first);
  replace(el, h('div.page-head', null, h('h1', null, 'Notifications'), ctx.teams.length > 0 ? team : null), box);
  if (ctx.teams.length === 0) {
    replace(box, h('p.empty', null, 'Create a team first (Teams → New team); notifications are set per team.'));
    return;
  }

  async function load() {
    try {
      render(await api('GET', `/teams/${encodeURIComponent(team.value)}/notify`));
    } catch (err) {
      toast(`Could not load the notification settings: ${messageOf(err)}`, 'error');
    }
  }

  /** @param {any} s */
  function render(s) {
    const num = (/** @type {number} */ v, /** @type {number} */ max) => /** @type {HTMLInputElement} */ (h('input', { type: 'number', min: 0, max, value: String(v) }));
    const target = num(s.targetMinutes, 10080);
    const step = num(s.stepMinutes, 10080);
    const windowMin = num(s.windowMinutes, 1440);
    const quiet = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: s.quietHours ?? '', placeholder: '20:00-07:00' }));
    const channels = recipientList('channels', 'Channels (a shared inbox, a chat or ticket webhook)', s.channels);
    const members = recipientList('members', 'People, by the name they claim calls under on the phones', s.members);
    const lead = recipientList('lead', 'Lead (second step of the ladder)', s.lead ? [s.lead] : [], 1);
    const manager = recipientList('manager', 'Manager (third step)', s.manager ? [s.manager] : [], 1);
    const error = h('p.form-error', { role: 'alert' });
    const results = h('div.test-results', { 'aria-live': 'polite' });
    const testButton = h('button.secondary', { type: 'button', onclick: sendTest, disabled: !s.configured }, 'Send a test');
    const form = h('form.card.editor.notify-form', { novalidate: true },
      h('p.muted', null, s.configured ? `Saved ${s.updatedAt ? fullTime(s.updatedAt) : ''}.` : 'Not set up yet: this team\'s missed calls are not announced and do not escalate.'),
      h('div.form-grid', null,
        field('targetMinutes', 'Call back within (business minutes)', target, 'Then the ladder starts'),
        field('stepMinutes', 'Minutes between ladder steps', step),
        field('windowMinutes', 'At most one message per (minutes)', windowMin, 'What comes meanwhile is batched'),
        field('quietHours', 'Quiet hours', quiet, 'HH:MM-HH:MM in the team\'s zone, e.g. 20:00-07:00; empty = none')),
      channels.el, members.el, lead.el, manager.el,
      error,
      h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Save'), testButton,
        s.configured ? h('button.ghost.danger', { type: 'button', onclick: turnOff }, 'Turn off') : null),
      h('p.hint', null, 'A test goes straight to every recipient saved above (save first), signed like every notification, and is not retried.'),
      results);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      error.textContent = '';
      const body = {
        targetMinutes: Number(target.value), stepMinutes: Number(step.value), windowMinutes: Number(windowMin.value),
        quietHours: quiet.value.trim() === '' ? null : quiet.value.trim(),
        channels: channels.read(), members: members.read(), lead: lead.read()[0] ?? null, manager: manager.read()[0] ?? null,
      };
      try {
        render(await api('PUT', `/teams/${encodeURIComponent(team.value)}/notify`, { json: body }));
        toast('Notification settings saved');
      } catch (err) {
        showErrors(form, messageOf(err), error);
      }
    });
    async function sendTest() {
      replace(results, h('p.muted', null, 'Sending…'));
      try {
        const r = await api('POST', `/teams/${encodeURIComponent(team.value)}/notify/test`);
        replace(results, h('ul.plain.results', null, r.results.map((/** @type {any} */ x) => h(`li.result.${x.ok ? 'ok' : 'failed'}`, null,
          h('span.badge', { class: x.ok ? 'st-online' : 'st-offline' }, x.ok ? 'Delivered' : 'Failed'),
          h('strong', null, ` ${x.name}`), h('span.muted', null, ` · ${x.channel} ${x.to}`),
          h('div.answer', null, 'Answer: ', h('code', null, x.answer))))));
      } catch (err) {
        replace(results, h('p.form-error', null, messageOf(err)));
      }
    }
    async function turnOff() {
      if (!(await confirmAction('Turn off notifications for this team?', 'Turn off', 'Its missed calls are no longer announced and do not escalate. Messages already waiting still go out.'))) return;
      try {
        await api('DELETE', `/teams/${encodeURIComponent(team.value)}/notify`);
        toast('Notifications turned off');
        void load();
      } catch (err) { toast(messageOf(err), 'error'); }
    }
    replace(box, form);
  }

  void load();
}

/**
 * Editable rows of `{name, email, webhook}`; `max` 1 for a single person.
 * @param {string} key the API's field name @param {string} title @param {Recipient[]} initial @param {number} [max]
 */
function recipientList(key, title, initial, max = 20) {
  const rows = h('div.recipients');
  const add = h('button.secondary.small', { type: 'button', onclick: () => addRow({ name: '' }) }, max === 1 ? 'Set' : 'Add');
  /** @param {Recipient} r */
  function addRow(r) {
    const i = rows.children.length;
    const path = max === 1 ? key : `${key}.${i}`;
    const row = h('div.recipient', null,
      field(`${path}.name`, 'Name', /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: r.name, dataset: { part: 'name' } }))),
      field(`${path}.email`, 'Email', /** @type {HTMLInputElement} */ (h('input', { type: 'email', value: r.email ?? '', dataset: { part: 'email' } }))),
      field(`${path}.webhook`, 'Webhook URL', /** @type {HTMLInputElement} */ (h('input', { type: 'url', value: r.webhook ?? '', placeholder: 'https://…', dataset: { part: 'webhook' } }))),
      h('button.ghost.danger', { type: 'button', 'aria-label': 'Remove', onclick: () => { row.remove(); sync(); } }, 'Remove'));
    rows.appendChild(row);
    sync();
  }
  const sync = () => { add.hidden = rows.children.length >= max; };
  for (const r of initial) addRow(r);
  sync();
  return {
    el: h('fieldset.recipient-list', { dataset: { field: key } }, h('legend', null, title), rows, add, h('span.field-error', { role: 'alert' })),
    /** @returns {Recipient[]} */
    read: () => [...rows.children].map((row) => {
      const v = (/** @type {string} */ part) => /** @type {HTMLInputElement} */ (row.querySelector(`[data-part="${part}"]`)).value.trim();
      /** @type {Recipient} */
      const r = { name: v('name') };
      if (v('email') !== '') r.email = v('email');
      if (v('webhook') !== '') r.webhook = v('webhook');
      return r;
    }).filter((r) => r.name !== '' || r.email !== undefined || r.webhook !== undefined),
  };
}

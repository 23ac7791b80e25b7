/**
 * @module Creating and editing a team (admins): name, extensions, numbers, time zone, business
 * hours (the week editor) and the missed-call policy; deleting it after a confirmation.
 */
import { api } from '../api.js';
import { h, select, toast } from '../dom.js';
import { clearErrors, confirmAction, field, listOf, messageOf, showErrors } from '../ui.js';
import { weekEditor } from '../week-editor.js';

/** @typedef {import('../main.js').Team & { policy?: Record<string, unknown> }} Team */

/** @type {[string, string][]} */
const TRISTATE = [['', 'Server default'], ['true', 'Yes'], ['false', 'No']];

/**
 * @param {Team | null} team null = a new one
 * @param {{ defaultTimeZone: string, onDone: (saved: boolean) => void }} opts
 */
export function teamEditor(team, opts) {
  const name = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: team?.name ?? '', required: true, maxlength: 100, autocomplete: 'off' }));
  const extensions = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: team?.extensions.join(', ') ?? '', placeholder: '11, 12, 13', inputmode: 'numeric' }));
  const numbers = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: team?.numbers.join(', ') ?? '', placeholder: '+49 30 1234500' }));
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const timeZone = /** @type {HTMLInputElement} */ (h('input', { type: 'text', value: team?.timeZone ?? '', placeholder: `server default, e.g. ${opts.defaultTimeZone}`, list: 'tz-list', autocomplete: 'off' }));
  const tzList = h('datalist', { id: 'tz-list' }, zones.map((z) => h('option', { value: z })));
  const week = weekEditor(team?.businessHours);
  const p = team?.policy ?? {};
  const minRing = /** @type {HTMLInputElement} */ (h('input', { type: 'number', min: 0, max: 600, value: p.minRingSeconds === undefined ? '' : String(p.minRingSeconds), placeholder: 'default' }));
  const internal = select({}, TRISTATE, p.countInternal === undefined ? '' : String(p.countInternal));
  const anonymous = select({}, TRISTATE, p.countAnonymous === undefined ? '' : String(p.countAnonymous));
  const error = h('p.form-error', { role: 'alert' });
  const save = h('button.primary', { type: 'submit' }, team === null ? 'Create team' : 'Save team');

  const form = h('form.card.editor.team-editor', { novalidate: true },
    h('h2', null, team === null ? 'New team' : `Edit ${team.name}`),
    h('div.form-grid', null,
      field('name', 'Name', name, 'e.g. Reception'),
      field('extensions', 'Extensions', extensions, 'The extensions that ring together, separated by commas'),
      field('numbers', 'Numbers', numbers, 'The public numbers this team answers, separated by commas'),
      field('timeZone', 'Time zone', timeZone, 'An IANA zone such as Europe/Berlin; empty = the server\'s zone'), tzList),
    week.el,
    h('fieldset.policy', { dataset: { field: 'policy' } }, h('legend', null, 'Missed-call policy'),
      h('div.form-grid', null,
        field('policy.minRingSeconds', 'Missed after ringing at least (seconds)', minRing, 'Shorter calls count as hung up early'),
        field('policy.countInternal', 'Count calls from internal extensions', internal),
        field('policy.countAnonymous', 'Count calls from withheld numbers', anonymous)),
      h('span.field-error', { role: 'alert' })),
    error,
    h('div.form-buttons', null, save,
      h('button.secondary', { type: 'button', onclick: () => opts.onDone(false) }, 'Cancel'),
      team === null ? null : h('button.ghost.danger', { type: 'button', onclick: remove }, 'Delete team')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    error.textContent = '';
    if (name.value.trim() === '') return showErrors(form, 'name: enter the team\'s name', error);
    const hours = week.read();
    if (!hours.ok) return showErrors(form, `${hours.field}: ${hours.why}`, error);
    // Keys the form does not show (internalMaxDigits) are kept as they are.
    /** @type {Record<string, unknown>} */
    const policy = { ...(team?.policy ?? {}) };
    delete policy.minRingSeconds;
    delete policy.countInternal;
    delete policy.countAnonymous;
    if (minRing.value.trim() !== '') policy.minRingSeconds = Number(minRing.value);
    if (internal.value !== '') policy.countInternal = internal.value === 'true';
    if (anonymous.value !== '') policy.countAnonymous = anonymous.value === 'true';
    /** @type {Record<string, unknown>} */
    const body = { name: name.value.trim(), extensions: listOf(extensions.value), numbers: listOf(numbers.value), policy };
    if (timeZone.value.trim() !== '') body.timeZone = timeZone.value.trim();
    if (hours.value !== null) body.businessHours = hours.value;
    else if (team?.businessHours !== undefined) body.businessHours = null;
    save.setAttribute('disabled', '');
    try {
      if (team === null) await api('POST', '/teams', { json: body });
      else await api('PATCH', `/teams/${encodeURIComponent(team.id)}`, { json: body });
      toast(team === null ? `Team ${body.name} created` : `Team ${body.name} saved`);
      opts.onDone(true);
    } catch (err) {
      showErrors(form, messageOf(err), error);
    } finally {
      save.removeAttribute('disabled');
    }
  });

  async function remove() {
    if (team === null) return;
    if (!(await confirmAction(`Delete the team ${team.name}?`, 'Delete team', 'Its missed calls stay in the reports; phones must leave the team first.'))) return;
    try {
      await api('DELETE', `/teams/${encodeURIComponent(team.id)}`);
      toast(`Team ${team.name} deleted`);
      opts.onDone(true);
    } catch (err) {
      error.textContent = messageOf(err);
    }
  }
  return form;
}

/**
 * @module Putting phones in (admins): add one, import a CSV, and then the exact settings to type
 * into that vendor's phone — each with a copy button — or the provisioning URL; a new token (the
 * old URLs stop working) and deleting, both after a confirmation.
 */
import { api } from '../api.js';
import { h, replace, select, toast } from '../dom.js';
import { vendorName, vendorOptions } from '../vendors.js';
import { checkedValues, clearErrors, confirmAction, field, messageOf, settingRow, showErrors, teamChecks } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/** @typedef {{ mac: string, vendor: string, label: string, token: string, urls: { events: Record<string, string>, screen: string } }} CreatedPhone */

/** Where each vendor takes the provisioning server (README "Provisioning"). */
const PROVISION_WHERE = {
  yealink: 'Auto Provision → Server URL (or DHCP option 66)',
  poly: 'Settings → Provisioning Server (or DHCP option 160 / 66)',
  cisco: 'Provisioning → Profile Rule (or DHCP option 160 / 66)',
  snom: 'Setting URL, with {mac}.xml at the end',
  grandstream: 'Maintenance → Upgrade and Provisioning → Config Server Path',
  fanvil: 'Auto Provision → Server URL (or DHCP option 66)',
};

/**
 * The settings to enter by hand for one phone, by the vendor's own names.
 * @param {CreatedPhone} p @returns {[string, string][]}
 */
export function manualSettings(p) {
  const screen = p.urls.screen;
  const events = Object.entries(p.urls.events);
  switch (p.vendor) {
    case 'yealink': return [...events, ['linekey.1.type', '27'], ['linekey.1.value', screen], ['linekey.1.label', 'Missed']];
    case 'snom': return [...events, ['fkey[0]', `url ${screen}`], ['fkey[0].label', 'Missed']];
    case 'grandstream': return [...events, ['xmlApplication.serverPath', screen], ['xmlApplication.softkeyLabel', 'Missed']];
    case 'fanvil': return events;
    case 'cisco': return [['XML_Application_Service_Name', 'Missed'], ['XML_Application_Service_URL', screen]];
    case 'poly': return [
      ['apps.telNotification.URL', screen.replace('/missed?', '/event?')], ['apps.telNotification.callStateChangeEvent', '1'],
      ['apps.telNotification.lineRegistrationEvent', '1'], ['mb.main.home', screen],
    ];
    default: return [...events, ['missed-calls list', screen]];
  }
}

/**
 * What to enter into the phone: the provisioning URL (when provisioning is on) and the settings by hand.
 * @param {CreatedPhone} p @param {{ user: string | null, pending?: boolean }} provisioning
 */
export function settingsSheet(p, provisioning) {
  const base = p.urls.screen.replace(/\/phone\/.*$/, '');
  const rows = manualSettings(p);
  return h('section.card.settings-sheet', { 'aria-label': `Settings for ${p.label || p.mac}` },
    h('h2', null, `Settings for ${p.label || p.mac}`, h('span.muted', null, ` · ${vendorName(p.vendor)}`)),
    provisioning.user === null
      ? h('p.notice', null, provisioning.pending
        ? 'Provisioning credentials were saved and take effect when the server restarts; until then enter the settings below by hand.'
        : 'Provisioning is off, so enter the settings below by hand (or turn provisioning on under Settings and let the phone fetch them).')
      : h('div.provision', null,
        h('h3', null, 'Easiest: let the phone fetch its settings'),
        h('p', null, `Enter this in ${/** @type {Record<string, string>} */ (PROVISION_WHERE)[p.vendor] ?? 'the provisioning server setting'}; the phone asks for user "${provisioning.user}" and the provisioning password.`),
        settingRow('provisioning server', `${base}/provision/`)),
    h('h3', null, provisioning.user === null ? 'Settings to enter' : 'Or by hand, in the phone\'s web page'),
    rows.length === 0 ? h('p.muted', null, 'This vendor has no URLs to enter by hand: use provisioning.') : h('div.setting-rows', null, rows.map(([n, v]) => settingRow(n, v))),
    p.vendor === 'cisco' ? h('p.hint', null, 'Cisco MPP phones report calls only through provisioning (no action URLs).') : null,
    h('p.hint', null, 'These URLs carry the phone\'s token: they are shown now only. "New token" makes new ones and the old ones stop working.'));
}

/**
 * Whether provisioning is running, and its user (from the server settings). Credentials saved since
 * the start are not in force until a restart: then it says so instead of offering a URL that refuses.
 * @returns {Promise<{ user: string | null, pending?: boolean }>}
 */
export async function provisioningState() {
  try {
    const s = await api('GET', '/settings');
    const user = s.items.find((/** @type {any} */ i) => i.key === 'provisionUser');
    const pass = s.items.find((/** @type {any} */ i) => i.key === 'provisionPassword');
    if (user?.pending || pass?.pending) return { user: null, pending: true };
    return { user: user?.set && pass?.set ? user.value : null };
  } catch {
    return { user: null };
  }
}

/**
 * The "Add phone" form. @param {Ctx} ctx @param {(created: CreatedPhone) => void} onCreated @param {() => void} onCancel
 */
export function addPhoneForm(ctx, onCreated, onCancel) {
  const mac = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: '80:5e:c0:aa:bb:cc', autocomplete: 'off', spellcheck: 'false' }));
  const vendor = select({}, vendorOptions(), 'yealink');
  const model = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: 'T54W' }));
  const label = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: 'Front desk' }));
  const userName = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: 'Anna' }));
  const extension = /** @type {HTMLInputElement} */ (h('input', { type: 'text', placeholder: '11', inputmode: 'numeric' }));
  const sipPassword = /** @type {HTMLInputElement} */ (h('input', { type: 'password', autocomplete: 'new-password' }));
  const teams = teamChecks(ctx.teams, ctx.teams.length === 1 ? [ctx.teams[0]?.id ?? ''] : []);
  const error = h('p.form-error', { role: 'alert' });
  const form = h('form.card.editor', { novalidate: true },
    h('h2', null, 'Add a phone'),
    h('div.form-grid', null,
      field('mac', 'MAC address', mac, 'On the label under the phone: 12 hex digits'),
      field('vendor', 'Vendor', vendor),
      field('model', 'Model', model, 'Optional'),
      field('label', 'Label', label, 'Where it stands, e.g. Front desk'),
      field('userName', 'User', userName, 'Who sits there (optional)'),
      field('extension', 'Extension', extension, 'Its own extension, e.g. 11'),
      field('lines.0.sipPassword', 'SIP password', sipPassword, 'Optional: only written into this phone\'s provisioning files')),
    h('div', { dataset: { field: 'teamIds' } }, teams, h('span.field-error', { role: 'alert' })),
    error,
    h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Add phone'), h('button.secondary', { type: 'button', onclick: onCancel }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    error.textContent = '';
    /** @type {Record<string, unknown>} */
    const body = { mac: mac.value.trim(), vendor: vendor.value, model: model.value.trim(), label: label.value.trim(), teamIds: checkedValues(teams) };
    if (userName.value.trim() !== '') body.userName = userName.value.trim();
    if (sipPassword.value !== '') body.lines = [{ extension: extension.value.trim(), sipPassword: sipPassword.value }];
    else body.extension = extension.value.trim();
    try {
      onCreated(await api('POST', '/phones', { json: body }));
    } catch (err) {
      showErrors(form, messageOf(err).replace(/^body: an extension/, 'extension: an extension'), error);
    }
  });
  return form;
}

/** CSV import: paste or pick a file, then each row's result. @param {() => void} onDone */
export function importForm(onDone) {
  const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 6, spellcheck: 'false', placeholder: 'mac,vendor,model,label,user_name,extension,teams\n805ec0aabbcc,yealink,T54W,Front desk,Anna,11,Reception' }));
  const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', accept: '.csv,text/csv' }));
  file.addEventListener('change', async () => { text.value = (await file.files?.[0]?.text()) ?? text.value; });
  const report = h('div.import-report');
  const form = h('form.card.editor', null,
    h('h2', null, 'Import phones from CSV'),
    h('p.hint', null, 'Header row with any of mac, vendor, model, label, user_name, extension, sip_user, sip_password, sip_server, teams (team names separated by |).'),
    field('csv', 'CSV file', file), field('csvText', 'or paste it here', text),
    report,
    h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Import'), h('button.secondary', { type: 'button', onclick: onDone }, 'Close')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (text.value.trim() === '') { replace(report, h('p.form-error', null, 'Choose a CSV file or paste its rows first.')); return; }
    try {
      const r = await api('POST', '/phones/import', { text: text.value, contentType: 'text/csv' });
      replace(report,
        h('p', null, `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected.`),
        h('ul.plain', null, r.rows.filter((/** @type {any} */ row) => row.result === 'rejected').map((/** @type {any} */ row) =>
          h('li.form-error', null, `Line ${row.line}${row.mac ? ` (${row.mac})` : ''}: ${row.reason}`))));
      if (r.created + r.updated > 0) toast(`Phones imported: ${r.created} new, ${r.updated} updated`);
    } catch (err) {
      replace(report, h('p.form-error', null, messageOf(err)));
    }
  });
  return form;
}

/**
 * A phone's own panel: what it reported, a new token with its settings, deleting.
 * @param {any} phone a row of /dashboard/phones @param {(el: HTMLElement | null) => void} show @param {() => void} reload
 */
export function phonePanel(phone, show, reload) {
  const name = phone.label || phone.mac;
  const box = h('div');
  const panel = h('section.card.editor.phone-panel', { 'aria-label': name },
    h('h2', null, name, h('span.muted', null, ` · ${phone.mac}`)),
    h('div.form-buttons', null,
      h('button.secondary', { type: 'button', onclick: rotate }, 'New token and settings'),
      h('button.ghost.danger', { type: 'button', onclick: remove }, 'Delete phone'),
      h('button.secondary', { type: 'button', onclick: () => show(null) }, 'Close')),
    box);
  async function rotate() {
    if (!(await confirmAction(`Give ${name} a new token?`, 'New token', 'Its current action URLs and list key stop working until the new settings are entered (a provisioned phone picks them up at its next resync).'))) return;
    try {
      const r = await api('POST', `/phones/${encodeURIComponent(phone.mac)}/token`);
      replace(box, settingsSheet(r, await provisioningState()));
      toast(`New token for ${name}`);
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  }
  async function remove() {
    if (!(await confirmAction(`Delete the phone ${name}?`, 'Delete phone', 'Its URLs stop working at once; its calls stay in the reports.'))) return;
    try {
      await api('DELETE', `/phones/${encodeURIComponent(phone.mac)}`);
      toast(`Phone ${name} deleted`);
      show(null);
      reload();
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  }
  return panel;
}

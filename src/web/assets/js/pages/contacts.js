/**
 * @module The contact directory callers are matched against: search for everyone; adding,
 * VIP marking, deleting and CSV import for admins (the API refuses the rest anyway).
 */
import { api } from '../api.js';
import { debounce, h, replace, toast } from '../dom.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/** @typedef {{ id: string, name: string, company: string, crmId: string, vip: boolean, numbers: string[], crmUrl: string | null }} Contact */

/** @param {HTMLElement} el @param {Ctx} ctx */
export function mount(el, ctx) {
  const admin = ctx.can('edit-contacts');
  let query = { q: '', vip: '' };
  /** @type {Contact[]} */
  let items = [];
  /** @type {string | null} */
  let cursor = null;
  const list = h('ul.contacts');
  const more = h('button.secondary.more', { type: 'button', hidden: true, onclick: () => load(true) }, 'More contacts');
  const tools = h('div.admin-tools');

  replace(el,
    h('div.page-head', null, h('h1', null, 'Contacts')),
    h('div.toolbar', null,
      h('input', {
        type: 'search', placeholder: 'Name, company, CRM id or number', 'aria-label': 'Search contacts', maxlength: 100,
        oninput: debounce((/** @type {Event} */ e) => { query = { ...query, q: /** @type {HTMLInputElement} */ (e.target).value.trim() }; void load(false); }, 250),
      }),
      h('label.check', null, h('input', {
        type: 'checkbox', onchange: (/** @type {Event} */ e) => { query = { ...query, vip: /** @type {HTMLInputElement} */ (e.target).checked ? 'true' : '' }; void load(false); },
      }), 'VIP only')),
    admin ? tools : null, list, more);

  /** @param {boolean} older */
  async function load(older) {
    try {
      const r = await api('GET', '/contacts', { query: { ...query, limit: 50, cursor: older ? cursor : null } });
      items = older ? [...items, ...r.items] : r.items;
      cursor = r.nextCursor;
    } catch (err) {
      toast(`Could not load the contacts: ${/** @type {Error} */ (err).message}`, 'error');
      return;
    }
    render();
  }

  function render() {
    more.hidden = cursor === null;
    if (items.length === 0) {
      replace(list, h('li.empty', null, query.q || query.vip ? 'No contact matches.' : 'No contacts yet.'));
      return;
    }
    replace(list, items.map((c) => h('li.card.contact', { dataset: { id: c.id } },
      h('div.contact-main', null,
        h('div', null, c.vip ? h('span.badge.vip', null, 'VIP') : null, h('strong', null, c.name), c.company ? h('span.muted', null, ` · ${c.company}`) : null),
        h('div.muted', null, c.numbers.join(', '), c.crmId ? ` · CRM ${c.crmId}` : ''),
        c.crmUrl ? h('a', { href: c.crmUrl, target: '_blank', rel: 'noopener noreferrer' }, 'Open in CRM') : null),
      admin ? h('div.contact-actions', null,
        h('button.secondary', { type: 'button', onclick: () => patch(c, { vip: !c.vip }) }, c.vip ? 'Not VIP' : 'Make VIP'),
        h('button.ghost.danger', { type: 'button', onclick: () => remove(c) }, 'Delete')) : null)));
  }

  /** @param {Contact} c @param {Partial<Contact>} body */
  async function patch(c, body) {
    try {
      const updated = await api('PATCH', `/contacts/${encodeURIComponent(c.id)}`, { json: body });
      items = items.map((x) => (x.id === c.id ? updated : x));
      render();
    } catch (err) {
      toast(/** @type {Error} */ (err).message, 'error');
    }
  }

  /** @param {Contact} c */
  async function remove(c) {
    if (!window.confirm(`Delete ${c.name}? Their calls stay, shown with the name the phone gave.`)) return;
    try {
      await api('DELETE', `/contacts/${encodeURIComponent(c.id)}`);
      items = items.filter((x) => x.id !== c.id);
      render();
      toast(`${c.name} deleted.`);
    } catch (err) {
      toast(/** @type {Error} */ (err).message, 'error');
    }
  }

  if (admin) replace(tools, addForm(() => load(false)), importForm(() => load(false)));
  void load(false);
  return {};
}

// --- Internal helpers ---

/** @param {() => void} done */
function addForm(done) {
  const name = /** @type {HTMLInputElement} */ (h('input', { name: 'name', required: true, maxlength: 128 }));
  const company = /** @type {HTMLInputElement} */ (h('input', { name: 'company', maxlength: 128 }));
  const numbers = /** @type {HTMLInputElement} */ (h('input', { name: 'numbers', required: true, placeholder: '+49 30 1234567, 0171 …', inputmode: 'tel' }));
  const crmId = /** @type {HTMLInputElement} */ (h('input', { name: 'crmId', maxlength: 128 }));
  const vip = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: 'vip' }));
  const form = /** @type {HTMLFormElement} */ (h('form.inline-form', {
    onsubmit: async (/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      try {
        await api('POST', '/contacts', { json: {
          name: name.value.trim(), company: company.value.trim(), crmId: crmId.value.trim(), vip: vip.checked,
          numbers: numbers.value.split(/[,;]/).map((n) => n.trim()).filter(Boolean),
        } });
        toast(`${name.value.trim()} added.`);
        form.reset();
        done();
      } catch (err) {
        toast(/** @type {Error} */ (err).message, 'error');
      }
    },
  },
  h('label', null, 'Name', name), h('label', null, 'Company', company), h('label', null, 'Numbers', numbers),
  h('label', null, 'CRM id', crmId), h('label.check', null, vip, 'VIP'), h('button.primary', { type: 'submit' }, 'Add contact')));
  return h('details.card', null, h('summary', null, 'Add a contact'), form);
}

/** @param {() => void} done */
function importForm(done) {
  const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', accept: '.csv,text/csv', required: true }));
  const report = h('div.import-report');
  const run = async (/** @type {boolean} */ dryRun) => {
    const f = file.files?.[0];
    if (!f) return toast('Choose a CSV file first.', 'error');
    try {
      const r = await api('POST', `/contacts/import${dryRun ? '?dryRun=true' : ''}`, { text: await f.text(), contentType: 'text/csv' });
      const bad = r.rows.filter((/** @type {any} */ row) => row.status === 'invalid');
      replace(report,
        h('p', null, `${dryRun ? 'Check only: would create' : 'Created'} ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, invalid ${r.invalid}.`),
        r.ignoredColumns.length > 0 ? h('p.muted', null, `Columns not understood: ${r.ignoredColumns.join(', ')}`) : null,
        bad.length > 0 ? h('ul.plain', null, bad.slice(0, 20).map((/** @type {any} */ row) => h('li', null, `Line ${row.line}: ${row.message}`))) : null);
      if (!dryRun) done();
    } catch (err) {
      toast(/** @type {Error} */ (err).message, 'error');
    }
  };
  return h('details.card', null, h('summary', null, 'Import a CSV'),
    h('p.muted.small', null, 'Columns: name, company, number (or numbers), crm id, vip. Rows with a known number or CRM id update that contact.'),
    h('div.inline-form', null, file,
      h('button.secondary', { type: 'button', onclick: () => run(true) }, 'Check'),
      h('button.primary', { type: 'button', onclick: () => run(false) }, 'Import')),
    report);
}

/**
 * @module Pieces the admin pages share: a confirm dialog before anything destructive, labelled
 * form fields whose error names the field, copy buttons, and the API's "field: what is expected"
 * messages put next to the field they are about.
 */
import { h, toast } from './dom.js';

/**
 * Asks before a destructive action, in a modal `<dialog>` (Escape and Cancel say no).
 * @param {string} question @param {string} confirmLabel @param {string} [detail]
 * @returns {Promise<boolean>}
 */
export function confirmAction(question, confirmLabel, detail) {
  return new Promise((resolve) => {
    const dialog = /** @type {HTMLDialogElement} */ (h('dialog.confirm', { 'aria-label': question },
      h('form', { method: 'dialog' },
        h('p.confirm-question', null, question),
        detail ? h('p.muted', null, detail) : null,
        h('div.confirm-buttons', null,
          h('button.secondary', { value: 'cancel', type: 'submit' }, 'Cancel'),
          h('button.danger-button', { value: 'yes', type: 'submit' }, confirmLabel)))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/**
 * A labelled control with a hint and an error line; `name` is the field the API's messages name.
 * @param {string} name @param {string} label @param {HTMLElement} control @param {string} [hint]
 */
export function field(name, label, control, hint) {
  const id = `f-${name.replace(/[^a-z0-9]+/gi, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  control.id = id;
  const error = h('span.field-error', { role: 'alert', id: `${id}-err` });
  control.setAttribute('aria-describedby', `${id}-err`);
  return h('div.field', { dataset: { field: name } },
    h('label', { for: id }, label), control, hint ? h('span.hint', null, hint) : null, error);
}

/**
 * Shows an API error next to its fields: `"businessHours.weekly.1.0: HH:MM-HH:MM; name: …"` puts
 * each part under the field whose name starts the path; what names no field goes to `fallback`.
 * @param {HTMLElement} form @param {string} message @param {HTMLElement} fallback
 */
export function showErrors(form, message, fallback) {
  clearErrors(form);
  /** @type {string[]} */
  const rest = [];
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z0-9_.[\]]+): (.*)$/.exec(part);
    const path = m?.[1] ?? '';
    const box = [...form.querySelectorAll('[data-field]')]
      .filter((f) => path === /** @type {HTMLElement} */ (f).dataset.field || path.startsWith(`${/** @type {HTMLElement} */ (f).dataset.field}.`))
      .sort((a, b) => (/** @type {HTMLElement} */ (b).dataset.field ?? '').length - (/** @type {HTMLElement} */ (a).dataset.field ?? '').length)[0];
    const err = box?.querySelector('.field-error');
    if (box && err) {
      box.classList.add('invalid');
      // Typing a correction takes the complaint away.
      box.addEventListener('input', () => { box.classList.remove('invalid'); err.textContent = ''; }, { once: true });
      err.textContent = err.textContent ? `${err.textContent}; ${m?.[2] ?? part}` : (m?.[2] ?? part);
    } else {
      rest.push(part);
    }
  }
  fallback.textContent = rest.join('; ');
  /** @type {HTMLElement | null} */ (form.querySelector('.invalid input, .invalid select, .invalid textarea'))?.focus();
}

/** @param {HTMLElement} form */
export function clearErrors(form) {
  for (const f of form.querySelectorAll('.invalid')) f.classList.remove('invalid');
  for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
}

/**
 * A button that copies `text`. The Clipboard API needs a secure context (https or localhost); on a
 * plain-http LAN address the text is selected in a hidden field and copied the old way.
 * @param {string} text @param {string} [label]
 */
export function copyButton(text, label = 'Copy') {
  return h('button.secondary.copy', {
    type: 'button', 'aria-label': `${label}: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`,
    onclick: async (/** @type {Event} */ e) => {
      const button = /** @type {HTMLButtonElement} */ (e.currentTarget);
      let ok = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(text);
          ok = true;
        }
      } catch { /* fall back below */ }
      if (!ok) {
        const area = /** @type {HTMLTextAreaElement} */ (h('textarea.offscreen', { readonly: true }, text));
        document.body.appendChild(area);
        area.select();
        try { ok = document.execCommand('copy'); } catch { ok = false; }
        area.remove();
      }
      const name = button.getAttribute('aria-label') ?? label;
      button.textContent = ok ? 'Copied' : 'Select and copy';
      button.setAttribute('aria-label', button.textContent);
      if (!ok) toast('The browser did not allow copying: select the text and copy it.', 'error');
      setTimeout(() => { button.textContent = label; button.setAttribute('aria-label', name); }, 2000);
    },
  }, label);
}

/** One setting to type into a phone: its name, the value, a copy button. @param {string} name @param {string} value */
export function settingRow(name, value) {
  return h('div.setting-row', null,
    h('code.setting-name', null, name),
    h('code.setting-value', null, value),
    copyButton(value));
}

/** Comma- or line-separated text → trimmed, non-empty items. @param {string} text */
export function listOf(text) {
  return text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== '');
}

/** Team checkboxes. @param {{ id: string, name: string }[]} teams @param {string[]} selected @param {string} label */
export function teamChecks(teams, selected, label = 'Teams') {
  return h('fieldset.checks', null, h('legend', null, label),
    teams.length === 0 ? h('span.muted', null, 'No teams yet') : null,
    teams.map((t) => h('label.check', null, h('input', { type: 'checkbox', value: t.id, checked: selected.includes(t.id) }), t.name)));
}

/** @param {HTMLElement} fieldset */
export function checkedValues(fieldset) {
  return [...fieldset.querySelectorAll('input[type="checkbox"]:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
}

/** The message of an error thrown by `api()`. @param {unknown} err */
export function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A table cell labelled for the phone-sized layout (where each row becomes a card): its content in
 * one box, so text and notes stay together beside the label. @param {string} label @param {...unknown} content
 */
export function cell(label, ...content) {
  return h('td', { 'data-label': label }, h('div', null, content));
}

/**
 * @module Building DOM without HTML strings. Every piece of data (caller names, numbers, notes)
 * goes in as a text node, so nothing a caller or a phone sends can become markup or script.
 */

/**
 * `h('button.primary', { onclick, type: 'button' }, 'Save')`: tag with optional `.classes` and
 * `#id`; props are attributes, except `on*` (listeners), `dataset` and a few live properties;
 * children are nodes or strings (strings become text), arrays are flattened, null/false skipped.
 * @param {string} spec
 * @param {Record<string, unknown> | null} [props]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(spec, props, ...children) {
  const [head, ...classes] = spec.split('.');
  const [tag, id] = (head ?? 'div').split('#');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length > 0) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = [el.className, String(value)].filter(Boolean).join(' ');
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') /** @type {any} */ (el)[key] = value;
    else if (key === 'href') el.setAttribute('href', safeUrl(String(value)));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} parent @param {unknown[]} children */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. @param {Element} el @param {...unknown} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Links from data (CRM links, phone numbers) only as http(s), tel: or same-origin paths:
 * a `javascript:` URL in a contact's CRM field must never become a clickable script.
 * @param {string} url
 */
export function safeUrl(url) {
  const u = url.trim();
  if (u.startsWith('#') || (u.startsWith('/') && !u.startsWith('//'))) return u;
  return /^(https?:|tel:)/i.test(u) ? u : '#';
}

/** `<select>` from `[value, label]` pairs. @param {Record<string, unknown>} props @param {[string, string][]} options @param {string} selected */
export function select(props, options, selected) {
  const el = /** @type {HTMLSelectElement} */ (h('select', props, options.map(([value, label]) => h('option', { value }, label))));
  el.value = selected;
  return el;
}

/** Shows a short message at the bottom of the screen. @param {string} message @param {'info'|'error'} [kind] */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  if (box === null) return;
  const item = h(`div.toast.${kind}`, null, message);
  box.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 7000 : 3500);
}

/** Calls `fn` once `ms` after the last of a burst of calls. @template {unknown[]} A @param {(...args: A) => void} fn @param {number} ms */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return (/** @type {A} */ ...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Puts `nodes` into `parent` in order, moving only what is out of place: a row that did not change
 * keeps its DOM node, so a live update does not steal the focus or wipe a note being typed.
 * @param {Element} parent @param {Element[]} nodes
 */
export function reconcile(parent, nodes) {
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] ?? null);
  });
  while (parent.children.length > nodes.length) parent.lastElementChild?.remove();
}

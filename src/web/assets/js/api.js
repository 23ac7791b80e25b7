/**
 * @module The dashboard's only way to the server: JSON over fetch with the session cookie, and
 * the session's CSRF token on every request that changes something (the server refuses
 * cookie-authenticated POST/PATCH/DELETE without it).
 */

/** @type {string | null} */
let csrfToken = null;

/** @param {string | null} token */
export function setCsrfToken(token) {
  csrfToken = token;
}

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {string} method
 * @param {string} path under `/api`, e.g. `/missed-calls`
 * @param {{ query?: Record<string, string | number | null | undefined>, json?: unknown, text?: string, contentType?: string }} [opts]
 */
export async function api(method, path, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  /** @type {BodyInit | undefined} */
  let body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.text !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'text/plain';
    body = opts.text;
  }
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = data?.error ?? {};
    if (res.status === 401 && path !== '/session') window.dispatchEvent(new CustomEvent('ringback:signed-out'));
    throw new ApiError(res.status, err.code ?? 'http_error', err.message ?? `the server answered ${res.status}`);
  }
  return data;
}

/** @param {string} path @param {Record<string, string | number | null | undefined>} [query] */
export function apiUrl(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs === '' ? '' : `?${qs}`}`;
}

export const get = (/** @type {string} */ path, /** @type {Record<string, string | number | null | undefined>} */ query = {}) => api('GET', path, { query });
export const post = (/** @type {string} */ path, /** @type {unknown} */ json) => api('POST', path, { json });

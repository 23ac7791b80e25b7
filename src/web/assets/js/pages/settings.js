/**
 * @module Server settings (admins): email (SMTP), provisioning credentials, retention, NTP servers,
 * the PBX webhook secret. Each says where its value comes from — the environment (which wins and
 * cannot be changed here), a value saved here, or the default — and secrets are never shown.
 */
import { api } from '../api.js';
import { h, replace, toast } from '../dom.js';
import { fullTime } from '../format.js';
import { clearErrors, confirmAction, field, messageOf, showErrors } from '../ui.js';

/** @typedef {import('../main.js').Ctx} Ctx */
/** @typedef {{ key: string, env: string, label: string, secret: boolean, applies: 'live'|'restart', hint: string, source: 'env'|'saved'|'default', value: string | null, set: boolean, fallback: string, saved: { updatedAt: string, updatedBy: string } | null, pending: boolean }} Setting */

const SOURCE = { env: 'from the environment', saved: 'saved here', default: 'default' };
const GROUPS = [
  ['Email', ['smtpUrl', 'smtpFrom']],
  ['Retention', ['retentionDays']],
  ['Provisioning', ['provisionUser', 'provisionPassword']],
  ['Clock', ['ntpServers']],
  ['PBX webhook', ['webhookSecret']],
];

/** @param {HTMLElement} el @param {Ctx} _ctx */
export function mount(el, _ctx) {
  const box = h('div');
  const retention = h('div.card.retention-status');
  replace(el, h('div.page-head', null, h('h1', null, 'Settings')),
    h('p.muted', null, 'Kept in the data directory. A value set in the environment (RINGBACK_…) wins and is changed there.'),
    retention, box);

  async function load() {
    try {
      const [s, r] = await Promise.all([api('GET', '/settings'), api('GET', '/retention').catch(() => null)]);
      render(s.items, s.ignored);
      renderRetention(r);
    } catch (err) {
      toast(`Could not load the settings: ${messageOf(err)}`, 'error');
    }
  }

  /** @param {any} r */
  function renderRetention(r) {
    if (r === null) { replace(retention); return; }
    replace(retention, h('h2', null, 'Call data kept'),
      h('dl.facts', null,
        h('dt', null, 'Kept'), h('dd', { dataset: { retention: String(r.retentionDays) } }, `${r.retentionDays} days before today`),
        h('dt', null, 'Oldest day kept'), h('dd', null, r.oldestKeptDay ?? 'no call data yet'),
        h('dt', null, 'Next run deletes before'), h('dd', null, r.cutoffDay),
        h('dt', null, 'Next run'), h('dd', null, r.nextRun ? fullTime(r.nextRun) : '–'),
        h('dt', null, 'Last run'), h('dd', null, r.lastRun ? `${fullTime(r.lastRun.at)}: ${r.lastRun.days.length} days, ${r.lastRun.missed} missed calls removed` : 'none yet')));
  }

  /** @param {Setting[]} items @param {string[]} ignored */
  function render(items, ignored) {
    /** @type {Map<string, { s: Setting, input: HTMLInputElement, forget: HTMLInputElement | null }>} */
    const controls = new Map();
    const error = h('p.form-error', { role: 'alert' });
    const form = h('form.settings-form', { novalidate: true },
      ignored.length > 0 ? h('p.form-error', null, `Saved values ignored because they are not valid any more: ${ignored.join('; ')}`) : null,
      GROUPS.map(([title, keys]) => h('section.card.setting-group', null, h('h2', null, title),
        /** @type {string[]} */ (keys).map((key) => {
          const s = items.find((i) => i.key === key);
          if (!s) return null;
          const fromEnv = s.source === 'env';
          const input = /** @type {HTMLInputElement} */ (h('input', {
            type: s.secret ? 'password' : key === 'retentionDays' ? 'number' : 'text',
            value: s.secret ? '' : s.value ?? '', disabled: fromEnv, autocomplete: s.secret ? 'new-password' : 'off',
            placeholder: s.secret ? (s.set ? '•••••••• (set; type to replace)' : 'not set') : fromEnv ? '(empty)' : s.fallback, spellcheck: 'false',
            ...(key === 'retentionDays' ? { min: 1, max: 36500 } : {}),
          }));
          const forget = s.source === 'saved' ? /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox' })) : null;
          controls.set(key, { s, input, forget });
          return h('div.setting', { dataset: { key } },
            field(key, s.label, input, s.hint),
            h('div.setting-meta', null,
              h(`span.badge.src-${s.source}`, null, SOURCE[s.source]),
              fromEnv ? h('span.mono.small', null, ` ${s.env}`) : null,
              s.saved && !fromEnv ? h('span.muted.small', null, ` by ${s.saved.updatedBy}, ${fullTime(s.saved.updatedAt)}`) : null,
              s.source === 'default' ? h('span.muted.small', null, ` ${s.fallback}`) : null,
              h('span.muted.small', null, s.applies === 'live' ? ' · takes effect at once' : ' · takes effect after a restart'),
              s.pending ? h('span.badge.warn', null, 'restart needed') : null,
              forget ? h('label.check.small', null, forget, 'Forget the saved value') : null));
        }))),
      error,
      h('div.form-buttons', null, h('button.primary', { type: 'submit' }, 'Save settings')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      error.textContent = '';
      /** @type {Record<string, string | null>} */
      const values = {};
      for (const [key, c] of controls) {
        if (c.s.source === 'env') continue;
        if (c.forget?.checked) { values[key] = null; continue; }
        const v = c.input.value.trim();
        if (c.s.secret) { if (v !== '') values[key] = v; continue; }
        if (v !== (c.s.value ?? '')) values[key] = v === '' && key !== 'ntpServers' ? null : v;
      }
      if (Object.keys(values).length === 0) { toast('Nothing changed'); return; }
      const forgetting = Object.entries(values).filter(([, v]) => v === null).map(([k]) => controls.get(k)?.s.label ?? k);
      if (forgetting.length > 0 && !(await confirmAction(`Forget ${forgetting.join(', ')}?`, 'Forget', 'The default applies again.'))) return;
      try {
        const r = await api('PUT', '/settings', { json: { values } });
        render(r.items, r.ignored);
        void api('GET', '/retention').then(renderRetention, () => undefined);
        toast(r.restartNeeded.length > 0 ? 'Saved. Provisioning changes take effect when the server restarts.' : 'Settings saved and in effect');
      } catch (err) {
        showErrors(form, messageOf(err), error);
      }
    });
    replace(box, form);
  }

  void load();
}

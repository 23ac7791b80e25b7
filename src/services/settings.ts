/**
 * @module Server settings kept in the store (the `settings` collection, so any storage engine holds
 * them) beside the environment. Precedence: the environment, then the saved value, then the default.
 * The effective configuration is `loadConfig` over the environment with the saved values filled in
 * where it sets nothing: one parser for both, so a saved value can never mean something else than
 * the same text in a variable. Secrets are write-only: the view says whether one is set, never what.
 */
import { loadConfig, type Config } from '../config.ts';
import type { Store } from '../store/types.ts';
import { envSets, SETTINGS, settingDef, type SettingDef, type SettingKey } from './settings-catalog.ts';
import { failure, invalid, ok, type Result } from '../domain/result.ts';

declare module '../store/types.ts' {
  interface Collections {
    /** Per setting key: server settings saved from the dashboard (the environment still wins; issue 15). */
    settings: SavedSetting;
  }
}

/** One saved setting: the text it would have as its environment variable. */
export interface SavedSetting {
  id: SettingKey;
  value: string;
  updatedAt: string;
  updatedBy: string;
}

export type SettingSource = 'env' | 'saved' | 'default';

export interface SettingView {
  key: SettingKey;
  env: string;
  label: string;
  secret: boolean;
  applies: 'live' | 'restart';
  hint: string;
  source: SettingSource;
  /** The value in force; always null for a secret. */
  value: string | null;
  /** Whether a value is in force (env or saved); for secrets the only thing shown. */
  set: boolean;
  /** The default, in words. */
  fallback: string;
  /** Of the saved value, even when the environment overrides it. */
  saved: { updatedAt: string; updatedBy: string } | null;
  /** A change that takes effect at the next start has been saved since this start. */
  pending: boolean;
}

/** `key → text` sets a value, `key → null` forgets the saved one (back to the default). */
export type SettingsChange = Partial<Record<SettingKey, string | null>>;

/** The keys that changed, and those of them that take effect only after a restart. */
export type UpdateResult = Result<{ changed: SettingKey[]; restart: SettingKey[] }>;

type Env = Readonly<Record<string, string | undefined>>;

const MAX_VALUE = 2000;

export interface Settings {
  /** The configuration in force: the environment, with saved values where it sets nothing. */
  config(): Config;
  /** Saved values that no longer pass the checks (left out of `config()`), with the reason. */
  ignored(): string[];
  view(): SettingView[];
  update(change: SettingsChange, by: string, at: string): Promise<UpdateResult>;
  /** Called after each update that changed something, with the new configuration. */
  onChange(listener: (config: Config, changed: SettingKey[]) => void): void;
  /** Another instance on the database saved these settings (already in the store): apply them here too. */
  savedElsewhere(keys: readonly string[]): void;
}

export function createSettings(opts: { store: Store; env: Env }): Settings {
  const { store, env } = opts;
  const listeners: ((config: Config, changed: SettingKey[]) => void)[] = [];
  let ignored: string[] = [];
  let current = compute();
  const atStart = new Map(SETTINGS.map((d) => [d.key, effectiveText(d)]));

  /** The text in force for a setting (env, else saved), for telling what changed since the start. */
  function effectiveText(def: SettingDef): string | null {
    if (envSets(def, env)) return env[def.env] ?? null;
    return store.get('settings', def.key)?.value ?? null;
  }

  function saved(): Map<SettingKey, SavedSetting> {
    return new Map(store.list('settings').filter((s) => settingDef(s.id) !== undefined).map((s) => [s.id, s]));
  }

  /** The environment with saved values where it sets nothing; `skip` leaves saved keys out. */
  function merged(values: Map<SettingKey, string>, skip: ReadonlySet<string> = new Set()): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = { ...env };
    for (const def of SETTINGS) {
      const v = values.get(def.key);
      if (v !== undefined && !envSets(def, env) && !skip.has(def.env)) out[def.env] = v;
    }
    return out;
  }

  function compute(): Config {
    const values = new Map([...saved()].map(([k, s]) => [k, s.value]));
    const first = loadConfig(merged(values));
    if (first.ok) {
      ignored = [];
      return first.config;
    }
    // A saved value that the checks now refuse (the environment changed around it) is left out, not fatal.
    const bad = new Set(first.errors.map((e) => e.split(':')[0] ?? ''));
    ignored = first.errors.filter((e) => SETTINGS.some((d) => e.startsWith(`${d.env}:`)));
    const second = loadConfig(merged(values, bad));
    if (!second.ok) throw new Error(`invalid configuration: ${second.errors.join('; ')}`);
    return second.config;
  }

  return {
    config: () => current,
    ignored: () => ignored,

    view() {
      const s = saved();
      return SETTINGS.map((def) => ({
        ...viewOf(def, env, s.get(def.key)),
        pending: def.applies === 'restart' && atStart.get(def.key) !== effectiveText(def),
      }));
    },

    async update(change, by, at) {
      const s = saved();
      const values = new Map([...s].map(([k, v]) => [k, v.value]));
      const keys: SettingKey[] = [];
      for (const [key, raw] of Object.entries(change)) {
        const def = settingDef(key);
        if (def === undefined) return invalid(`${key.slice(0, 40)}: not a setting (known: ${SETTINGS.map((d) => d.key).join(', ')})`);
        if (raw !== null && typeof raw !== 'string') return invalid(`${key}: expected text or null`);
        // A value could end up in a header (the email sender) or a phone's config file: one plain line.
        if (raw !== null && (raw.length > MAX_VALUE || /[\u0000-\u001f\u007f\u2028\u2029]/.test(raw))) {
          return invalid(`${key}: expected one line of at most ${MAX_VALUE} characters, without control characters`);
        }
        if (envSets(def, env)) {
          return failure('set_by_environment', `${key}: set by ${def.env} in the environment, which wins; change or remove it there`);
        }
        const value = raw === null ? null : raw.trim();
        if (value === null || (value === '' && def.emptyIsValue !== true)) values.delete(def.key);
        else values.set(def.key, value);
        if ((s.get(def.key)?.value ?? null) !== (values.get(def.key) ?? null)) keys.push(def.key);
      }
      if (keys.length === 0) return ok({ changed: [], restart: [] });
      const check = loadConfig(merged(values));
      if (!check.ok) {
        // Each message names the variable; the dashboard's form names the field.
        const message = check.errors.map((e) => {
          const def = SETTINGS.find((d) => e.startsWith(`${d.env}:`));
          return def === undefined ? e : `${def.key}${e.slice(def.env.length)}`;
        }).join('; ');
        return invalid(message);
      }
      await store.commit(keys.map((key) => {
        const value = values.get(key);
        return value === undefined
          ? { t: 'del' as const, c: 'settings' as const, id: key }
          : { t: 'put' as const, c: 'settings' as const, id: key, v: { id: key, value, updatedAt: at, updatedBy: by } };
      }));
      current = compute();
      for (const listener of listeners) listener(current, keys);
      return ok({ changed: keys, restart: keys.filter((k) => settingDef(k)?.applies === 'restart') });
    },

    onChange(listener) {
      listeners.push(listener);
    },

    savedElsewhere(ids) {
      const keys = ids.flatMap((id) => settingDef(id)?.key ?? []);
      if (keys.length === 0) return;
      current = compute();
      for (const listener of listeners) listener(current, keys);
    },
  };
}

// --- Internal helpers ---

function viewOf(def: SettingDef, env: Env, saved: SavedSetting | undefined): Omit<SettingView, 'pending'> {
  const fromEnv = envSets(def, env);
  const source: SettingSource = fromEnv ? 'env' : saved !== undefined ? 'saved' : 'default';
  const value = fromEnv ? (env[def.env] ?? '').trim() : saved?.value ?? null;
  return {
    key: def.key, env: def.env, label: def.label, secret: def.secret, applies: def.applies, hint: def.hint, source,
    value: def.secret ? null : value,
    set: source !== 'default',
    fallback: def.fallback,
    saved: saved === undefined ? null : { updatedAt: saved.updatedAt, updatedBy: saved.updatedBy },
  };
}

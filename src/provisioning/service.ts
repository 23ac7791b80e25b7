/**
 * @module The provisioning service: which file a request names and whose it is, rendering with
 * the vendor's module and the templates, the record of what each phone fetched (for the drift
 * view), Poly's uploads, and the masked preview admins see. HTTP and the CLI sit on top.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { failure, ok, type Result } from '../domain/result.ts';
import type { Phone } from '../domain/types.ts';
import type { CallLog } from '../services/call-log.ts';
import { phoneEndpoints } from '../screens/phone-urls.ts';
import { phoneUrls } from '../services/inventory.ts';
import type { Change, Store } from '../store/types.ts';
import { vendors } from '../vendors/index.ts';
import type { ProvisionFileRef, ProvisionInput, Rendered, VendorAdapter, VendorProvisioning } from '../vendors/types.ts';
import type { Credentials } from './http-auth.ts';
import { isProvisionError } from '../vendors/shared/provision-error.ts';
import { maskPasswords, overriddenKeys } from './overrides.ts';
import { fillPlaceholders, loadTemplates, type Placeholder, type TemplateSet } from './templates.ts';
import { zoneInfo } from '../vendors/shared/time-zone.ts';
import type { ProvisioningUpload } from './types.ts';
import { macInUserAgent } from '../vendors/shared/user-agent.ts';

/** What secrets look like in previews: URL-safe, so masked URLs stay readable. */
export const MASK = '********';

/** File names we answer at all: a vendor's own names, nothing with a path, no dot files. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(?:\.[A-Za-z0-9]{1,8})?$/;

/** Per kind of upload: most bytes accepted, and how much is kept (logs keep their end). */
export const UPLOAD_LIMITS: Readonly<Record<string, { accept: number; keep: number }>> = {
  overrides: { accept: 64 * 1024, keep: 64 * 1024 },
  directory: { accept: 256 * 1024, keep: 256 * 1024 },
  log: { accept: 1024 * 1024, keep: 16 * 1024 },
};
export const UPLOAD_MAX_BYTES = 1024 * 1024;

/** A fetch record's time is refreshed at most this often when the content did not change. */
const FETCH_RESOLUTION_MS = 3_600_000;
const CACHE_MAX = 5_000;

export interface ProvisioningConfig {
  /** Written back into phones (Yealink/Cisco/Grandstream/Fanvil keep fetching with them); null = none. */
  credentials: Credentials | null;
  publicUrl: string | null;
  ntpServers: string[];
  defaultTimeZone: string;
  /** SIP server for lines that name none. */
  sipServer: string | null;
  /** Template roots, lowest layer first: the shipped `templates/`, then the site's. */
  templateDirs: string[];
}

export interface ProvisioningDeps {
  store: Store;
  callLog: CallLog;
  log: Logger;
  now: () => Date;
  config: ProvisioningConfig;
}

/** A provisioning file a request named: whose vendor, which file, for which phone (null: a shared file). */
export interface Located { vendor: VendorAdapter; prov: VendorProvisioning; ref: ProvisionFileRef; owner: Phone | null }

export interface PreviewFile {
  name: string;
  role: string;
  contentType: string | null;
  /** SHA-256 of the real content (what the phone gets), or null when it cannot be rendered. */
  sha256: string | null;
  /** The content with secrets (SIP passwords, token, provisioning password) replaced by `********`. */
  body: string | null;
  error: string | null;
}

export interface DriftFile {
  name: string;
  state: 'current' | 'outdated' | 'never-fetched' | 'error';
  currentSha256: string | null;
  fetchedSha256: string | null;
  fetchedAt: string | null;
}

export interface DriftItem {
  mac: string;
  vendor: string;
  label: string;
  status: 'current' | 'outdated' | 'never-fetched' | 'error';
  files: DriftFile[];
  /** Poly: keys the phone's own uploaded settings set over ours (names only). */
  overrides: { file: string; keys: string[] | null }[];
}

export function createProvisioning(deps: ProvisioningDeps) {
  const { store, config, log } = deps;
  const provisioned = Object.values(vendors).filter((v): v is VendorAdapter & { provisioning: VendorProvisioning } => v.provisioning !== undefined);
  const byVendor = Object.fromEntries(provisioned.map((v) => [v.name, v.provisioning]));
  let templates: TemplateSet = loadTemplates(config.templateDirs, byVendor);
  let templateVersion = 0;
  const cache = new Map<string, Rendered>();

  function locate(requested: string, userAgent: string): Result<Located> {
    if (!SAFE_NAME.test(requested)) return failure('not_found', 'not a file name we answer');
    const candidates = provisioned.flatMap((vendor) => {
      const ref = vendor.provisioning.match(requested);
      return ref === undefined ? [] : [{ vendor, prov: vendor.provisioning, ref }];
    });
    if (candidates.length === 0) return failure('not_found', 'no such file');
    const uaMac = macInUserAgent(userAgent);
    const named = candidates.find((c) => c.ref.mac !== null)?.ref.mac ?? null;
    if (named !== null && uaMac !== undefined && uaMac !== named) {
      return failure('forbidden', `the User-Agent names ${uaMac}, the file is ${named}'s`);
    }
    const requester = uaMac === undefined ? undefined : store.phone(uaMac);
    for (const c of candidates) {
      if (c.ref.mac !== null) {
        const owner = store.phone(c.ref.mac);
        if (owner !== undefined && owner.vendor === c.vendor.name) return ok({ ...c, owner });
        continue;
      }
      if (uaMac !== undefined && requester === undefined) continue;
      if (requester !== undefined && requester.vendor !== c.vendor.name) continue;
      if (c.ref.needsRequester === true && requester === undefined) continue;
      return ok({ ...c, owner: c.ref.needsRequester === true ? requester ?? null : null });
    }
    return failure('not_found', 'unknown phone');
  }

  function zoneOf(phone: Phone | null): string {
    for (const id of phone?.teamIds ?? []) {
      const team = store.team(id);
      if (team !== undefined) return team.timeZone;
    }
    return config.defaultTimeZone;
  }

  function inputFor(vendor: VendorAdapter & { provisioning: VendorProvisioning }, ref: ProvisionFileRef, owner: Phone | null, base: string, masked: boolean): ProvisionInput {
    const phone = owner === null || !masked ? owner : maskPhone(owner);
    const urls = phone === null ? { events: {}, event: '', screen: '' }
      : { ...phoneUrls(base, phone), event: phoneEndpoints(base, phone.vendor, phone.token).event };
    const provisionUrl = `${base}/provision`;
    const zone = zoneInfo(zoneOf(phone));
    const resolved = templates.resolve(vendor.name, vendor.provisioning.modelKey(ref.model ?? phone?.model ?? ''));
    const [ntp1 = '', ntp2 = ''] = config.ntpServers;
    const values: Record<Placeholder, string> = {
      provisionUrl, ntpServer: ntp1, ntpServer2: ntp2, timeZone: zone.name, sipServer: config.sipServer ?? '',
      mac: phone?.mac ?? '', label: phone?.label ?? '', extension: phone?.extension ?? '', userName: phone?.userName ?? '',
      model: phone?.model ?? ref.model ?? '', screenUrl: urls.screen,
    };
    const credentials = config.credentials === null ? null : { user: config.credentials.user, password: masked ? MASK : config.credentials.password };
    const push = phone === null || vendor.push === undefined || phone.push?.enabled === false ? null
      : { user: vendor.push.user, password: phone.push?.password ?? '', base, server: hostOf(base) };
    return {
      phone, urls, provisionUrl, credentials, sipServer: config.sipServer, ntpServers: config.ntpServers, zone, push,
      template: { settings: resolved.settings.map(([k, v]) => [k, fillPlaceholders(v, values)] as const), vars: resolved.vars },
    };
  }

  /** Render a located file for a phone that reached us at `base` (cached on everything it depends on). */
  function render(located: Located, base: string, masked = false): Rendered {
    const { vendor, ref, owner } = located;
    const who = owner === null ? null : [owner.mac, owner.vendor, owner.model, owner.label, owner.userName, owner.extension, owner.lines, owner.token, zoneOf(owner), owner.push ?? null];
    const key = JSON.stringify([vendor.name, ref.name, ref.model ?? '', base, masked, templateVersion, who]);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const out = located.prov.render(ref, inputFor({ ...vendor, provisioning: located.prov }, ref, owner, base, masked));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, out);
    return out;
  }

  /** Locate one of `phone`'s own files by name (preview, drift): never through the User-Agent checks. */
  function own(phone: Phone, name: string): Located | undefined {
    const vendor = provisioned.find((v) => v.name === phone.vendor);
    const ref = vendor?.provisioning.match(name);
    if (vendor === undefined || ref === undefined) return undefined;
    return { vendor, prov: vendor.provisioning, ref, owner: ref.mac === null && ref.needsRequester !== true ? null : phone };
  }

  function baseFor(phone: Phone, fallback: string): string {
    return config.publicUrl ?? store.get('provisioningFetches', phone.mac)?.base ?? fallback;
  }

  return {
    locate,
    render,

    /**
     * Note what a phone fetched (hash per file, the base it used) and refresh its lastSeen with
     * the firmware and model its User-Agent names. Reads the store's latest state: a phone fetches
     * its files back to back, and each record must build on the one before it still being written.
     */
    async recordFetch(located: Located, body: string, base: string, ip: string, userAgent: string): Promise<void> {
      const mac = located.ref.mac ?? located.owner?.mac ?? macInUserAgent(userAgent);
      const latest = store.latest();
      const phone = mac === undefined ? undefined : latest.phone(mac);
      if (phone === undefined) return;
      const at = deps.now().toISOString();
      const sha256 = hash(body);
      const prev = latest.get('provisioningFetches', phone.mac);
      const was = prev?.files[located.ref.name];
      const changes: Change[] = [];
      if (prev?.base !== base || was?.sha256 !== sha256 || Date.parse(at) - Date.parse(was.at) >= FETCH_RESOLUTION_MS) {
        changes.push({ t: 'put', c: 'provisioningFetches', id: phone.mac, v: { id: phone.mac, base, files: { ...prev?.files, [located.ref.name]: { sha256, at } } } });
      }
      const pending = changes.length > 0 ? store.commit(changes) : Promise.resolve();
      const reported = located.prov.identify(userAgent);
      await Promise.all([pending, deps.callLog.touch(store.latest().phone(phone.mac) ?? phone, ip, 'provisioning', at, reported)]);
    },

    /** Keep a file a phone PUT; logs keep their last part. Returns null when the kind is not accepted. */
    async storeUpload(phone: Phone, ref: ProvisionFileRef, bytes: Buffer): Promise<{ upload: ProvisioningUpload; created: boolean } | { tooLarge: true } | null> {
      const limit = UPLOAD_LIMITS[ref.kind];
      if (limit === undefined) return null;
      if (bytes.length > limit.accept) return { tooLarge: true };
      const kept = bytes.length > limit.keep ? bytes.subarray(bytes.length - limit.keep) : bytes;
      const id = `${phone.mac}/${ref.name}`;
      const upload: ProvisioningUpload = {
        id, mac: phone.mac, name: ref.name, kind: ref.kind, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
        body: kept.toString('utf8'), truncated: kept.length < bytes.length, at: deps.now().toISOString(),
      };
      const created = store.get('provisioningUploads', id) === undefined;
      await store.commit([{ t: 'put', c: 'provisioningUploads', id, v: upload }]);
      return { upload, created };
    },

    upload(mac: string, name: string): ProvisioningUpload | undefined {
      return store.get('provisioningUploads', `${mac}/${name.toLowerCase()}`);
    },

    uploads(mac: string): ProvisioningUpload[] {
      return store.list('provisioningUploads').filter((u) => u.mac === mac);
    },

    async deleteUpload(mac: string, name: string): Promise<boolean> {
      const id = `${mac}/${name.toLowerCase()}`;
      if (store.get('provisioningUploads', id) === undefined) return false;
      await store.commit([{ t: 'del', c: 'provisioningUploads', id }]);
      return true;
    },

    /** An upload as admins see it: password-like values masked in settings files. */
    viewUpload(u: ProvisioningUpload): string {
      return u.kind === 'overrides' ? maskPasswords(u.body) : u.body;
    },

    /** What `phone` will receive, file by file in fetch order, secrets masked. */
    preview(phone: Phone, fallbackBase: string): { base: string; templates: string[]; files: PreviewFile[] } {
      const base = baseFor(phone, fallbackBase);
      const vendor = provisioned.find((v) => v.name === phone.vendor);
      if (vendor === undefined) return { base, templates: [], files: [] };
      const files = vendor.provisioning.files(phone).map((f): PreviewFile => {
        const located = own(phone, f.name);
        if (located === undefined) return { name: f.name, role: f.role, contentType: null, sha256: null, body: null, error: 'not a file of this vendor' };
        try {
          const real = render(located, base);
          const masked = render(located, base, true);
          return { name: f.name, role: f.role, contentType: masked.contentType, sha256: hash(real.body), body: masked.body, error: null };
        } catch (e) {
          if (!isProvisionError(e)) throw e;
          return { name: f.name, role: f.role, contentType: null, sha256: null, body: null, error: e.message };
        }
      });
      return { base, templates: templates.resolve(vendor.name, vendor.provisioning.modelKey(phone.model)).files, files };
    },

    /**
     * Phones whose settings files changed since they last fetched them (inventory or templates
     * changed), phones that never fetched them, and Poly phones whose own uploaded settings
     * override keys we serve. `fallbackBase` renders phones that never fetched anything.
     */
    drift(fallbackBase: string): { items: DriftItem[]; total: number; current: number } {
      const items: DriftItem[] = [];
      let current = 0;
      const phones = store.phones();
      for (const phone of phones) {
        const vendor = provisioned.find((v) => v.name === phone.vendor);
        if (vendor === undefined) continue;
        const base = baseFor(phone, fallbackBase);
        const record = store.get('provisioningFetches', phone.mac);
        const files: DriftFile[] = [];
        const served = new Map<string, string>();
        for (const f of vendor.provisioning.files(phone).filter((x) => x.role === 'settings')) {
          const fetched = record?.files[f.name];
          const located = own(phone, f.name);
          let sha: string | null = null;
          try {
            if (located !== undefined) {
              const body = render(located, base).body;
              sha = hash(body);
              served.set(f.name, body);
            }
          } catch (e) {
            if (!isProvisionError(e)) throw e;
          }
          const state = sha === null ? 'error' : fetched === undefined ? 'never-fetched' : fetched.sha256 === sha ? 'current' : 'outdated';
          files.push({ name: f.name, state, currentSha256: sha, fetchedSha256: fetched?.sha256 ?? null, fetchedAt: fetched?.at ?? null });
        }
        const overrides = store.list('provisioningUploads').filter((u) => u.mac === phone.mac && u.kind === 'overrides')
          .map((u) => ({ file: u.name, keys: overriddenKeys(u.body, [...served.values()].join('\n')) }))
          .filter((o) => o.keys === null || o.keys.length > 0);
        const status = files.some((f) => f.state === 'error') ? 'error' : files.every((f) => f.state === 'current') ? 'current'
          : files.every((f) => f.state === 'never-fetched') ? 'never-fetched' : 'outdated';
        if (status === 'current' && overrides.length === 0) {
          current += 1;
          continue;
        }
        items.push({ mac: phone.mac, vendor: phone.vendor, label: phone.label, status, files, overrides });
      }
      return { items, total: phones.length, current };
    },

    /** The line key `phone`'s files put the missed list on (pushes light its LED), or null. */
    missedKey(phone: Phone): number | null {
      const vendor = provisioned.find((v) => v.name === phone.vendor);
      const file = vendor?.provisioning.files(phone).find((f) => f.role === 'settings' && own(phone, f.name)?.ref.mac === phone.mac);
      const located = file === undefined ? undefined : own(phone, file.name);
      if (vendor?.provisioning.missedKey === undefined || located === undefined) return null;
      try {
        return vendor.provisioning.missedKey(inputFor(vendor, located.ref, phone, baseFor(phone, 'http://localhost'), true));
      } catch (e) {
        if (isProvisionError(e)) return null;
        throw e;
      }
    },

    templateFiles: () => templates.files(),

    /** Read the templates again (after an admin edited them); on a mistake the old set stays. */
    reloadTemplates(): string[] {
      templates = loadTemplates(config.templateDirs, byVendor);
      templateVersion += 1;
      cache.clear();
      log.info({ files: templates.files().length }, 'provisioning templates reloaded');
      return templates.files();
    },
  };
}

export type Provisioning = ReturnType<typeof createProvisioning>;

// --- Internal helpers ---

function hash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The phone as the preview shows it: token and SIP passwords replaced by the mask. */
function maskPhone(phone: Phone): Phone {
  return {
    ...phone, token: MASK, lines: phone.lines.map((l) => (l.sipPassword === undefined ? l : { ...l, sipPassword: MASK })),
    ...(phone.push?.password === undefined ? {} : { push: { ...phone.push, password: MASK } }),
  };
}

/** The host part of a base URL (`http://10.0.0.5:8080` → `10.0.0.5`): where our pushes come from. */
function hostOf(base: string): string {
  try {
    return new URL(base).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

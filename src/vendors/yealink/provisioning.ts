/**
 * @module Yealink provisioning [Y-BOOT-T2], [Y-BOOT-ORDER]: `<mac>.boot` (else
 * `y000000000000.boot`) lists `include:config` files read top to bottom, later wins: the model's
 * common `y0000000000XX.cfg`, then `<mac>.cfg`. Every file starts with `#!version:1.0.0.1`.
 */
import type { Phone } from '../../domain/types.ts';
import type { ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf, checkUrlLength, labelVar, missedKeyVar } from '../shared/accounts.ts';
import { KEY, TEXT_CONTENT_TYPE, keyValueFile } from '../shared/formats/key-value.ts';
import { mergeSettings } from '../shared/settings.ts';
import { hoursOffset } from '../shared/time-zone.ts';
import { modelAndFirmware, plainModelKey } from '../shared/user-agent.ts';

/** The exact first line of every `.boot`/`.cfg` file [Y-BOOT-CP]. */
const HEADER = '#!version:1.0.0.1';

/** Model → number of its common file `y000000000<NNN>.cfg` (FusionPBX template directories [FPBX-YL-TREE]). */
const FAMILY: Readonly<Record<string, string>> = {
  T19PE2: '053', T20P: '007', T21PE2: '052', T22P: '005', T23G: '044', T26P: '004', T27P: '045', T27G: '069',
  T29G: '046', T31G: '123', T33G: '124', T40P: '054', T41P: '036', T41S: '068', T42G: '029', T42S: '067',
  T42U: '116', T43U: '107', T46G: '028', T46S: '066', T46U: '108', T48G: '035', T48S: '065', T48U: '109',
  T52S: '074', T53W: '095', T54S: '070', T54W: '096', T57W: '097', T58V: '058', CP920: '078', CP960: '073',
  T31W: '172', T34W: '171', T44W: '174',
};
const MODEL_OF = new Map(Object.entries(FAMILY).map(([model, n]) => [n, model]));

/** `action_url.*` takes up to 511 characters [Y-AG-450]. */
const ACTION_URL_MAX = 511;

/** `SIP-T46U` → `T46U`; `T19P E2` → `T19PE2`. */
export function modelKey(model: string): string {
  return plainModelKey(model).replace(/^SIP(?=[A-Z]+\d)/, '');
}

function commonFile(model: string): string | undefined {
  const n = FAMILY[modelKey(model)];
  return n === undefined ? undefined : `y000000000${n}.cfg`;
}

export const provisioning: VendorProvisioning = {
  match(name) {
    const lower = name.toLowerCase();
    if (lower === 'y000000000000.boot') return { name: lower, role: 'index', kind: 'boot', mac: null, needsRequester: true };
    let m = /^([0-9a-f]{12})\.boot$/.exec(lower);
    if (m?.[1] !== undefined) return { name: lower, role: 'index', kind: 'boot', mac: m[1] };
    m = /^y000000000(\d{3})\.cfg$/.exec(lower);
    const model = m?.[1] === undefined ? undefined : MODEL_OF.get(m[1]);
    if (model !== undefined) return { name: lower, role: 'settings', kind: 'common', mac: null, model };
    m = /^([0-9a-f]{12})\.cfg$/.exec(lower);
    if (m?.[1] !== undefined && m[1] !== '000000000000') return { name: lower, role: 'settings', kind: 'phone', mac: m[1] };
    return undefined;
  },

  files(phone: Phone): ProvisionFile[] {
    const common = commonFile(phone.model);
    return [
      { name: `${phone.mac}.boot`, role: 'index' },
      ...(common === undefined ? [] : [{ name: common, role: 'settings' as const }]),
      { name: `${phone.mac}.cfg`, role: 'settings' },
    ];
  },

  render(ref: ProvisionFileRef, input: ProvisionInput) {
    const phone = input.phone;
    if (ref.kind === 'common') return { contentType: TEXT_CONTENT_TYPE, body: keyValueFile(HEADER, input.template.settings) };
    if (phone === null) throw new Error('[ringback] [yealink] a per-phone file needs its phone');
    if (ref.kind === 'boot') {
      // Relative names: the phone resolves them against the boot file's own URL [Y-BOOT-T2].
      const includes = [commonFile(phone.model), `${phone.mac}.cfg`].filter((f) => f !== undefined).map((f) => `include:config "${f}"`);
      // overwrite_mode 1: a setting we stop sending goes back to its factory default [Y-BOOT-T2].
      return { contentType: TEXT_CONTENT_TYPE, body: keyValueFile(HEADER, [['overwrite_mode', '1']], includes) };
    }
    // `<mac>.cfg` is complete on its own (a phone on old firmware may read it without the boot file).
    return { contentType: TEXT_CONTENT_TYPE, body: keyValueFile(HEADER, mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input))) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bYealink\s+(?:SIP[- ]?)?([A-Za-z0-9-]+)\s+([\d.]+)/i),
  modelKey,
  isKey: (key) => KEY.test(key),
  missedKey,
};

/** The missed list's line key: the template's `missedKey`, else the first key after the accounts. */
function missedKey(input: ProvisionInput): number | null {
  return missedKeyVar(input, accountsOf(input).length + 1, 1, 29);
}

// --- Internal helpers ---

/** Account keys as in [FPBX-YL-MAC]; action URLs [FPBX-YL-108]; line key type 27 = XML Browser [FPBX-DEV-CFG]. */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  const accounts = accountsOf(input);
  for (const a of accounts) {
    const p = `account.${a.index}`;
    out.push([`${p}.enable`, a.enabled ? '1' : '0'], [`${p}.label`, a.label], [`${p}.display_name`, a.displayName],
      [`${p}.auth_name`, a.user], [`${p}.user_name`, a.user]);
    if (a.password !== '') out.push([`${p}.password`, a.password]);
    if (a.host !== '') out.push([`${p}.sip_server.1.address`, a.host]);
    if (a.port !== '') out.push([`${p}.sip_server.1.port`, a.port]);
  }
  for (const [setting, url] of Object.entries(input.urls.events)) out.push([setting, checkUrlLength(setting, url, ACTION_URL_MAX)]);
  const key = missedKey(input);
  if (key !== null) {
    out.push([`linekey.${key}.type`, '27'], [`linekey.${key}.value`, checkUrlLength('linekey value', input.urls.screen, ACTION_URL_MAX)],
      [`linekey.${key}.label`, labelVar(input, 'missedLabel', 'Missed')], [`linekey.${key}.line`, '1']);
  }
  if (input.push !== null) {
    // The phone takes pushes only from this address, with these credentials when set [FPBX-YL-108], phones.md §1.4.
    out.push(['push_xml.server', input.push.server], ['push_xml.block_in_calling', '1']);
    if (input.push.password !== '') out.push(['push_xml.username', input.push.user], ['push_xml.password', input.push.password]);
  }
  out.push(['static.auto_provision.server.url', `${input.provisionUrl}/`]);
  if (input.credentials !== null) {
    out.push(['static.auto_provision.server.username', input.credentials.user], ['static.auto_provision.server.password', input.credentials.password]);
  }
  return out;
}

/**
 * NTP and zone [FPBX-YL-108]: `time_zone` as `+1`/`-5`/`+5:30`; DST by week (`dst_time_type = 1`)
 * as `Month/Week of Month/Day of Week/Hour`, week 5 = last, Monday = 1 … Sunday = 7, offset in
 * minutes (Yealink admin guide's AutoDST table [Y-AUTODST]). Templates may replace any of these.
 */
function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  const [first, second] = input.ntpServers;
  if (first !== undefined) out.push(['local_time.ntp_server1', first]);
  if (second !== undefined) out.push(['local_time.ntp_server2', second]);
  const zone = input.zone;
  out.push(['local_time.time_zone', hoursOffset(zone.standardOffsetMinutes)]);
  if (zone.dst === null) {
    out.push(['local_time.summer_time', '0']);
    return out;
  }
  const rule = (r: { month: number; week: number; weekday: number; hour: number }) => `${r.month}/${r.week}/${r.weekday === 0 ? 7 : r.weekday}/${r.hour}`;
  out.push(['local_time.summer_time', '1'], ['local_time.dst_time_type', '1'], ['local_time.start_time', rule(zone.dst.start)],
    ['local_time.end_time', rule(zone.dst.end)], ['local_time.offset_time', String(zone.dst.offsetMinutes - zone.standardOffsetMinutes)]);
  return out;
}

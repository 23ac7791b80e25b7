/**
 * @module Snom provisioning: one XML file per phone, `<settings><phone-settings>…` with indexed
 * account settings and `<functionKeys>` [FPBX-SNOM-D785]. The phone is pointed at
 * `…/provision/{mac}.xml` (`setting_server`, where Snom fills in `{mac}` [FPBX-SNOM-D785]).
 */
import type { Phone } from '../../domain/types.ts';
import type { ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf, labelVar, missedKeyVar, textVar } from '../shared/accounts.ts';
import { INDEXED_NAME, XML_TEXT_TYPE, snomFile } from '../shared/formats/xml-settings.ts';
import { mergeSettings } from '../shared/settings.ts';
import { modelAndFirmware, plainModelKey } from '../shared/user-agent.ts';

/**
 * Snom's own zone codes (`timezone`); only a few are known to us: `USA-7` is FusionPBX's default
 * [FPBX-SNOM-D785], the others follow its pattern (NOT CONFIRMED). Other zones: set the template
 * var `timezone`, else the phone keeps its own.
 */
const ZONES: Readonly<Record<string, string>> = {
  'America/New_York': 'USA-5', 'America/Chicago': 'USA-6', 'America/Denver': 'USA-7', 'America/Los_Angeles': 'USA-8',
  'Europe/London': 'GBR-0', 'Europe/Berlin': 'GER+1',
};

export const provisioning: VendorProvisioning = {
  match(name) {
    const m = /^([0-9a-f]{12})\.xml$/.exec(name.toLowerCase());
    return m?.[1] === undefined ? undefined : { name: `${m[1]}.xml`, role: 'settings', kind: 'phone', mac: m[1] };
  },

  files: (phone: Phone): ProvisionFile[] => [{ name: `${phone.mac}.xml`, role: 'settings' }],

  render(_ref: ProvisionFileRef, input: ProvisionInput) {
    return { contentType: XML_TEXT_TYPE, body: snomFile(mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input))) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bsnom([A-Za-z0-9]+)-SIP\s+([\d.]+)/i),
  modelKey: plainModelKey,
  isKey: (key) => INDEXED_NAME.test(key),
};

// --- Internal helpers ---

/**
 * Accounts `user_*[n]` [FPBX-SNOM-D785]; action URLs are Snom setting names [FPBX-SNOM-720]; the
 * missed list is a function key of type Action URL, value `url <URL>` [SNOM-DOC-TRIG]. Function
 * keys count from 0; the first ones are the lines'.
 */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [['setting_server', `${input.provisionUrl}/{mac}.xml`]];
  const accounts = accountsOf(input);
  for (const a of accounts) {
    const i = `[${a.index}]`;
    out.push([`user_active${i}`, a.enabled ? 'on' : 'off'], [`user_realname${i}`, a.displayName], [`user_name${i}`, a.user]);
    if (a.password !== '') out.push([`user_pass${i}`, a.password]);
    if (a.server !== '') out.push([`user_host${i}`, a.server]);
  }
  for (const [setting, url] of Object.entries(input.urls.events)) out.push([setting, url]);
  const key = missedKeyVar(input, accounts.length, 0, 200);
  if (key !== null) {
    out.push([`fkey[${key}]`, `url ${input.urls.screen}`], [`fkey[${key}].label`, labelVar(input, 'missedLabel', 'Missed')]);
  }
  return out;
}

function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  const [first] = input.ntpServers;
  if (first !== undefined) out.push(['ntp_server', first]);
  const zone = textVar(input, 'timezone') || ZONES[input.zone.name];
  if (zone !== undefined && zone !== '') out.push(['timezone', zone]);
  return out;
}

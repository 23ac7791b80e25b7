/**
 * @module Grandstream provisioning: `cfg<mac>.xml` (the name by convention, NOT re-verified
 * [FPBX-PROV-IDX]), `<gs_provision version="1"><config version="2">` with named items, which the
 * GXP21xx template of FusionPBX uses instead of P-values [FPBX-GS-2170].
 */
import type { Phone } from '../../domain/types.ts';
import type { ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf, labelVar } from '../shared/accounts.ts';
import { ProvisionError } from '../shared/provision-error.ts';
import { XML_TEXT_TYPE, itemsFile } from '../shared/formats/xml-settings.ts';
import { mergeSettings } from '../shared/settings.ts';
import { posixTz } from '../shared/time-zone.ts';
import { modelAndFirmware, plainModelKey } from '../shared/user-agent.ts';

/** Our action-URL settings (P-values / web labels, see urls.ts) → the named items of [FPBX-GS-2170]. */
const ACTION_ITEMS: Readonly<Record<string, string>> = {
  P8304: 'ons.actionUrl.setupCompleted',
  P8305: 'ons.actionUrl.registered',
  P8306: 'ons.actionUrl.unregistered',
  P8310: 'ons.actionUrl.incomingCall',
  P8311: 'ons.actionUrl.outgoingCall',
  'Missed Call': 'ons.actionUrl.missedCall',
  'Established Call': 'ons.actionUrl.establishedCall',
  'Terminated Call': 'ons.actionUrl.terminatedCall',
};

/** `dateTime.timezone.custom` takes at most 64 characters [FPBX-GS-2170]. */
const CUSTOM_TZ_MAX = 64;

export const provisioning: VendorProvisioning = {
  match(name) {
    const m = /^cfg([0-9a-f]{12})(?:\.xml)?$/.exec(name.toLowerCase());
    return m?.[1] === undefined ? undefined : { name: `cfg${m[1]}.xml`, role: 'settings', kind: 'phone', mac: m[1] };
  },

  files: (phone: Phone): ProvisionFile[] => [{ name: `cfg${phone.mac}.xml`, role: 'settings' }],

  render(_ref: ProvisionFileRef, input: ProvisionInput) {
    return { contentType: XML_TEXT_TYPE, body: itemsFile(mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input))) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bGrandstream\s+(?:Model\s+HW\s+)?([A-Za-z0-9]+)\s+(?:SW\s+)?([\d.]+)/i),
  modelKey: plainModelKey,
  isKey: (key) => /^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$/.test(key),
};

// --- Internal helpers ---

/**
 * Accounts, action URLs and config server items of [FPBX-GS-2170]. The missed list opens from
 * the XML Applications soft key (`xmlApplication.serverPath` / `.softkeyLabel`), which fetches a
 * `GS_XML_Application` screen (screens.ts).
 */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  for (const a of accountsOf(input)) {
    const p = `account.${a.index}`;
    out.push([`${p}.enable`, a.enabled ? 'Yes' : 'No'], [`${p}.name`, a.label], [`${p}.sip.userid`, a.user],
      [`${p}.sip.subscriber.userid`, a.user], [`${p}.sip.subscriber.name`, a.displayName]);
    if (a.password !== '') out.push([`${p}.sip.subscriber.password`, a.password]);
    if (a.server !== '') out.push([`${p}.sip.server.1.address`, a.server]);
  }
  for (const [setting, url] of Object.entries(input.urls.events)) {
    const item = ACTION_ITEMS[setting];
    if (item === undefined) throw new ProvisionError(`grandstream: no config item known for action URL "${setting}"`);
    out.push([item, url]);
  }
  out.push(['xmlApplication.serverPath', input.urls.screen], ['xmlApplication.softkeyLabel', labelVar(input, 'missedLabel', 'Missed')]);
  const url = new URL(`${input.provisionUrl}/`);
  out.push(['provisioning.config.protocol', url.protocol === 'https:' ? 'HTTPS' : 'HTTP'], ['provisioning.config.serverPath', `${url.host}${url.pathname.replace(/\/$/, '')}`]);
  if (input.credentials !== null) {
    out.push(['provisioning.config.username', input.credentials.user], ['provisioning.config.password', input.credentials.password]);
  }
  return out;
}

/** NTP items and a self-defined zone as a POSIX TZ string (`dateTime.timezone = customize` [FPBX-GS-2170]). */
function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  for (const [i, server] of input.ntpServers.slice(0, 2).entries()) out.push([`dateTime.ntp.server.${i + 1}`, server]);
  const tz = posixTz(input.zone);
  if (tz.length <= CUSTOM_TZ_MAX) out.push(['dateTime.timezone', 'customize'], ['dateTime.timezone.custom', tz]);
  return out;
}

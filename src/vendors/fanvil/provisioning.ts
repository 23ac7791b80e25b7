/**
 * @module Fanvil provisioning: `<mac>.cfg`, an XML `<sysConf>` [FPBX-FANVIL-H2U] whose sections
 * are written here as dotted paths (`sip.line[1].RegisterPswd`). Action URLs live in `<cti>`;
 * phones.md documents no Fanvil key that opens an XML page, so no missed-list key is written
 * (the team's list still works on every other phone, and a template may add one).
 */
import type { Phone } from '../../domain/types.ts';
import type { DstRule, ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf } from '../shared/accounts.ts';
import { XML_PATH, XML_TEXT_TYPE, nestedFile } from '../shared/formats/xml-settings.ts';
import { mergeSettings } from '../shared/settings.ts';
import { modelAndFirmware, plainModelKey } from '../shared/user-agent.ts';

export const provisioning: VendorProvisioning = {
  match(name) {
    const m = /^([0-9a-f]{12})\.cfg$/.exec(name.toLowerCase());
    return m?.[1] === undefined || m[1] === '000000000000' ? undefined : { name: `${m[1]}.cfg`, role: 'settings', kind: 'phone', mac: m[1] };
  },

  files: (phone: Phone): ProvisionFile[] => [{ name: `${phone.mac}.cfg`, role: 'settings' }],

  render(_ref: ProvisionFileRef, input: ProvisionInput) {
    // `<Version>` first, as in every Fanvil template [FPBX-FANVIL-H2U].
    return { contentType: XML_TEXT_TYPE, body: nestedFile('sysConf', mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input)), [['Version', '2.0000000000']]) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bFanvil\s+([A-Za-z0-9]+)\s+([\d.]+)/i),
  modelKey: plainModelKey,
  isKey: (key) => XML_PATH.test(key) && key !== 'Version',
};

// --- Internal helpers ---

/** `sip.line[n]` keys, `cti` action URLs and the `ap` provisioning server as in FusionPBX's Fanvil templates. */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  for (const a of accountsOf(input)) {
    const p = `sip.line[${a.index}]`;
    out.push([`${p}.PhoneNumber`, a.user], [`${p}.DisplayName`, a.displayName], [`${p}.RegisterUser`, a.user]);
    if (a.password !== '') out.push([`${p}.RegisterPswd`, a.password]);
    if (a.host !== '') out.push([`${p}.RegisterAddr`, a.host]);
    if (a.port !== '') out.push([`${p}.RegisterPort`, a.port]);
    out.push([`${p}.EnableReg`, a.enabled ? '1' : '0']);
  }
  out.push(['cti.EnabledActionUrl', '1']);
  for (const [setting, url] of Object.entries(input.urls.events)) out.push([`cti.${setting}`, url]);
  out.push(['ap.FlashServerIP', input.provisionUrl]);
  if (input.credentials !== null) out.push(['ap.DefaultUsername', input.credentials.user], ['ap.DefaultPassword', input.credentials.password]);
  return out;
}

/**
 * `phone.date` [FPBX-FANVIL-H2U]: `TimeZone` in quarter hours and `TimeZoneName` `UTC+1` are
 * NOT CONFIRMED; DST "manual, by week" (`Enable_DST` 2, `DST_Fixed_Type` 2) per FusionPBX's
 * setting descriptions, week 5 = last, weekday 0 = Sunday as in its template.
 */
function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [['phone.date.EnableSNTP', '1']];
  const [first, second] = input.ntpServers;
  if (first !== undefined) out.push(['phone.date.SNTPServer', first]);
  if (second !== undefined) out.push(['phone.date.SecondSNTPServer', second]);
  const zone = input.zone;
  const hours = zone.standardOffsetMinutes / 60;
  out.push(['phone.date.TimeZone', String(zone.standardOffsetMinutes / 15)], ['phone.date.TimeZoneName', `UTC${hours < 0 ? '' : '+'}${Number.isInteger(hours) ? hours : hours.toFixed(1)}`]);
  if (zone.dst === null) {
    out.push(['phone.date.Enable_DST', '0']);
    return out;
  }
  const rule = (prefix: string, r: DstRule): Setting[] => [
    [`phone.date.DST${prefix}Mon`, String(r.month)], [`phone.date.DST${prefix}Week`, String(r.week)],
    [`phone.date.DST${prefix}Wday`, String(r.weekday)], [`phone.date.DST${prefix}Hour`, String(r.hour)],
  ];
  out.push(['phone.date.Enable_DST', '2'], ['phone.date.DST_Fixed_Type', '2'],
    ['phone.date.DSTMinOffset', String(zone.dst.offsetMinutes - zone.standardOffsetMinutes)],
    ...rule('Start', zone.dst.start), ...rule('End', zone.dst.end));
  return out;
}

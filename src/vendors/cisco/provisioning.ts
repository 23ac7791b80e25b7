/**
 * @module Cisco MPP (3PCC) provisioning [CISCO-8800-PROV], [FPBX-CISCO-8841]: a factory-reset phone
 * asks for `/$PSN.xml` (its product series, e.g. `8841.xml` [CISCO-AG-PR-DEFAULT]); that small
 * bootstrap sets `Profile_Rule` to our `$MA.xml` (the phone's MAC [CISCO-6800-156]), and the phone
 * resyncs to its own `<mac>.xml` flat profile. Cisco phones send no call events (phones.md §3.4):
 * their calls come from the PBX; the profile gives them a line key that opens the missed list.
 */
import type { Phone } from '../../domain/types.ts';
import type { DstRule, ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf, checkUrlLength, intVar, labelVar, missedKeyVar, textVar } from '../shared/accounts.ts';
import { ProvisionError } from '../shared/provision-error.ts';
import { XML_NAME, XML_TEXT_TYPE, elementsFile } from '../shared/formats/xml-settings.ts';
import { mergeSettings } from '../shared/settings.ts';
import { gmtOffset } from '../shared/time-zone.ts';
import { modelAndFirmware } from '../shared/user-agent.ts';

/** XML service URLs are kept within 256 characters (the phone's field size; exact limit NOT CONFIRMED). */
const XML_URL_MAX = 256;

/** `CP-8841-3PCC` → `8841`, `SPA504G` → `SPA504G`. */
export function modelKey(model: string): string {
  return model.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^CP(?=\d)/, '').replace(/3PCC$/, '').slice(0, 32);
}

export const provisioning: VendorProvisioning = {
  match(name) {
    const lower = name.toLowerCase();
    let m = /^([0-9a-f]{12})\.xml$/.exec(lower);
    if (m?.[1] !== undefined) return { name: lower, role: 'settings', kind: 'phone', mac: m[1] };
    // `$PSN` is the series number; whether firmware writes `8841` or `8841-3PCC` is NOT CONFIRMED: both answer.
    m = /^(?:cp-?)?(\d{4}[a-z]?)(?:-3pcc)?\.xml$/.exec(lower);
    if (m?.[1] !== undefined) return { name: lower, role: 'index', kind: 'bootstrap', mac: null, model: m[1].toUpperCase() };
    return undefined;
  },

  files: (phone: Phone): ProvisionFile[] => [{ name: `${phone.mac}.xml`, role: 'settings' }],

  render(ref: ProvisionFileRef, input: ProvisionInput) {
    if (ref.kind === 'bootstrap') return { contentType: XML_TEXT_TYPE, body: elementsFile('flat-profile', bootstrap(input)) };
    return { contentType: XML_TEXT_TYPE, body: elementsFile('flat-profile', mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input))) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bCisco[-/]((?:CP-?)?[A-Za-z0-9]+(?:-3PCC)?)[/-]([\d.]+[A-Za-z0-9]*)/i),
  modelKey,
  isKey: (key) => XML_NAME.test(key),
};

// --- Internal helpers ---

/**
 * `Profile_Rule = [--uid U --pwd P]URL` [FPBX-CISCO-8841]; `$MA` is the MAC macro [CISCO-6800-156].
 * Credentials are limited to characters that need no quoting there (config checks them).
 */
function profileRule(input: ProvisionInput): string {
  const creds = input.credentials === null ? '' : `[--uid ${input.credentials.user} --pwd ${input.credentials.password}]`;
  return `${creds}${input.provisionUrl}/$MA.xml`;
}

/**
 * The first file: where to find the phone's own profile. Resync soon after (a changed
 * `Profile_Rule` is used from the next resync; 30 s is our choice, NOT CONFIRMED as needed).
 */
function bootstrap(input: ProvisionInput): Setting[] {
  return [
    ['Provision_Enable', 'Yes'],
    ['Resync_On_Reset', 'Yes'],
    ['Resync_Periodic', '30'],
    ['Profile_Rule', profileRule(input)],
  ];
}

/**
 * Lines `…_N_` as in [FPBX-CISCO-8841]. The missed list: a line key set to `fnc=xml;url=…;nme=…`
 * with its extension disabled [CISCO-MPP-LK], and the Applications/Services entry
 * (`XML_Application_Service_*` [FPBX-CISCO-8841]).
 */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [['Profile_Rule', profileRule(input)], ['Resync_On_Reset', 'Yes']];
  const accounts = accountsOf(input);
  const phone = input.phone;
  if (phone !== null) out.push(['Station_Name', phone.label]);
  for (const a of accounts) {
    const n = `_${a.index}_`;
    out.push([`Line_Enable${n}`, a.enabled ? 'Yes' : 'No'], [`Display_Name${n}`, a.displayName], [`User_ID${n}`, a.user], [`Auth_ID${n}`, a.user]);
    if (a.password !== '') out.push([`Password${n}`, a.password]);
    if (a.server !== '') out.push([`Proxy${n}`, a.server], [`Register${n}`, 'Yes']);
  }
  const url = checkUrlLength('Extended_Function url', input.urls.screen, XML_URL_MAX);
  if (url.includes(';')) throw new ProvisionError('Extended_Function url: the missed-list URL must not contain ";"');
  const label = labelVar(input, 'missedLabel', 'Missed');
  const key = missedKeyVar(input, accounts.length + 1, 1, 16);
  if (key !== null) {
    out.push([`Extension_${key}_`, 'Disabled'], [`Short_Name_${key}_`, label], [`Extended_Function_${key}_`, `fnc=xml;url=${url};nme=${label}`]);
  }
  out.push(['XML_Application_Service_Name', label], ['XML_Application_Service_URL', url]);
  out.push(...missedCallSoftkey(input, url, label));
  if (input.push !== null) {
    // `/CGI/Execute` on; "Remote Credential" = Digest with XML_User_Name/XML_Password [CISCO-6800-156].
    out.push(['CISCO_XML_EXE_Enable', 'Yes']);
    if (input.push.password !== '') {
      out.push(['CISCO_XML_EXE_Auth_Mode', 'Remote Credential'], ['XML_User_Name', input.push.user], ['XML_Password', input.push.password]);
    }
  }
  return out;
}

/**
 * The same service as a programmable softkey on the phone's own missed-calls screen: `PSK_n` =
 * `fnc=xml;url=…;nme=…`, listed in `Missed_Call_Key_List` (Cisco 7800 MPP admin guide, "Phone
 * features"; phones.md §8). Template vars: `missedPsk` (1–16, or `off`), `missedCallKeyList` (the
 * whole list; the default keeps the factory keys Call Rtn, Back and Miss, whose positions are
 * NOT CONFIRMED for every model).
 */
function missedCallSoftkey(input: ProvisionInput, url: string, label: string): Setting[] {
  if (input.template.vars['missedPsk'] === 'off') return [];
  const n = intVar(input, 'missedPsk', 1, 1, 16);
  const list = textVar(input, 'missedCallKeyList') || `lcr|1;psk${n}|2;back|3;miss|4`;
  if (!/^[a-z0-9_]+(\|\d{1,2})?(;[a-z0-9_]+(\|\d{1,2})?)*;?$/i.test(list) || !list.includes(`psk${n}`)) {
    throw new ProvisionError(`template var missedCallKeyList: key|position entries separated by ";" that include psk${n}`);
  }
  return [['Programmable_Softkey_Enable', 'Yes'], [`PSK_${n}`, `fnc=xml;url=${url};nme=${label}`], ['Missed_Call_Key_List', list]];
}

/**
 * NTP and zone [FPBX-CISCO-8841]: `Time_Zone` as `GMT+01:00`; DST rule
 * `start=M/D/W/H:0:0;end=…;save=H` with W 1 = Monday … 7 = Sunday, D the first day the weekday
 * may fall on, or -1 for the last one in the month (day/weekday semantics NOT CONFIRMED beyond
 * [FPBX-CISCO-APP]'s shape).
 */
function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  const [first, second] = input.ntpServers;
  if (first !== undefined) out.push(['Primary_NTP_Server', first]);
  if (second !== undefined) out.push(['Secondary_NTP_Server', second]);
  const zone = input.zone;
  out.push(['Time_Zone', gmtOffset(zone.standardOffsetMinutes)]);
  if (zone.dst === null) {
    out.push(['Daylight_Saving_Time_Enable', 'No']);
    return out;
  }
  const save = zone.dst.offsetMinutes - zone.standardOffsetMinutes;
  const part = (r: DstRule) => `${r.month}/${r.week === 5 ? -1 : (r.week - 1) * 7 + 1}/${r.weekday === 0 ? 7 : r.weekday}/${r.hour}:${r.minute}:0`;
  out.push(['Daylight_Saving_Time_Enable', 'Yes'],
    ['Daylight_Saving_Time_Rule', `start=${part(zone.dst.start)};end=${part(zone.dst.end)};save=${save % 60 === 0 ? save / 60 : `${Math.floor(save / 60)}:${save % 60}`}`]);
  return out;
}

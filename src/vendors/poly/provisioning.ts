/**
 * @module Poly (UC Software) provisioning [PLCM-SIP31-AG-A2], [PLCM-AG-1725-22]: the phone reads a
 * master file — `<MAC>.cfg`, else `000000000000.cfg` — whose `CONFIG_FILES` names the files with
 * settings. So `<MAC>.cfg` is a master here too (a settings file in its place would not be read),
 * and the phone's settings are in `<mac>-ringback.cfg`. The phone also uploads its own files
 * (`<MAC>-phone.cfg`, `-web.cfg`, logs, directory) and reads the overrides back at boot
 * [POLY-FAQ-FILES]; those are stored per phone, not rendered.
 */
import type { Phone } from '../../domain/types.ts';
import type { ProvisionFile, ProvisionFileRef, ProvisionInput, Setting, VendorProvisioning } from '../types.ts';
import { accountsOf, labelVar, missedKeyVar, textVar } from '../shared/accounts.ts';
import { ProvisionError } from '../shared/provision-error.ts';
import { XML_NAME, XML_TEXT_TYPE, attributesFile } from '../shared/formats/xml-settings.ts';
import { mergeSettings } from '../shared/settings.ts';
import { modelAndFirmware, plainModelKey } from '../shared/user-agent.ts';

/** `CONFIG_FILES` entries ≤ 255 characters, the list ≤ 2047 [PLCM-AG-1725-22]. */
const CONFIG_FILE_MAX = 255;

const UPLOADS: readonly { pattern: RegExp; kind: string }[] = [
  { pattern: /^([0-9a-f]{12})-(phone|web)\.cfg$/, kind: 'overrides' },
  { pattern: /^([0-9a-f]{12})-(app|boot)\.log$/, kind: 'log' },
  { pattern: /^([0-9a-f]{12})-directory\.xml$/, kind: 'directory' },
];

export const provisioning: VendorProvisioning = {
  match(name) {
    const lower = name.toLowerCase();
    if (lower === '000000000000.cfg') return { name: lower, role: 'index', kind: 'master', mac: null };
    let m = /^([0-9a-f]{12})\.cfg$/.exec(lower);
    if (m?.[1] !== undefined) return { name: lower, role: 'index', kind: 'master', mac: m[1] };
    m = /^([0-9a-f]{12})-ringback\.cfg$/.exec(lower);
    if (m?.[1] !== undefined) return { name: lower, role: 'settings', kind: 'phone', mac: m[1] };
    for (const upload of UPLOADS) {
      m = upload.pattern.exec(lower);
      if (m?.[1] !== undefined && m[1] !== '000000000000') return { name: lower, role: 'upload', kind: upload.kind, mac: m[1] };
    }
    return undefined;
  },

  files: (phone: Phone): ProvisionFile[] => [
    { name: `${phone.mac}.cfg`, role: 'index' },
    { name: `${phone.mac}-ringback.cfg`, role: 'settings' },
  ],

  render(ref: ProvisionFileRef, input: ProvisionInput) {
    if (ref.kind === 'master') {
      // The generic master names the phone's file with the macro the phone expands [SIPX-POLY].
      const own = ref.mac === null ? '[PHONE_MAC_ADDRESS]-ringback.cfg' : `${ref.mac}-ringback.cfg`;
      return { contentType: XML_TEXT_TYPE, body: master(own, input) };
    }
    if (ref.kind !== 'phone') throw new Error(`[ringback] [poly] ${ref.kind} files are stored, not rendered`);
    return { contentType: XML_TEXT_TYPE, body: attributesFile('polycomConfig', mergeSettings(timeSettings(input), input.template.settings, phoneSettings(input))) };
  },

  identify: (userAgent) => modelAndFirmware(userAgent, /\bPoly(?:com)?[A-Za-z]*-([A-Za-z0-9_]+)-UA\/([\d.]+)/i),
  modelKey: plainModelKey,
  isKey: (key) => XML_NAME.test(key),
};

// --- Internal helpers ---

/**
 * `<APPLICATION APP_FILE_PATH CONFIG_FILES …/>` as in the master files of [FPBX-POLY-650] and the
 * Wazo sample (shared/samples/poly/000000000000.cfg). `sip.ld` is the firmware the phone looks
 * for; when the server has none the phone keeps its own.
 */
function master(configFile: string, input: ProvisionInput): string {
  const files = [configFile, ...textVar(input, 'extraConfigFiles').split(',').map((f) => f.trim()).filter((f) => f !== '')];
  for (const f of files) if (f.length > CONFIG_FILE_MAX || !/^[\w.\-[\]]+$/.test(f)) throw new ProvisionError(`template var extraConfigFiles: bad CONFIG_FILES entry "${f.slice(0, 64)}"`);
  return attributesFile('APPLICATION', [
    ['APP_FILE_PATH', textVar(input, 'appFilePath') || 'sip.ld'],
    ['CONFIG_FILES', files.join(', ')],
    ['MISC_FILES', ''], ['LOG_FILE_DIRECTORY', ''], ['OVERRIDES_DIRECTORY', ''], ['CONTACTS_DIRECTORY', ''], ['LICENSE_DIRECTORY', ''],
  ]);
}

/**
 * Registration keys as in [FPBX-POLY-E550]. Telephony notifications [POLY-CFG-NEXT]: only
 * `callStateChangeEvent` (+ `lineRegistrationEvent`): it alone carries Offering → Connected/Free
 * per call, from which "missed" is inferred; `incomingEvent` as well would report every ring twice.
 * The missed list opens from the Applications key (`mb.main.home` [VOIPINFO-MB]) and from a soft
 * key (`softkey.N.*` [FPBX-POLY-E550]; a URL as an EFK action is NOT CONFIRMED [PLCM-UCS58-EFK]).
 */
function phoneSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  for (const a of accountsOf(input)) {
    const p = `reg.${a.index}`;
    out.push([`${p}.displayName`, a.displayName], [`${p}.label`, a.label], [`${p}.address`, a.user], [`${p}.auth.userId`, a.user]);
    if (a.password !== '') out.push([`${p}.auth.password`, a.password]);
    if (a.host !== '') out.push([`${p}.server.1.address`, a.host]);
    if (a.port !== '') out.push([`${p}.server.1.port`, a.port]);
  }
  out.push(
    ['apps.telNotification.URL', input.urls.event],
    ['apps.telNotification.callStateChangeEvent', '1'],
    ['apps.telNotification.lineRegistrationEvent', '1'],
    ['apps.telNotification.incomingEvent', '0'],
    ['apps.telNotification.outgoingEvent', '0'],
    ['apps.telNotification.offhookEvent', '0'],
    ['apps.telNotification.onhookEvent', '0'],
    ['mb.main.home', input.urls.screen],
  );
  const key = missedKeyVar(input, 1, 1, 8);
  if (key !== null) {
    out.push(['feature.enhancedFeatureKeys.enabled', '1'], [`softkey.${key}.label`, labelVar(input, 'missedLabel', 'Missed')],
      [`softkey.${key}.action`, input.urls.screen], [`softkey.${key}.enable`, '1'], [`softkey.${key}.use.idle`, '1']);
  }
  if (input.push !== null && input.push.password !== '') {
    // Push requests are Digest-authenticated with these; messageType 5 = every priority (ours are Normal) [PLCM-WEB50-75].
    out.push(['apps.push.messageType', '5'], ['apps.push.username', input.push.user], ['apps.push.password', input.push.password],
      ['apps.push.serverRootURL', input.push.base], ['apps.push.alertSound', '0']);
  }
  return out;
}

/**
 * SNTP [FPBX-POLY-E550]: `gmtOffset` in seconds [FPBX-POLY-APP]. DST with `fixedDayEnable = 0`:
 * `date` is the first day the weekday may fall on (1, 8, 15, 22), `dayOfWeek` 1 = Sunday,
 * `lastInMonth` for "last" (value meanings NOT CONFIRMED beyond the key names).
 */
function timeSettings(input: ProvisionInput): Setting[] {
  const out: Setting[] = [];
  const [first] = input.ntpServers;
  if (first !== undefined) out.push(['tcpIpApp.sntp.address', first]);
  const zone = input.zone;
  out.push(['tcpIpApp.sntp.gmtOffset', String(zone.standardOffsetMinutes * 60)], ['tcpIpApp.sntp.gmtOffset.overrideDHCP', '1']);
  if (zone.dst === null) {
    out.push(['tcpIpApp.sntp.daylightSavings.enable', '0']);
    return out;
  }
  out.push(['tcpIpApp.sntp.daylightSavings.enable', '1'], ['tcpIpApp.sntp.daylightSavings.fixedDayEnable', '0']);
  for (const [which, r] of [['start', zone.dst.start], ['stop', zone.dst.end]] as const) {
    const p = `tcpIpApp.sntp.daylightSavings.${which}`;
    const last = r.week === 5;
    out.push([`${p}.month`, String(r.month)], [`${p}.date`, String(last ? 1 : (r.week - 1) * 7 + 1)], [`${p}.time`, String(r.hour)],
      [`${p}.dayOfWeek`, String(r.weekday + 1)], [`${p}.dayOfWeek.lastInMonth`, last ? '1' : '0']);
  }
  return out;
}

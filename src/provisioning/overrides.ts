/**
 * @module The setting names in a Poly config file (settings are attributes on any element
 * [POLY-CFG-AGENT]): used to tell which of the keys we serve a phone's own uploaded
 * `<MAC>-phone.cfg` / `-web.cfg` overrides [POLY-FAQ-FILES]. Names only, never values.
 */
import { XMLValidator } from 'fast-xml-parser';

/** Attribute names of every element, or null when the file is not well-formed XML (or declares entities). */
export function settingNames(xml: string): Set<string> | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return null;
  if (XMLValidator.validate(xml) !== true) return null;
  const names = new Set<string>();
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.matchAll(/<[A-Za-z_][^<>]*>/g)) {
    for (const attr of tag[0].matchAll(/\s([A-Za-z_][\w.:-]*)\s*=\s*(?:"[^"]*"|'[^']*')/g)) {
      if (attr[1] !== undefined) names.add(attr[1]);
    }
  }
  return names;
}

/** Keys an override file sets that we also serve, sorted; the password keys too (never their values). */
export function overriddenKeys(uploaded: string, served: string): string[] | null {
  const up = settingNames(uploaded);
  const ours = settingNames(served);
  if (up === null || ours === null) return null;
  return [...up].filter((k) => ours.has(k)).sort();
}

/** An uploaded settings file for admins: the values of password-like keys replaced. */
export function maskPasswords(text: string): string {
  return text.replace(/(\s[\w.:-]*(?:password|passwd|pwd|secret)[\w.:-]*\s*=\s*)("[^"]*"|'[^']*')/gi, '$1"********"');
}

/**
 * @module The contact directory with directory names behind it: a contact in Ringback's own list
 * (API or CSV import) always wins, whole; a caller who is not in it gets the LDAP directory's
 * name and company, when the directory has them cached (see `CallerNames.peek`). VIP flags and
 * CRM ids come only from Ringback's own contacts.
 */
import type { ContactDirectory } from '../services/contacts.ts';
import type { CallerNames } from './ldap-names.ts';

export function withDirectoryNames(contacts: ContactDirectory, names: CallerNames | undefined): ContactDirectory {
  if (names === undefined) return contacts;
  return {
    match: (callerKey) => contacts.match(callerKey) ?? names.peek({ key: callerKey }),
    isVip: (callerKey) => contacts.isVip(callerKey),
    contact: (id) => contacts.contact(id),
    byKey: (callerKey) => contacts.byKey(callerKey),
    list: () => contacts.list(),
    apply: (puts, deletes) => contacts.apply(puts, deletes),
    changedElsewhere: () => contacts.changedElsewhere(),
  };
}

/**
 * @module One LDAP lookup through `ldapts`: connect, bind, search the base DN for an entry with
 * one of the caller's numbers, unbind. A connection per lookup: lookups are rare (the cache
 * answers the rest) and a fresh connection never carries a half-dead socket into the next one.
 */
import { Client, EqualityFilter, OrFilter } from 'ldapts';
import type { LdapConfig } from './ldap-config.ts';

/** What an entry gives us: its name, company and the numbers it holds (for the match check). */
export interface LdapEntry {
  name: string;
  company: string;
  numbers: string[];
}

/** Entries holding one of `values` in a number attribute; at most 5 (a number shared by more is not a person's). */
export async function searchNumbers(config: LdapConfig, values: readonly string[]): Promise<LdapEntry[]> {
  const client = new Client({ url: config.url, timeout: config.timeoutMs, connectTimeout: config.timeoutMs });
  try {
    if (config.bindDn !== null) await client.bind(config.bindDn, config.bindPassword ?? '');
    // EqualityFilter escapes the value (RFC 4515): a caller number can never widen the filter.
    const filter = new OrFilter({
      filters: config.numberAttributes.flatMap((attribute) => values.map((value) => new EqualityFilter({ attribute, value }))),
    });
    const attributes = [...config.nameAttributes, ...config.numberAttributes, ...(config.companyAttribute === '' ? [] : [config.companyAttribute])];
    const { searchEntries } = await client.search(config.baseDn, { scope: 'sub', filter, attributes, sizeLimit: 5, timeLimit: Math.ceil(config.timeoutMs / 1000) });
    return searchEntries.map((e) => ({
      name: config.nameAttributes.map((a) => first(e[a])).find((v) => v !== '') ?? '',
      company: config.companyAttribute === '' ? '' : first(e[config.companyAttribute]),
      numbers: config.numberAttributes.flatMap((a) => all(e[a])),
    }));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

// --- Internal helpers ---

type Value = string | string[] | Buffer | Buffer[] | undefined;

function all(v: Value): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : x.toString('utf8'))).slice(0, 32);
}

function first(v: Value): string {
  return all(v)[0] ?? '';
}

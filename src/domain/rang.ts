/** @module Which extensions a call rang: "rang 11, 12, 13", from the phones' reports and the PBX's. */
import type { CallAttempt } from './types.ts';

/** The extensions an attempt rang, in the order they were first seen (answerer included). */
export function rangExtensions(a: Pick<CallAttempt, 'endpoints' | 'rang' | 'answeredBy'>): string[] {
  const out = new Set<string>();
  for (const e of Object.values(a.endpoints)) if (e.extension !== '') out.add(e.extension);
  for (const ext of a.rang ?? []) if (ext !== '') out.add(ext);
  if (a.answeredBy !== null && a.answeredBy !== 'elsewhere' && a.answeredBy !== '') out.add(a.answeredBy);
  return [...out];
}

/** The extensions all of an entry's attempts rang, sorted as people count them (11 before 100). */
export function rangByAll(attempts: readonly (Pick<CallAttempt, 'endpoints' | 'rang' | 'answeredBy'> | undefined)[], fallback: string): string[] {
  const out = new Set<string>();
  for (const a of attempts) if (a !== undefined) for (const ext of rangExtensions(a)) out.add(ext);
  if (out.size === 0 && fallback !== '') out.add(fallback);
  return [...out].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
}

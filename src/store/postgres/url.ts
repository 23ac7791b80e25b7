/** @module RINGBACK_DATABASE_URL: checked at start, shown only without its password. */

/** The URL as it may be shown: the password replaced, whatever else it holds. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(a database URL that does not parse)';
  }
}

/** The URL if it names a PostgreSQL database; throws a message that never repeats the value (it holds a password). */
export function parseDatabaseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('not a URL (expected postgres://user:password@host:port/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`expected a postgres:// URL, not ${u.protocol}// (postgres://user:password@host:port/database)`);
  }
  if (u.pathname.replace(/^\//, '') === '') throw new Error('the URL names no database (postgres://user:password@host:port/database)');
  return value;
}

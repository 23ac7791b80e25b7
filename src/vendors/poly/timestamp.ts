/**
 * @module Poly `TimeStamp` → ISO-8601 UTC. Phones write `2008-07-11T13:19:53-08:00` and
 * `2015-07-14T14:37:33-0600` (no colon) [PLCM-WEB50-27], samples/poly/telnotification.SOURCE.
 */

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** The instant as `YYYY-MM-DDTHH:MM:SS.mmmZ`, or null when absent, zone-less or impossible. */
export function phoneTimeOf(stamp: string): string | null {
  const m = STAMP.exec(stamp.trim());
  if (m === null) return null; // without an offset the instant is unknown: better none than wrong
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  const offsetMinutes = zone.toUpperCase() === 'Z' ? 0 : zoneMinutes(zone);
  if (offsetMinutes === null) return null;
  const instant = new Date(local - offsetMinutes * 60_000);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

function zoneMinutes(zone: string): number | null {
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

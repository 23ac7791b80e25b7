/** @module A phone's clock compared with ours (pure): the skew admins see per phone. */

/**
 * Phone clock minus server clock in whole ms (positive = the phone runs ahead), or null when either
 * time is not an ISO-8601 date-time with a zone. Accepts `+hh:mm`, `+hhmm` (Poly sends `-0600`) and `Z`.
 * A time without a zone is refused: it would be the phone's local time, and guessing its zone could
 * invent hours of skew.
 */
export function phoneSkewMs(phoneTimeIso: string, receivedAtIso: string): number | null {
  const phone = parseZonedTime(phoneTimeIso);
  const received = parseZonedTime(receivedAtIso);
  return phone === null || received === null ? null : Math.round(phone - received);
}

// --- Internal helpers ---

const ZONED_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

function parseZonedTime(text: string): number | null {
  const match = ZONED_TIME.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as
    [number, number, number, number, number, number];
  const fraction = Number(`0.${match[7] ?? '0'}`) * 1000;
  const offsetMin = match[8]?.toUpperCase() === 'Z' ? 0
    : (match[9] === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11] ?? 0));
  // Date.UTC rolls over silently (Feb 30 → Mar 2); a phone that sends that is broken, not skewed.
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day
    || hour > 23 || minute > 59 || second > 60 || Math.abs(offsetMin) > 18 * 60) return null;
  return utc + fraction - offsetMin * 60_000;
}

/**
 * @module The generic PBX webhook's JSON body → PbxCall, validated field by field.
 *
 * ```json
 * {
 *   "id": "a1b2c3",                        // required: the PBX's call id, 1–128 of [A-Za-z0-9._:@-]
 *   "caller": "+4930123456",               // required: ≤ 64 chars, "" = anonymous
 *   "callerName": "Anna Schmidt",          // optional: ≤ 128 chars, default ""
 *   "called": "600",                       // optional: group/queue/DID dialled, ≤ 64 chars, default ""
 *   "startedAt": "2026-11-26T09:15:00Z",   // required: ISO-8601 with Z or ±hh:mm
 *   "endedAt": "2026-11-26T09:15:31+01:00",// required: ≥ startedAt, not more than 5 min in the future
 *   "rang": ["11", "12"],                  // required: extensions that rang, ≤ 100, each 1–32 of [A-Za-z0-9_.+*#-]
 *   "answeredBy": "12",                    // required: the extension that answered, or null (= missed)
 *   "abandonedInQueue": false,             // optional: default false; true only with answeredBy null
 *   "direction": "inbound"                 // optional: inbound | outbound | internal, default inbound
 * }
 * ```
 * Any other key is refused, so a misspelt field (`answered_by`) fails loudly instead of turning an
 * answered call into a missed one. Strings must not contain control characters.
 */
import type { PbxCall } from '../domain/types.ts';

export type BodyResult = { ok: true; call: PbxCall; id: string } | { ok: false; reason: string };

const KEYS = new Set([
  'id', 'caller', 'callerName', 'called', 'startedAt', 'endedAt', 'rang', 'answeredBy', 'abandonedInQueue', 'direction',
]);
const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const EXTENSION = /^[A-Za-z0-9_.+*#-]{1,32}$/;
const DIRECTIONS: ReadonlySet<string> = new Set(['inbound', 'outbound', 'internal']);
const MAX_RANG = 100;

/** `futureSlackMs`: how far `endedAt` may lie ahead of `now` (the sender's clock may run fast). */
export function parseWebhookBody(body: unknown, now: number, futureSlackMs: number): BodyResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('body must be a JSON object');
  const o = body as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.has(key)) return bad(`unknown field ${JSON.stringify(key.slice(0, 40))}`);

  const id = o['id'];
  if (typeof id !== 'string' || !ID.test(id)) return bad('id must be 1–128 characters of A-Z a-z 0-9 . _ : @ -');
  const caller = text(o['caller'], 64, false);
  if (caller === null) return bad('caller must be a string of at most 64 characters, without control characters');
  const callerName = text(o['callerName'], 128, true);
  if (callerName === null) return bad('callerName must be a string of at most 128 characters, without control characters');
  const called = text(o['called'], 64, true);
  if (called === null) return bad('called must be a string of at most 64 characters, without control characters');

  const startedAt = instant(o['startedAt']);
  if (startedAt === null) return bad('startedAt must be an ISO-8601 date-time with a zone');
  const endedAt = instant(o['endedAt']);
  if (endedAt === null) return bad('endedAt must be an ISO-8601 date-time with a zone');
  if (endedAt < startedAt) return bad('endedAt is before startedAt');
  if (endedAt > now + futureSlackMs) return bad('endedAt is in the future');

  const rang = o['rang'];
  if (!Array.isArray(rang) || rang.length > MAX_RANG) return bad(`rang must be an array of at most ${MAX_RANG} extensions`);
  if (!rang.every((r): r is string => typeof r === 'string' && EXTENSION.test(r))) {
    return bad('rang entries must be extensions (1–32 of A-Z a-z 0-9 _ . + * # -)');
  }
  if (!('answeredBy' in o)) return bad('answeredBy is required (null when nobody answered)');
  const answeredBy = o['answeredBy'];
  if (answeredBy !== null && (typeof answeredBy !== 'string' || !EXTENSION.test(answeredBy))) {
    return bad('answeredBy must be an extension or null');
  }
  const abandoned = o['abandonedInQueue'] ?? false;
  if (typeof abandoned !== 'boolean') return bad('abandonedInQueue must be a boolean');
  if (abandoned && answeredBy !== null) return bad('abandonedInQueue contradicts answeredBy');
  const direction = o['direction'] ?? 'inbound';
  if (typeof direction !== 'string' || !DIRECTIONS.has(direction)) return bad('direction must be inbound, outbound or internal');

  return {
    ok: true,
    id,
    call: {
      pbxCallId: `webhook:${id}`,
      caller,
      callerName,
      called,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      rang: [...new Set(rang)],
      answeredBy,
      abandonedInQueue: abandoned,
      direction: direction as PbxCall['direction'],
    },
  };
}

// --- Internal helpers ---

function bad(reason: string): BodyResult {
  return { ok: false, reason };
}

function text(v: unknown, max: number, optional: boolean): string | null {
  if (v === undefined && optional) return '';
  if (typeof v !== 'string' || v.length > max || /[\u0000-\u001f\u007f]/.test(v)) return null;
  return v.trim();
}

/** ms since the epoch, or null. Strict: Date.parse alone would roll `2026-02-30` over into March. */
function instant(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(v);
  if (m === null) return null;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const day = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1));
  if (day.getUTCMonth() !== (mo ?? 1) - 1 || day.getUTCDate() !== d) return null;
  if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59 || (oh ?? 0) > 23 || (om ?? 0) > 59) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

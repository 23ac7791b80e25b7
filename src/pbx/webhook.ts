/**
 * @module `POST /pbx/webhook` (DESIGN §6): a signed JSON call record from any PBX that can send one
 * per finished call (Yeastar, 3CX, Kazoo, FreeSWITCH scripts — phones.md §4.3). Pure: the lead's
 * route passes the raw body, the headers, the secret and `now`, and maps the result to a response.
 *
 * Signing (sender side):
 * ```
 * X-Ringback-Timestamp: <unix seconds>
 * X-Ringback-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * ```
 * The signature covers the exact bytes sent, so the route must hand over the body unparsed
 * (`express.text({ type: '*\/*' })`, not `express.json()`). A delivery is refused when the timestamp
 * is more than 5 minutes off our clock (401) or when the same `id` + timestamp was already accepted
 * (409); a sender retrying should sign again with a new timestamp — the call is deduped downstream
 * by `pbxCallId = webhook:<id>`. The body's shape is documented in webhook-body.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseWebhookBody } from './webhook-body.ts';
import type { ReplayCache } from './replay-cache.ts';
import { failure, ok, type Result } from '../domain/result.ts';
import type { PbxCall } from '../domain/types.ts';

export { createReplayCache } from './replay-cache.ts';

export const TIMESTAMP_HEADER = 'x-ringback-timestamp';
export const SIGNATURE_HEADER = 'x-ringback-signature';
/** How far the sender's timestamp may differ from our clock, either way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;
/** One call record is a few hundred bytes; anything this large is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

export interface WebhookInput {
  /** The request body exactly as received (UTF-8). */
  rawBody: string;
  /** Node's `req.headers` (lower-case names) or any record; names are matched case-insensitively. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  secret: string;
  /** Our clock, ms. */
  now: number;
  replay: ReplayCache;
}

export type WebhookResult = Result<PbxCall>;

export function verifyAndParseWebhook(input: WebhookInput): WebhookResult {
  const { rawBody, secret, now } = input;
  if (secret === '') return fail('unauthorized', 'webhook secret not configured');
  const timestamp = header(input.headers, TIMESTAMP_HEADER);
  if (timestamp === null || !/^[0-9]{1,12}$/.test(timestamp)) return fail('unauthorized', 'missing or malformed X-Ringback-Timestamp');
  const signature = header(input.headers, SIGNATURE_HEADER);
  const hex = signature === null ? null : /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim())?.[1];
  if (hex === undefined || hex === null) return fail('unauthorized', 'missing or malformed X-Ringback-Signature');
  const sentAt = Number(timestamp) * 1000;
  if (Math.abs(now - sentAt) > WEBHOOK_TOLERANCE_MS) return fail('unauthorized', 'X-Ringback-Timestamp is more than 5 minutes off');
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_WEBHOOK_BODY_BYTES) return fail('invalid', 'body too large');

  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
  // Both are 32 bytes (the regex fixed the length), so timingSafeEqual cannot throw.
  if (!timingSafeEqual(expected, Buffer.from(hex, 'hex'))) return fail('unauthorized', 'signature does not match');

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return fail('invalid', 'body is not valid JSON');
  }
  const parsed = parseWebhookBody(body, now, WEBHOOK_TOLERANCE_MS);
  if (!parsed.ok) return fail('invalid', parsed.reason);
  // Claimed last: a rejected delivery must not burn its id + timestamp.
  if (!input.replay.claim(`${parsed.id}\n${timestamp}`, sentAt + WEBHOOK_TOLERANCE_MS, now)) {
    return fail('replayed', 'replayed delivery (same id and timestamp)');
  }
  return ok(parsed.call);
}

/** The `X-Ringback-Signature` value for a body: for senders' docs, tests and a CLI "send test call". */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

// --- Internal helpers ---

/** The HTTP status is the route's (src/http/errors.ts): unauthorized 401, invalid 400, replayed 409. */
function fail(code: 'unauthorized' | 'invalid' | 'replayed', message: string): WebhookResult {
  return failure(code, message);
}

/** One header's value; a repeated header is ambiguous and counts as absent. */
function header(headers: WebhookInput['headers'], name: string): string | null {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === 'string') return v;
    return Array.isArray(v) && v.length === 1 && typeof v[0] === 'string' ? v[0] : null;
  }
  return null;
}

/**
 * @module The webhook signature, the same scheme `POST /pbx/webhook` accepts (one scheme to learn):
 * ```
 * X-Ringback-Timestamp: <unix seconds>
 * X-Ringback-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 * ```
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later with a
 * fresh timestamp; receivers should refuse timestamps more than a few minutes off their clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Ringback-Timestamp';
export const SIGNATURE_HEADER = 'X-Ringback-Signature';
export const DELIVERY_HEADER = 'X-Ringback-Delivery';

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What a receiver does (tests and the README's example): constant-time comparison of the signature. */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * @module Webhook delivery: the payload as JSON in a signed POST. 2xx is delivered; 408, 429 and
 * 5xx (and network errors, timeouts) are retried; any other answer — a 4xx, a redirect — will not get
 * better by itself and fails the message at once (its error is shown in `/api/notify/outbox`).
 */
import { maskUrl } from './settings.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature } from './signature.ts';
import type { Sender, SendResult } from './types.ts';

export interface WebhookSenderOptions {
  /** HMAC key; never logged, never part of an error. */
  secret: string;
  /** Per delivery, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /** Unix time for the signature timestamp: the real clock, since the receiver checks it against its own. */
  clock?: () => number;
}

export function webhookSender(opts: WebhookSenderOptions): Sender {
  if (opts.secret.length < 16) throw new Error('[ringback] [notify] the webhook secret must be at least 16 characters');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const clock = opts.clock ?? Date.now;
  return {
    async send(message): Promise<SendResult> {
      const body = JSON.stringify(message.payload);
      const timestamp = String(Math.floor(clock() / 1000));
      try {
        const res = await fetch(message.target.address, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'User-Agent': 'Ringback',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signature(opts.secret, timestamp, body),
            [DELIVERY_HEADER]: message.id,
          },
          body,
        });
        // The start of the answer is kept for the dashboard's test button; the rest is dropped to free the connection.
        const said = await answerStart(res);
        const answer = `HTTP ${res.status}${said === '' ? '' : `: ${said}`}`;
        if (res.status >= 200 && res.status < 300) return { ok: true, answer };
        const retry = res.status === 408 || res.status === 429 || res.status >= 500;
        return { ok: false, permanent: !retry, error: `${maskUrl(message.target.address)} answered ${answer}` };
      } catch (e) {
        return { ok: false, permanent: false, error: `${maskUrl(message.target.address)}: ${networkError(e)}` };
      }
    },
  };
}

// --- Internal helpers ---

const ANSWER_CHARS = 200;

/** At most the first 4 KB of the body, as one line of at most 200 printable characters. */
async function answerStart(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut off mid-way: what arrived is the answer
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks)).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text.length > ANSWER_CHARS ? `${text.slice(0, ANSWER_CHARS)}…` : text;
}

/** fetch's own message is "fetch failed"; the cause says what happened (ECONNREFUSED, a timeout…). */
function networkError(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'no answer in time';
  const cause = e instanceof Error ? e.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return e instanceof Error ? e.message : String(e);
}

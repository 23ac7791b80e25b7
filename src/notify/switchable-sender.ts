/**
 * @module The email sender behind a switch: SMTP set or changed from the dashboard takes effect on
 * the next delivery, without a restart. Unset, a delivery fails at once with that reason.
 */
import { emailSender } from './email-sender.ts';
import type { Sender, SendResult } from './types.ts';

export interface SwitchableSender extends Sender {
  /** Use this SMTP server from now on (null = email off); the old connection is closed. */
  set(smtp: { url: string; from: string } | null): void;
  configured(): boolean;
}

export function switchableEmail(smtp: { url: string; from: string } | null): SwitchableSender {
  let inner: Sender | null = smtp === null ? null : emailSender(smtp);
  return {
    async send(message): Promise<SendResult> {
      if (inner === null) return { ok: false, permanent: true, error: 'email is not set up (RINGBACK_SMTP_URL, or Settings in the dashboard)' };
      return inner.send(message);
    },
    set(next) {
      const old = inner;
      inner = next === null ? null : emailSender(next);
      void old?.close?.();
    },
    configured: () => inner !== null,
    async close() {
      await inner?.close?.();
    },
  };
}

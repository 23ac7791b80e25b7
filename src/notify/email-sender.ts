/**
 * @module Email delivery over SMTP (nodemailer): plain text plus HTML, one message per outbox
 * message, its Message-ID derived from the delivery id (the same on every retry). A rejected
 * recipient (550–554) fails the message at once; anything else is retried.
 */
import type { Transporter } from 'nodemailer';
import { renderEmail } from './render.ts';
import type { Sender, SendResult } from './types.ts';

export interface EmailSenderOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; the password never appears in logs or errors. */
  url: string;
  /** `Ringback <ringback@example.com>` */
  from: string;
  /** Connect, greeting and idle socket limits (default 10 s, 10 s, 30 s). */
  timeoutMs?: number;
}

export function emailSender(opts: EmailSenderOptions): Sender {
  const timeout = opts.timeoutMs ?? 10_000;
  // nodemailer is loaded at the first message, not at start: 13 MB of RSS and a quarter of a second
  // of start-up on every instance, most of which never send one.
  let transport: Promise<Transporter> | null = null;
  const transporter = () => transport ??= import('nodemailer').then(({ createTransport }) => createTransport({
    url: opts.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: 3 * timeout, logger: false,
  }));
  const domain = /@([^>\s]+)>?\s*$/.exec(opts.from)?.[1] ?? 'ringback';
  return {
    async send(message): Promise<SendResult> {
      const content = renderEmail(message.payload);
      try {
        const info: { response?: unknown } = await (await transporter()).sendMail({
          from: opts.from,
          to: { name: message.target.name, address: message.target.address },
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId: `<${message.id}@${domain}>`,
          headers: { 'X-Ringback-Delivery': message.id },
        });
        return typeof info.response === 'string' ? { ok: true, answer: info.response.slice(0, 200) } : { ok: true };
      } catch (e) {
        const code = typeof e === 'object' && e !== null && 'responseCode' in e && typeof e.responseCode === 'number' ? e.responseCode : null;
        return { ok: false, permanent: code !== null && code >= 550 && code <= 554, error: smtpError(e, code) };
      }
    },
    async close() {
      if (transport !== null) (await transport).close();
    },
  };
}

// --- Internal helpers ---

/** The server's answer or the socket error, without anything of the connection URL. */
function smtpError(e: unknown, code: number | null): string {
  const errCode = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'error';
  const response = typeof e === 'object' && e !== null && 'response' in e && typeof e.response === 'string' ? e.response : '';
  return `SMTP ${errCode}${code === null ? '' : ` ${code}`}${response === '' ? '' : `: ${response.slice(0, 200)}`}`;
}

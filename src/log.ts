/** @module Structured logs (pino). Tokens, passwords and secrets are redacted wherever they appear. */
import { pino, type Logger } from 'pino';

export const REDACT = [
  'token', '*.token', 'secret', '*.secret', 'password', '*.password', '*.sipPassword', '*.*.sipPassword',
  'authorization', '*.authorization', '*.headers.authorization', 'adminToken', '*.adminToken',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[secret]' }, base: { service: 'ringback' } },
    destination ?? process.stdout);
}

/**
 * Test support: a desk phone's push interface on 127.0.0.1, as the vendor documents it. It takes a
 * push only from the allowed address and with the right credentials (Yealink: Basic, Poly: Digest
 * with qop, Cisco: Digest without qop), checks every pushed object with a strict XML parser and the
 * vendor's limits (Cisco: against Cisco's XSD), and keeps what its idle screen would show.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpAuth, type HttpAuth } from '../../src/provisioning/http-auth.ts';
import type { VendorName } from '../../src/domain/types.ts';
import { checkCisco, checkPoly, checkYealink, warmUpXsd, type Checked } from './vendor-checks.ts';

export interface Receipt {
  /** `Date.now()` when the phone took it. */
  at: number;
  purpose: string;
  body: string;
}

export interface PhoneEmulator {
  vendor: VendorName;
  port: number;
  /** `127.0.0.1:<port>`: what goes into the phone's `push.address`. */
  address: string;
  /** The idle screen's lines now ([] = nothing of ours shown). */
  screen: string[];
  /** The missed key's LED (`slowflash`, `off`…), null until pushed. */
  led: string | null;
  /** Pushes the phone took. */
  receipts: Receipt[];
  /** Requests it refused for bad credentials (after a challenge was answered). */
  refused: number;
  /** Pushes that failed the vendor's checks, with the reason (must stay empty). */
  invalid: string[];
  /** Every request that reached it. */
  requests: number;
  /** Resolves when no request is being handled (a Cisco's fetch of the page its push named included). */
  quiet(): Promise<void>;
  /** Resolves when `check` holds (checked after every request); rejects after `timeoutMs` (a bound for a busy machine, not a wait). */
  waitFor(check: (e: PhoneEmulator) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  vendor: 'yealink' | 'poly' | 'cisco';
  /** The push secret; null = the phone asks for none. */
  password: string | null;
  user?: string;
  /** The only address pushes are taken from (Yealink `push_xml.server`). */
  allowFrom?: string;
  /** Accept connections but never answer (a hung phone). */
  hang?: boolean;
}

export async function startEmulator(opts: EmulatorOptions): Promise<PhoneEmulator> {
  if (opts.vendor === 'cisco') await warmUpXsd();
  const events = new EventEmitter();
  const user = opts.user ?? 'ringback';
  const auth: HttpAuth | null = opts.password === null ? null : createHttpAuth({ credentials: { user, password: opts.password }, realm: `${opts.vendor}-phone` });
  const checks: Record<EmulatorOptions['vendor'], (path: string, contentType: string, body: string, phone: object) => Promise<Checked>> = {
    yealink: checkYealink, poly: checkPoly, cisco: checkCisco,
  };
  const check = checks[opts.vendor];
  const hung: IncomingMessage[] = [];
  let busy = 0;
  const done = () => {
    busy -= 1;
    if (busy === 0) events.emit('quiet');
  };
  const emu: PhoneEmulator = {
    vendor: opts.vendor, port: 0, address: '', screen: [], led: null, receipts: [], refused: 0, invalid: [], requests: 0,
    quiet() {
      return busy === 0 ? Promise.resolve() : new Promise((resolve) => events.once('quiet', resolve));
    },
    waitFor(cond, what, timeoutMs = 20_000) {
      if (cond(emu)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { events.off('request', listener); reject(new Error(`${opts.vendor} emulator: timed out waiting for ${what}`)); }, timeoutMs);
        const listener = () => {
          if (!cond(emu)) return;
          clearTimeout(timer);
          events.off('request', listener);
          resolve();
        };
        events.on('request', listener);
      });
    },
    close: () => new Promise((resolve) => {
      for (const req of hung) req.socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  const server: Server = createServer((req, res) => {
    emu.requests += 1;
    if (opts.hang === true) { hung.push(req); events.emit('request'); return; }
    busy += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const answer = (status: number, headers: Record<string, string | string[]> = {}) => {
          res.writeHead(status, headers).end();
          events.emit('request');
          if (status !== 200) done();
        };
        if (req.socket.remoteAddress?.replace(/^::ffff:/, '') !== (opts.allowFrom ?? '127.0.0.1')) return answer(403);
        if (req.method !== 'POST') return answer(405);
        if (auth !== null) {
          const header = req.headers.authorization;
          const verdict = auth.check('POST', req.url ?? '', header);
          if (!verdict.ok) {
            if (header !== undefined) emu.refused += 1;
            return answer(401, { 'WWW-Authenticate': challenge(opts.vendor, auth) });
          }
        }
        const body = Buffer.concat(chunks).toString('utf8');
        let checked: Checked;
        try {
          checked = await check(req.url ?? '', String(req.headers['content-type'] ?? ''), body, emu);
        } catch (e) {
          emu.invalid.push((e as Error).message);
          return answer(400);
        }
        if (checked.later === undefined) emu.receipts.push({ at: Date.now(), purpose: checked.purpose, body });
        if (checked.screen !== undefined) emu.screen = checked.screen;
        if (checked.led !== undefined) emu.led = checked.led;
        answer(200);
        if (checked.later === undefined) return done();
        try {
          emu.screen = await checked.later();
          emu.receipts.push({ at: Date.now(), purpose: checked.purpose, body });
        } catch (e) {
          emu.invalid.push((e as Error).message);
        }
        events.emit('request');
        done();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  emu.port = (server.address() as AddressInfo).port;
  emu.address = `127.0.0.1:${emu.port}`;
  return emu;
}

/** A port nothing listens on (bound, then released). */
export async function deadAddress(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

// --- Internal helpers ---

/** Yealink's scheme is NOT CONFIRMED: Basic here, so the client's Basic answer is exercised too. */
function challenge(vendor: EmulatorOptions['vendor'], auth: HttpAuth): string {
  const [digest = '', basic = ''] = auth.challenges();
  if (vendor === 'yealink') return basic;
  // Cisco MPP: old-style Digest without qop (RFC 2069), the form createHttpAuth also verifies.
  if (vendor === 'cisco') return digest.replace(/\s*qop="auth",/, '');
  return digest;
}

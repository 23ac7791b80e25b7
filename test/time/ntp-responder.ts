/** @module Test helper: a real SNTP server on 127.0.0.1 (ephemeral port) whose clock is off by a chosen offset. */

import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface NtpResponder {
  /** `127.0.0.1:<port>`, ready for the clock check's server list. */
  server: string;
  /** Requests received so far (answered or not). */
  requests(): number;
  /** Change the responder's clock offset (a server clock that recovers, or our drift that ends). */
  setOffset(ms: number): void;
  close(): Promise<void>;
}

export interface ResponderOptions {
  /** Responder clock minus real clock, ms. */
  offsetMs?: number;
  /** Wait this long before each answer (a slow server or a long path). */
  delayMs?: number;
  /** Answer only the first N requests, then stay silent but bound (0 = a dead server). Default: all. */
  answers?: number;
}

const NTP_UNIX_DELTA_S = 2_208_988_800;

export async function startNtpResponder(opts: ResponderOptions = {}): Promise<NtpResponder> {
  const { answers = Number.POSITIVE_INFINITY, delayMs = 0 } = opts;
  let offsetMs = opts.offsetMs ?? 0;
  const socket = dgram.createSocket('udp4');
  let received = 0;
  const pending = new Set<NodeJS.Timeout>();
  socket.on('message', (msg, rinfo) => {
    const receiveMs = Date.now() + offsetMs;
    received += 1;
    if (received > answers || msg.length < 48) return;
    if (delayMs === 0) return answer(msg, rinfo, receiveMs);
    // Held on the server (receive and transmit stamps apart), so the offset stays exact.
    const timer = setTimeout(() => {
      pending.delete(timer);
      answer(msg, rinfo, receiveMs);
    }, delayMs);
    pending.add(timer);
  });
  function answer(msg: Buffer, rinfo: dgram.RemoteInfo, receiveMs: number): void {
    const out = Buffer.alloc(48);
    out[0] = (0 << 6) | (4 << 3) | 4; // leap 0, version 4, mode 4 (server)
    out[1] = 2; // stratum
    out[2] = 4; // poll
    out[3] = 0xec; // precision
    writeNtpTime(out, 16, receiveMs - 1000); // reference time
    msg.copy(out, 24, 40, 48); // origin := the client's transmit time
    writeNtpTime(out, 32, receiveMs);
    writeNtpTime(out, 40, Date.now() + offsetMs);
    socket.send(out, rinfo.port, rinfo.address);
  }
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    requests: () => received,
    setOffset: (ms) => {
      offsetMs = ms;
    },
    close: () => {
      for (const timer of pending) clearTimeout(timer);
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

function writeNtpTime(buf: Buffer, offset: number, ms: number): void {
  buf.writeUInt32BE((Math.floor(ms / 1000) + NTP_UNIX_DELTA_S) >>> 0, offset);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, offset + 4);
}

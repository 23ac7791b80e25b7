/**
 * Test support: an HTTP/1.1 client over a plain TCP socket that sends exactly the bytes it is given
 * (any byte in the path, a header or the body; broken framing too), keeps the connection alive
 * between requests, and reads the answer with its own small parser, so nothing on the client
 * side cleans up a hostile request before the server sees it.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export type RawResult = { ok: true; response: RawResponse } | { ok: false; reason: string };

const CRLF2 = Buffer.from('\r\n\r\n');

export class RawHttpClient {
  readonly port: number;
  readonly timeoutMs: number;
  #socket: net.Socket | null = null;
  #buffer = Buffer.alloc(0);
  #closed = true;
  #wake: (() => void) | null = null;

  constructor(port: number, timeoutMs = 10_000) {
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Send `bytes` and read one answer. `fresh` sends on a new connection and half-closes it after
   * writing (for requests whose framing is broken on purpose). `head` means no body follows.
   */
  async send(bytes: Buffer, opts: { fresh?: boolean; head?: boolean } = {}): Promise<RawResult> {
    if (opts.fresh === true || this.#closed) await this.#connect();
    const socket = this.#socket as net.Socket;
    this.#buffer = Buffer.alloc(0);
    socket.write(bytes);
    if (opts.fresh === true) socket.end();
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const parsed = parse(this.#buffer, opts.head === true, this.#closed);
      if (parsed !== null) {
        if (parsed.response.headers['connection'] === 'close' || parsed.streaming || opts.fresh === true) this.#drop();
        return { ok: true, response: parsed.response };
      }
      if (this.#closed) return { ok: false, reason: this.#buffer.length === 0 ? 'closed without an answer' : 'closed mid-answer' };
      if (Date.now() > deadline) {
        this.#drop();
        return { ok: false, reason: `no answer within ${this.timeoutMs} ms` };
      }
      await this.#more(deadline - Date.now());
    }
  }

  close(): void {
    this.#drop();
  }

  async #connect(): Promise<void> {
    this.#drop();
    const socket = net.connect(this.port, '127.0.0.1');
    socket.setNoDelay(true);
    this.#socket = socket;
    this.#closed = false;
    socket.on('data', (d: Buffer) => {
      if (this.#socket !== socket) return;
      this.#buffer = Buffer.concat([this.#buffer, d]);
      this.#wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#closed = true;
      this.#wake?.();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  }

  #more(withinMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, withinMs));
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
    });
  }

  #drop(): void {
    this.#socket?.destroy();
    this.#socket = null;
    this.#closed = true;
  }
}

/** One complete answer at the start of `buf` (1xx skipped), or null while more bytes are needed. */
function parse(buf: Buffer, head: boolean, closed: boolean): { response: RawResponse; streaming: boolean } | null {
  let start = 0;
  for (;;) {
    const end = buf.indexOf(CRLF2, start);
    if (end < 0) return null;
    const lines = buf.subarray(start, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = end + 4;
    if (status < 200) {
      start = bodyStart;
      continue;
    }
    const rest = buf.subarray(bodyStart);
    // An event stream does not end: take its headers and drop the connection (a HEAD too, should it stay open).
    if (/text\/event-stream/.test(headers['content-type'] ?? '')) return { response: { status, headers, body: Buffer.alloc(0) }, streaming: true };
    if (head || status === 204 || status === 304) return { response: { status, headers, body: Buffer.alloc(0) }, streaming: false };
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body = dechunk(rest);
      return body === null ? null : { response: { status, headers, body }, streaming: false };
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      const n = Number(length);
      return rest.length < n ? null : { response: { status, headers, body: rest.subarray(0, n) }, streaming: false };
    }
    return closed ? { response: { status, headers, body: rest }, streaming: false } : null;
  }
}

function dechunk(buf: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return buf.indexOf('\r\n', eol + 2) < 0 ? null : Buffer.concat(parts);
    if (buf.length < eol + 2 + size + 2) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

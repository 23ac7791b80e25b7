/**
 * @module AMI framing: an incremental parser from the manager socket's bytes to `Key: Value` messages.
 *
 * The wire format (Asterisk Manager Interface): one banner line `Asterisk Call Manager/x.y.z`, then
 * messages made of `Key: Value` lines, each message ended by an empty line. Asterisk writes CRLF;
 * captures and some proxies use LF, so both are accepted (phones.md §4.1, samples/asterisk/SOURCE).
 * TCP may split a packet anywhere — inside a line, inside a CRLF, inside a UTF-8 character — so
 * lines are cut on the LF byte and decoded only when complete.
 *
 * A hostile or broken peer must not exhaust memory: a line longer than `maxLineBytes` is skipped
 * without being buffered, and a message over `maxMessageBytes` is dropped whole (a half message,
 * e.g. a Hangup without its Uniqueid, is worse than none); both are reported as error frames and
 * parsing resumes at the next empty line.
 */

/** One AMI message: header names as Asterisk sent them. A null-prototype object: `__proto__` is just a key. */
export type AmiMessage = Record<string, string>;

export type AmiFrameError = 'line-too-long' | 'message-too-large' | 'malformed-line';

export type AmiFrame =
  | { type: 'banner'; version: string }
  | { type: 'message'; message: AmiMessage }
  | { type: 'error'; reason: AmiFrameError };

export interface FramingLimits {
  /** Longest accepted line in bytes, without its line end. */
  maxLineBytes: number;
  /** Largest accepted message in bytes (all its lines). */
  maxMessageBytes: number;
}

/**
 * Asterisk's own lines are short (the longest in the captures is ~300 bytes, an RTCP QoS string);
 * 8 KiB leaves room for long channel variables, 64 KiB for a message with many of them.
 */
export const DEFAULT_FRAMING_LIMITS: FramingLimits = { maxLineBytes: 8192, maxMessageBytes: 65536 };

export interface AmiParser {
  /** Feed the next chunk of the stream; returns the frames it completed, in order. */
  push(chunk: Uint8Array): AmiFrame[];
}

/**
 * A header by its documented name (`Linkedid`), or '' when absent. Falls back to a case-insensitive
 * match because spellings drifted across Asterisk versions (`ActionID`/`ActionId`).
 */
export function getField(message: AmiMessage, key: string): string {
  const exact = message[key];
  if (exact !== undefined) return exact;
  const lower = key.toLowerCase();
  for (const k in message) if (k.toLowerCase() === lower) return message[k] ?? '';
  return '';
}

const LF = 0x0a;
const CR = 0x0d;
const BANNER = 'Asterisk Call Manager/';

export function createAmiParser(limits: Partial<FramingLimits> = {}): AmiParser {
  const { maxLineBytes, maxMessageBytes } = { ...DEFAULT_FRAMING_LIMITS, ...limits };
  // Non-fatal: a stray Latin-1 byte in a caller name becomes U+FFFD instead of killing the stream.
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skippingLine = false;
  let message: AmiMessage | null = null;
  let messageBytes = 0;
  let droppingMessage = false;

  function onLine(bytes: Buffer, out: AmiFrame[]): void {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    if (end === 0) {
      if (message !== null && !droppingMessage && Object.keys(message).length > 0) {
        out.push({ type: 'message', message });
      }
      message = null;
      messageBytes = 0;
      droppingMessage = false;
      return;
    }
    const line = decoder.decode(bytes.subarray(0, end));
    if (message === null && !droppingMessage && line.startsWith(BANNER)) {
      out.push({ type: 'banner', version: line.slice(BANNER.length).trim() });
      return;
    }
    if (droppingMessage) return;
    message ??= Object.create(null) as AmiMessage;
    messageBytes += bytes.length + 1;
    if (messageBytes > maxMessageBytes) {
      dropMessage('message-too-large', out);
      return;
    }
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon).trim() : '';
    if (key === '') {
      // e.g. `--END COMMAND--` of the legacy `Response: Follows` (we never send `Command`).
      out.push({ type: 'error', reason: 'malformed-line' });
      return;
    }
    // Only the first colon separates: values such as `Message: Channel: PJSIP/11 …` keep theirs.
    const value = line.slice(colon + 1).replace(/^[ \t]+/, '');
    const previous = message[key];
    // Repeated headers (ChanVariable, Variable) are kept, one per line, in order.
    message[key] = previous === undefined ? value : `${previous}\n${value}`;
  }

  function dropMessage(reason: AmiFrameError, out: AmiFrame[]): void {
    out.push({ type: 'error', reason });
    message = null;
    messageBytes = 0;
    droppingMessage = true;
  }

  return {
    push(chunk) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const out: AmiFrame[] = [];
      let start = 0;
      while (start < buf.length) {
        const lf = buf.indexOf(LF, start);
        const piece = buf.subarray(start, lf === -1 ? buf.length : lf);
        start = lf === -1 ? buf.length : lf + 1;
        if (skippingLine) {
          if (lf !== -1) skippingLine = false;
          continue;
        }
        // +1: the CR of a CRLF may sit in the buffer before its LF arrives.
        if (pendingBytes + piece.length > maxLineBytes + 1) {
          pending = [];
          pendingBytes = 0;
          skippingLine = lf === -1;
          dropMessage('line-too-long', out);
          continue;
        }
        if (lf === -1) {
          // Copy: keeping a subarray would pin the socket's whole chunk in memory.
          pending.push(Buffer.from(piece));
          pendingBytes += piece.length;
          continue;
        }
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        onLine(line, out);
      }
      return out;
    },
  };
}

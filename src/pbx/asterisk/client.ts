/**
 * @module AMI client: one TCP connection to Asterisk's manager port, logged in, feeding the call tracker.
 *
 * Why our own client: the npm AMI clients checked (asterisk-manager 0.2.0, asterisk-ami-client 1.1.5
 * + asterisk-ami-connector, @ipcom/asterisk-ami 0.1.0) are unmaintained or single-release, untyped
 * or loosely typed, and frame incorrectly for us: decoding each TCP chunk as a string (breaks a
 * UTF-8 caller name split across packets), `split(': ', 2)` (drops the rest of a value that
 * contains ': '), CRLF-only message ends, and unbounded buffers. AMI needs ~150 lines; see framing.ts.
 *
 * Connection lifecycle: connect → banner → `Login` (with `Events: call,agent`: channel, dial,
 * bridge, queue and agent events, nothing else) → `connected` → `CoreShowChannels` → events. On a
 * dropped connection: `disconnected`, reconnect after an exponential, capped back-off, forever,
 * until `close()`. A refused Login is `auth-failed` and final: retrying a wrong secret every few
 * seconds only gets our address banned (fail2ban watches AMI logins); a new client must be made
 * with the corrected secret.
 *
 * Calls across a reconnect: the tracker lives as long as the client, so a call open when the
 * connection dropped stays open and is finished once, by its Hangup on the new connection. Right
 * after each Login the client lists the live channels (`CoreShowChannels`): listed channels we did
 * not know are adopted (calls that started while we were away), and channels we knew that are no
 * longer listed hung up while we were away — their calls are finished then, with `endedAt` = the
 * moment the connection was lost (the last moment they were known to exist). If the PBX user may
 * not run CoreShowChannels, such calls are finished by the stale-call sweep (`staleCallMs`).
 * Calls open at `close()` are not emitted: the process is going away and their outcome is unknown.
 */
import net from 'node:net';
import { formatAction } from './action.ts';
import { describeAmiConnection, type AmiConnection } from './ami-url.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { createCallTracker, type CallTrackerOptions } from './call-tracker.ts';
import { createAmiParser, getField, type AmiFrame, type AmiMessage, type FramingLimits } from './framing.ts';
import type { Instant, PbxCall } from '../../domain/types.ts';
import { createLogLimit, type LogLimitOptions } from '../../log-limit.ts';

export type AmiState = 'connecting' | 'connected' | 'disconnected' | 'auth-failed';

export interface AmiStatus {
  state: AmiState;
  /** What last went wrong (connection refused, login refused, Ping unanswered…), never the secret. */
  lastError: string | null;
  /** When `state` last changed. */
  since: Instant;
}

/** Where the client reports; adapt pino with `(level, msg, fields) => logger[level](fields ?? {}, msg)`. */
export type AmiLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface AmiClientOptions {
  connection: AmiConnection;
  /** Every finished call, exactly once. May return a promise; a rejection is logged, not retried. */
  onCall: (call: PbxCall) => void | Promise<void>;
  onStatus?: (status: AmiStatus) => void;
  log?: AmiLog;
  /** The clock (ms); call times come from it. */
  now?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** TCP connect + banner + Login must finish within this. Default 10 s. */
  loginTimeoutMs?: number;
  /** A Ping every this often; one still unanswered at the next tick drops the connection (half-open TCP). Default 30 s. */
  pingIntervalMs?: number;
  /** A call with no event for this long lost its Hangup and is finished. Default 12 h (long calls are quiet). */
  staleCallMs?: number;
  tracker?: CallTrackerOptions;
  limits?: Partial<FramingLimits>;
  /** How many malformed-stream warnings are logged one by one per interval (default 5 per minute), the rest summed up. */
  warnLimit?: Pick<LogLimitOptions, 'first' | 'intervalMs'>;
}

export interface AmiClient {
  /** A copy of the current status. */
  readonly status: AmiStatus;
  /** Calls the tracker holds open right now. */
  readonly openCalls: number;
  /** Stop: log off, close the socket, cancel any reconnect. Resolves when the socket is closed. */
  close(): Promise<void>;
}

/** The `Events:` mask: `call` (Newchannel, Dial*, Bridge*, Hangup, Pickup) and `agent` (Queue*, Agent*). */
const EVENT_MASK = 'call,agent';

export function startAmiClient(options: AmiClientOptions): AmiClient {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const log: AmiLog = options.log ?? (() => undefined);
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const loginTimeoutMs = options.loginTimeoutMs ?? 10_000;
  const pingIntervalMs = options.pingIntervalMs ?? 30_000;
  const staleCallMs = options.staleCallMs ?? 12 * 3_600_000;
  const target = describeAmiConnection(connection);
  const login = { Username: connection.username, Secret: connection.secret, Events: EVENT_MASK };
  formatAction(login); // throws now, at start-up, for a user/secret with a line break

  const tracker = createCallTracker(options.tracker);
  let status: AmiStatus = { state: 'connecting', lastError: null, since: iso(now()) };
  let closed = false;
  let closing: Promise<void> | null = null;
  let socket: net.Socket | null = null;
  let loggedIn = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  /** When the last logged-in connection dropped, until a channel listing has reconciled it. */
  let lostAt: number | null = null;
  let actionSeq = 0;

  // A peer streaming garbage gets its first lines logged, then one count per interval.
  const streamWarnings = createLogLimit({
    ...options.warnLimit, now,
    summary: (reason, suppressed, overMs) => log('warn', `AMI stream: ${suppressed} more ${reason} not logged in the last ${Math.round(overMs / 1000)} s`, { target, reason, suppressed }),
  });

  const sweepTimer = setInterval(() => {
    streamWarnings.flush();
    emit(tracker.expire(now(), staleCallMs));
  }, Math.min(Math.max(staleCallMs, 10), 60_000));
  sweepTimer.unref();

  function setStatus(state: AmiState, lastError: string | null = status.lastError): void {
    const changed = state !== status.state;
    status = { state, lastError, since: changed ? iso(now()) : status.since };
    if (!changed) return;
    try {
      options.onStatus?.({ ...status });
    } catch (err) {
      log('error', 'AMI onStatus callback threw', { target, error: errorText(err) });
    }
  }

  function emit(calls: PbxCall[]): void {
    for (const call of calls) {
      try {
        const done = options.onCall(call);
        if (done instanceof Promise) {
          done.catch((err: unknown) => log('error', 'AMI onCall rejected', { target, pbxCallId: call.pbxCallId, error: errorText(err) }));
        }
      } catch (err) {
        log('error', 'AMI onCall threw', { target, pbxCallId: call.pbxCallId, error: errorText(err) });
      }
    }
  }

  function connect(): void {
    reconnectTimer = null;
    if (closed) return;
    setStatus('connecting');
    const sock = net.connect({ host: connection.host, port: connection.port });
    socket = sock;
    const parser = createAmiParser(options.limits);
    const actionId = (): string => `ringback-${++actionSeq}`;
    const loginId = actionId();
    let phase: 'banner' | 'login' | 'ready' = 'banner';
    let refused = false;
    let lastError: string | null = null;
    let pingId: string | null = null;
    let pingTimer: NodeJS.Timeout | null = null;
    let listing: { id: string; checkpoint: number; live: Set<string> } | null = null;

    const send = (fields: Record<string, string>): void => {
      if (!sock.destroyed) sock.write(formatAction(fields));
    };
    const drop = (reason: string): void => {
      lastError = reason;
      sock.destroy();
    };
    const loginTimer = setTimeout(() => drop(`no AMI login within ${loginTimeoutMs} ms`), loginTimeoutMs);

    const onReady = (m: AmiMessage): void => {
      const id = getField(m, 'ActionID');
      const response = getField(m, 'Response').toLowerCase();
      if (response !== '') {
        if (id === pingId) pingId = null;
        if (listing !== null && id === listing.id && response === 'error') {
          log('warn', 'AMI CoreShowChannels refused; vanished calls will be finished by the stale-call sweep',
            { target, message: getField(m, 'Message') });
          listing = null;
        }
        return;
      }
      if (listing !== null && id === listing.id) {
        const event = getField(m, 'Event');
        if (event === 'CoreShowChannel') listing.live.add(getField(m, 'Uniqueid'));
        if (event === 'CoreShowChannelsComplete') {
          emit(tracker.reconcile(listing.live, listing.checkpoint, lostAt ?? now()));
          listing = null;
          lostAt = null;
          return;
        }
      }
      emit(tracker.handle(m, now()));
    };

    const onFrame = (frame: AmiFrame): void => {
      if (frame.type === 'error') {
        const { reason } = frame;
        streamWarnings.note(reason, () => log('warn', `AMI stream: ${reason}`, { target }));
        return;
      }
      if (frame.type === 'banner') {
        if (phase !== 'banner') return;
        phase = 'login';
        send({ Action: 'Login', ActionID: loginId, ...login });
        return;
      }
      const m = frame.message;
      if (phase === 'banner') return drop('the peer did not greet as Asterisk Call Manager');
      if (phase === 'ready') return onReady(m);
      if (getField(m, 'ActionID') !== loginId || getField(m, 'Response') === '') return;
      if (getField(m, 'Response').toLowerCase() !== 'success') {
        refused = true;
        setStatus('auth-failed', `login refused: ${getField(m, 'Message') || 'no reason given'}`);
        log('error', 'AMI login refused; not retrying until restarted with other credentials', { target });
        sock.destroy();
        return;
      }
      phase = 'ready';
      loggedIn = true;
      attempt = 0;
      clearTimeout(loginTimer);
      setStatus('connected', null);
      log('info', 'AMI connected', { target });
      listing = { id: actionId(), checkpoint: tracker.checkpoint(), live: new Set() };
      send({ Action: 'CoreShowChannels', ActionID: listing.id });
      pingTimer = setInterval(() => {
        if (pingId !== null) return drop(`no answer to Ping within ${pingIntervalMs} ms`);
        pingId = actionId();
        send({ Action: 'Ping', ActionID: pingId });
      }, pingIntervalMs);
      pingTimer.unref();
    };

    sock.setNoDelay(true);
    sock.setKeepAlive(true, 60_000);
    sock.on('data', (chunk: Buffer) => {
      try {
        for (const frame of parser.push(chunk)) {
          if (sock.destroyed) return;
          onFrame(frame);
        }
      } catch (err) {
        // A bug must cost a reconnect, never the process.
        log('error', 'AMI handling failed; reconnecting', { target, error: errorText(err) });
        drop(`internal error: ${errorText(err)}`);
      }
    });
    sock.on('error', (err) => {
      lastError = err.message;
    });
    sock.on('close', () => {
      clearTimeout(loginTimer);
      if (pingTimer !== null) clearInterval(pingTimer);
      if (socket === sock) socket = null;
      if (loggedIn) lostAt ??= now();
      loggedIn = false;
      if (closed) {
        setStatus('disconnected');
        return;
      }
      if (refused) return;
      const delay = backoffDelay(attempt++, backoff);
      setStatus('disconnected', lastError ?? 'connection closed by the PBX');
      log('warn', `AMI disconnected; reconnecting in ${delay} ms`, { target, error: status.lastError });
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  connect();

  return {
    get status() {
      return { ...status };
    },
    get openCalls() {
      return tracker.openCalls;
    },
    close() {
      if (closing !== null) return closing;
      closed = true;
      clearInterval(sweepTimer);
      streamWarnings.flush(true);
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      const sock = socket;
      if (sock === null || sock.destroyed) {
        setStatus('disconnected');
        closing = Promise.resolve();
        return closing;
      }
      closing = new Promise<void>((resolve) => sock.once('close', () => resolve()));
      if (loggedIn) {
        sock.end(formatAction({ Action: 'Logoff', ActionID: `ringback-${++actionSeq}` }));
        // A peer that never closes its side must not hold close() forever.
        setTimeout(() => sock.destroy(), 1000).unref();
      } else {
        sock.destroy();
      }
      return closing;
    },
  };
}

// --- Internal helpers ---

function iso(ms: number): Instant {
  return new Date(ms).toISOString();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

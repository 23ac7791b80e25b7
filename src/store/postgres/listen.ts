/** @module A dedicated connection LISTENing for other instances' commits, reconnecting when it is lost. */
import pg from 'pg';

export const CHANNEL = 'ringback_changes';
/** Waits between reconnection attempts, growing to the last. */
const BACKOFF_MS = [250, 1_000, 2_000, 5_000];

export interface ChangeListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  url: string;
  /** A commit numbered `seq` happened somewhere (payload of the notification). */
  onNotice(seq: number): void;
  /** (Re)connected and listening: whatever was notified while we were away must be read now. */
  onListening(): void;
  log: (msg: string, fields?: object) => void;
}

/**
 * NOTIFY is delivered only to sessions listening at the time, so a lost connection means lost
 * notices: after every (re)connect `onListening` asks the store to read the change log from its
 * last seq. The store also reads it every few seconds, in case a notice never came.
 */
export function listenForChanges(opts: ListenOptions): ChangeListener {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const retry = (): void => {
    if (closed || timer !== null) return;
    const wait = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 5_000;
    failures += 1;
    timer = setTimeout(() => { timer = null; void connect(); }, wait);
    timer.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.url, application_name: 'ringback-listen', keepAlive: true, keepAliveInitialDelayMillis: 5_000 });
    let lost = false;
    const onLost = (err?: Error): void => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      if (!closed) opts.log('store: the change notification connection was lost; reconnecting', { error: err?.message ?? 'ended' });
      c.end().catch(() => undefined);
      retry();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (n) => {
      const seq = Number(n.payload);
      if (n.channel === CHANNEL && Number.isSafeInteger(seq)) opts.onNotice(seq);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      onLost(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (closed) { await c.end().catch(() => undefined); return; }
    client = c;
    failures = 0;
    opts.onListening();
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

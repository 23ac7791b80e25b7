/**
 * @module The change feed behind the dashboard's live updates: the call log reports each durable
 * commit here (`publish`), and every open `/api/live` stream hears what changed.
 *
 * Only identifiers and the team travel through the feed, never caller data: each stream decides
 * what its principal may hear, and the dashboard re-reads the list through the API, which applies
 * team scope and number masking as for any other request.
 */
import type { Change } from '../store/types.ts';

export type LiveEvent =
  | { kind: 'missed'; id: string; team: string; status: string }
  /** A missed call was retracted (a colleague answered within the correlation window) or erased. */
  | { kind: 'missed-removed'; id: string }
  /** A call attempt was recorded or settled (reports count them). */
  | { kind: 'call'; team: string }
  /** A phone's inventory entry or its last sign of life changed. */
  | { kind: 'phone'; mac: string };

export type LiveListener = (events: readonly LiveEvent[]) => void;

export interface LiveFeed {
  /** Hand the changes of one durable commit to every listener; never throws. */
  publish(changes: readonly Change[]): void;
  /** Returns the function that stops listening. */
  subscribe(listener: LiveListener): () => void;
  listeners(): number;
  /** Tells every listener the feed ends (shutdown), so open streams can be closed. */
  close(): void;
  onClose(handler: () => void): () => void;
}

export function createLiveFeed(opts: { onError?: (err: unknown) => void } = {}): LiveFeed {
  const listeners = new Set<LiveListener>();
  const closers = new Set<() => void>();
  return {
    publish(changes) {
      const events = toEvents(changes);
      if (events.length === 0) return;
      for (const listener of listeners) {
        // One broken stream must not keep the others (or the phone's answer) from going on.
        try {
          listener(events);
        } catch (err) {
          opts.onError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    listeners: () => listeners.size,
    close() {
      for (const handler of [...closers]) handler();
      closers.clear();
      listeners.clear();
    },
    onClose(handler) {
      closers.add(handler);
      return () => { closers.delete(handler); };
    },
  };
}

// --- Internal helpers ---

function toEvents(changes: readonly Change[]): LiveEvent[] {
  const events: LiveEvent[] = [];
  const teamsCalled = new Set<string>();
  for (const c of changes) {
    switch (c.t) {
      case 'missed':
        events.push({ kind: 'missed', id: c.v.id, team: c.v.team, status: c.v.status });
        break;
      case 'del-missed':
        events.push({ kind: 'missed-removed', id: c.id });
        break;
      case 'attempt':
        teamsCalled.add(c.v.destination);
        break;
      case 'phone':
        events.push({ kind: 'phone', mac: c.v.mac });
        break;
      case 'del-phone':
        events.push({ kind: 'phone', mac: c.mac });
        break;
      default:
        break;
    }
  }
  for (const team of teamsCalled) events.push({ kind: 'call', team });
  return events;
}

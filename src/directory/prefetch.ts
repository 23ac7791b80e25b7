/**
 * @module Look up a new missed call's caller as soon as it is recorded: the change feed hears each
 * durable commit after the store has it, and `prefetch` never waits, so the phone's
 * acknowledgement is not held up by the directory.
 */
import type { LiveFeed } from '../services/live-feed.ts';
import type { Store } from '../store/types.ts';
import type { CallerNames } from './ldap-names.ts';

export function prefetchNames(live: LiveFeed, store: Pick<Store, 'missedCall' | 'history'>, names: CallerNames): () => void {
  return live.subscribe((events) => {
    for (const e of events) {
      if (e.kind !== 'missed') continue;
      const m = store.missedCall(e.id);
      if (m !== undefined) names.prefetch(m.caller);
      // A change to a closed entry of an older day: history, read without holding up the feed.
      else void store.history.missedCall(e.id).then((old) => old === undefined ? undefined : names.prefetch(old.caller), noop);
    }
  });
}

const noop = (): void => undefined;

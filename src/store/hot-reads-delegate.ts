/** @module The Store's hot reads, answered by whichever StoreReads an engine currently serves them from. */
import type { CallAttempt, MissedCall, Phone, Team } from '../domain/types.ts';
import type { CollectionName, Collections, StoreReads } from './types.ts';

/**
 * Every engine keeps its hot set in memory and answers the synchronous reads of the contract from
 * it: an engine extends this and names the reads object (which it may replace, e.g. after reloading
 * its hot set), instead of restating fifteen one-line delegations.
 */
export abstract class HotReadsDelegate implements StoreReads {
  /** The acknowledged hot set's reads. */
  protected abstract get hotReads(): StoreReads;

  teams(): Team[] { return this.hotReads.teams(); }
  team(id: string): Team | undefined { return this.hotReads.team(id); }
  phones(): Phone[] { return this.hotReads.phones(); }
  phone(mac: string): Phone | undefined { return this.hotReads.phone(mac); }
  phoneByToken(token: string): Phone | undefined { return this.hotReads.phoneByToken(token); }
  attempt(id: string): CallAttempt | undefined { return this.hotReads.attempt(id); }
  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.hotReads.recentAttempts(destination, callerKey, since);
  }
  attemptByPbxId(pbxCallId: string): CallAttempt | undefined { return this.hotReads.attemptByPbxId(pbxCallId); }
  missedCall(id: string): MissedCall | undefined { return this.hotReads.missedCall(id); }
  openMissed(team: string): MissedCall[] { return this.hotReads.openMissed(team); }
  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    return this.hotReads.openMissedByCaller(team, callerKey);
  }
  list<K extends CollectionName>(c: K): Collections[K][] { return this.hotReads.list(c); }
  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined { return this.hotReads.get(c, id); }
  meta<T>(key: string): T | undefined { return this.hotReads.meta<T>(key); }
}

/** @module The read side of a StoreState: what services see of one in-memory state. */
import type { CallAttempt, MissedCall, Phone, Team } from '../domain/types.ts';
import type { CollectionName, Collections, StoreReads } from './types.ts';
import type { StoreState } from './state.ts';

export class StateReads implements StoreReads {
  readonly #state: StoreState;

  constructor(state: StoreState) {
    this.#state = state;
  }

  teams(): Team[] {
    return [...this.#state.teams.values()];
  }

  team(id: string): Team | undefined {
    return this.#state.teams.get(id);
  }

  phones(): Phone[] {
    return [...this.#state.phones.values()];
  }

  phone(mac: string): Phone | undefined {
    return this.#state.phones.get(mac);
  }

  phoneByToken(token: string): Phone | undefined {
    const mac = this.#state.index.macByToken(token);
    const phone = mac === undefined ? undefined : this.#state.phones.get(mac);
    return phone?.token === token ? phone : undefined;
  }

  attempt(id: string): CallAttempt | undefined {
    return this.#state.partitions.attempt(id);
  }

  recentAttempts(destination: string, callerKey: string, since: string): CallAttempt[] {
    return this.#state.index.recentAttempts(destination, callerKey, since);
  }

  attemptByPbxId(pbxCallId: string): CallAttempt | undefined {
    return this.#state.index.attemptByPbxId(pbxCallId);
  }

  missedCall(id: string): MissedCall | undefined {
    return this.#state.partitions.missed(id);
  }

  openMissed(team: string): MissedCall[] {
    return this.#state.index.openMissed(team);
  }

  openMissedByCaller(team: string, callerKey: string): MissedCall | undefined {
    return this.#state.index.openMissedByCaller(team, callerKey);
  }

  list<K extends CollectionName>(c: K): Collections[K][] {
    return [...(this.#state.collections.get(c)?.values() ?? [])] as Collections[K][];
  }

  get<K extends CollectionName>(c: K, id: string): Collections[K] | undefined {
    return this.#state.collections.get(c)?.get(id) as Collections[K] | undefined;
  }

  meta<T>(key: string): T | undefined {
    return this.#state.meta.get(key) as T | undefined;
  }
}

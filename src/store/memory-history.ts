/**
 * @module History reads over a state held entirely in memory: async wrappers over the day
 * partitions, derived values computed on demand. The contract is async because an engine that keeps
 * only the hot days in memory reads the others from disk; this one has them all at hand.
 */
import type { CallAttempt, MissedCall } from '../domain/types.ts';
import type { AttemptQuery, DayDerivation, HistoryReads, MissedQuery, StoreReads } from './types.ts';
import { queryAttempts, queryMissed } from './queries.ts';
import type { StoreState } from './state.ts';

export class MemoryHistory implements HistoryReads {
  /** The acknowledged state: history never shows a change still in flight. */
  readonly #state: StoreState;
  readonly #config: StoreReads;
  readonly #derivations: ReadonlyMap<string, DayDerivation>;
  readonly #revision: () => number;
  /** `name\0day` → the value and the revision it was computed at: any commit makes it stale. */
  readonly #memo = new Map<string, { revision: number; value: unknown }>();

  constructor(state: StoreState, config: StoreReads, derivations: readonly DayDerivation[], revision: () => number) {
    this.#state = state;
    this.#config = config;
    this.#revision = revision;
    const byName = new Map<string, DayDerivation>();
    for (const d of derivations) {
      if (byName.has(d.name)) throw new TypeError(`[ringback] [store] two day derivations named ${d.name}`);
      byName.set(d.name, d);
    }
    this.#derivations = byName;
  }

  missedCall(id: string): Promise<MissedCall | undefined> {
    return Promise.resolve(this.#state.partitions.missed(id));
  }

  attempts(ids: readonly string[]): Promise<Map<string, CallAttempt>> {
    const found = new Map<string, CallAttempt>();
    for (const id of ids) {
      const a = this.#state.partitions.attempt(id);
      if (a !== undefined) found.set(id, a);
    }
    return Promise.resolve(found);
  }

  async* missedCalls(q: MissedQuery): AsyncGenerator<MissedCall> {
    yield* queryMissed(this.#state.partitions, q);
  }

  async* attemptsIn(q: AttemptQuery): AsyncGenerator<CallAttempt> {
    yield* queryAttempts(this.#state.partitions, q);
  }

  days(): Promise<string[]> {
    return Promise.resolve(this.#state.partitions.days());
  }

  /** Days without call data are skipped (their value would be that of no records). */
  async* derived<T>(name: string, days: readonly string[]): AsyncGenerator<{ day: string; value: T }> {
    const d = this.#derivations.get(name);
    if (d === undefined) throw new TypeError(`[ringback] [store] no day derivation named ${name}`);
    for (const day of days) {
      const p = this.#state.partitions.get(day);
      if (p === undefined || (p.attempts.size === 0 && p.missed.size === 0)) continue;
      const key = `${name}\0${day}`;
      const revision = this.#revision();
      let memo = this.#memo.get(key);
      if (memo?.revision !== revision) {
        memo = { revision, value: d.derive(day, [...p.attempts.values()], [...p.missed.values()], this.#config) };
        this.#memo.set(key, memo);
      }
      yield { day, value: memo.value as T };
    }
  }

  /** Forgets the memoised values of days before `day` (retention dropped them). */
  forgetBefore(day: string): void {
    for (const key of this.#memo.keys()) if (key.slice(key.indexOf('\0') + 1) < day) this.#memo.delete(key);
  }
}

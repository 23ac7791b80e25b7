/** @module TEMPORARY: PLAN.md's history contract until src/store/types.ts carries it (then deleted). */
import type { CallAttempt, MissedCall } from '../../domain/types.ts';
import type { Store, StoreReads } from '../types.ts';

export interface Cursor { at: string; id: string }
export interface MissedQuery {
  team?: string; status?: MissedCall['status']; caller?: string; from?: string; to?: string; after?: Cursor;
}
export interface AttemptQuery { destination?: string; from?: string; to?: string; after?: Cursor }
export interface HistoryReads {
  missedCall(id: string): Promise<MissedCall | undefined>;
  attempts(ids: readonly string[]): Promise<Map<string, CallAttempt>>;
  missedCalls(q: MissedQuery): AsyncIterable<MissedCall>;
  attemptsIn(q: AttemptQuery): AsyncIterable<CallAttempt>;
  days(): Promise<string[]>;
  derived<T>(name: string, days: readonly string[]): AsyncIterable<{ day: string; value: T }>;
}
export interface DayDerivation<T = unknown> {
  name: string;
  version: number;
  derive(day: string, attempts: readonly CallAttempt[], missed: readonly MissedCall[], config: StoreReads): T;
}
export interface HistoryStore extends Store { readonly history: HistoryReads }

/** @module The call log service: phone events in, durable changes out, actions on entries. */
import { randomUUID } from 'node:crypto';
import { applyAction, type ActionRequest, type ActionResult } from '../domain/callbacks.ts';
import { correlateEvent } from '../domain/correlate.ts';
import type { CorrelationContext, CorrelationResult } from '../domain/correlation.ts';
import { correlatePbxCall } from '../domain/correlate-pbx.ts';
import type { MissedPolicy, PbxCall, Phone, PhoneEvent, Team } from '../domain/types.ts';
import type { Change, Store } from '../store/types.ts';
import { isCommitConflict } from '../store/conflict.ts';

export interface CallLogOptions {
  store: Store;
  country: string;
  windowSeconds: number;
  policy: MissedPolicy;
  extensionPolicies?: Record<string, Partial<MissedPolicy>>;
  /** Whether a call to a destination at an instant was outside business hours. */
  afterHours?: (team: Team | undefined, at: string) => boolean;
  /** Phone clock minus server clock, ms, or null when the phone's time is unreadable. */
  skewOf?: (phoneTime: string, receivedAt: string) => number | null;
  /** Told each commit's changes once they are durable (the dashboard's live feed); must not throw. */
  onChange?: (changes: readonly Change[]) => void;
}

/** lastSeen is refreshed at most this often per phone, so a busy phone does not double the writes. */
const LAST_SEEN_RESOLUTION_MS = 10_000;
/** Builds of one commit when other instances keep changing the same call first (then: a 503, the phone retries). */
const CONFLICT_TRIES = 8;

export interface CallLog {
  /** Correlate a phone's events and make the result durable; resolves once it is on disk. */
  ingest(phone: Phone, events: PhoneEvent[], ip: string): Promise<void>;
  /**
   * Record that a phone fetched a screen or a provisioning file (lastSeen), with the firmware and
   * model its request named (provisioning reads them off the User-Agent; a model is kept only
   * where the inventory has none).
   */
  touch(phone: Phone, ip: string, via: 'screen' | 'provisioning', at: string, reported?: { firmware?: string; model?: string }): Promise<void>;
  act(id: string, request: ActionRequest): Promise<ActionResult | undefined>;
  /** A finished call as a PBX reports it (AMI, webhook): its verdict wins over phone events. */
  ingestPbxCall(call: PbxCall): Promise<void>;
}

export function createCallLog(opts: CallLogOptions): CallLog {
  const { store } = opts;
  /**
   * Builds the changes from the store's current view and commits them. Several instances on one
   * database: when another committed about the same call first (a ring group's phones reporting
   * to both), the store rejects with a conflict once it holds that commit, and the changes are
   * built again on it, so the call stays ONE attempt and ONE entry. Synchronous up to the commit:
   * a batch's events still see each other in order.
   */
  const commit = async (build: () => Change[]): Promise<void> => {
    for (let tries = 1; ; tries++) {
      const changes = build();
      try {
        await store.commit(changes);
        if (changes.length > 0) opts.onChange?.(changes);
        return;
      } catch (err) {
        if (!isCommitConflict(err) || tries >= CONFLICT_TRIES) throw err;
      }
    }
  };
  const context = (): CorrelationContext => ({
    // In-flight changes included: the events of a ring group arrive together, and each must see the
    // call the one before it started although that is not durable (nor shown) yet.
    view: store.latest(),
    teams: store.teams(),
    country: opts.country,
    windowSeconds: opts.windowSeconds,
    policy: opts.policy,
    extensionPolicies: opts.extensionPolicies ?? {},
    afterHours: (destination, at) => opts.afterHours?.(store.team(destination), at) ?? false,
    newId: randomUUID,
  });

  function seen(phone: Phone, ip: string, via: 'event' | 'screen' | 'provisioning', at: string, extra: Partial<Phone>): Change[] {
    const last = phone.lastSeen;
    // A new address is written at once (push needs it); the way it came (event, screen,
    // provisioning) only with the time: a phone that polls its list and reports calls in turn
    // would otherwise rewrite its record at every request.
    const stale = last === null || last.ip !== ip || Date.parse(at) - Date.parse(last.at) >= LAST_SEEN_RESOLUTION_MS;
    const changed = Object.entries(extra).some(([k, v]) => phone[k as keyof Phone] !== v);
    if (!stale && !changed) return [];
    return [{ t: 'phone', v: { ...phone, ...extra, lastSeen: stale ? { at, ip, via } : last } }];
  }

  return {
    async ingest(phone, events, ip) {
      const pending: Promise<void>[] = [];
      for (const event of events) {
        // Each event is applied (in memory) before the next is correlated, so they see each other.
        pending.push(commit(() => toChanges(correlateEvent(event, phone, context()))));
      }
      const last = events.at(-1);
      if (last !== undefined) {
        const extra: Partial<Phone> = {};
        if (last.firmware !== undefined && last.firmware !== '') extra.firmware = last.firmware;
        if (last.model !== undefined && last.model !== '' && phone.model === '') extra.model = last.model;
        const withTime = events.findLast((e) => e.phoneTime !== null);
        if (withTime?.phoneTime != null && opts.skewOf !== undefined) {
          const skew = opts.skewOf(withTime.phoneTime, withTime.receivedAt);
          if (skew !== null) extra.clockSkewMs = skew;
        }
        pending.push(commit(() => seen(store.latest().phone(phone.mac) ?? phone, ip, 'event', last.receivedAt, extra)));
      }
      await Promise.all(pending);
    },

    async touch(given, ip, via, at, reported) {
      // The whole phone record is rewritten: build on an edit of it still being written, not undo it.
      const build = (): Change[] => {
        const phone = store.latest().phone(given.mac) ?? given;
        const extra: Partial<Phone> = {};
        if (reported?.firmware !== undefined && reported.firmware !== '') extra.firmware = reported.firmware;
        if (reported?.model !== undefined && reported.model !== '' && phone.model === '') extra.model = reported.model;
        return seen(phone, ip, via, at, extra);
      };
      if (build().length > 0) await commit(build);
    },

    async ingestPbxCall(call) {
      await commit(() => toChanges(correlatePbxCall(call, context())));
    },

    async act(id, request) {
      // A closed entry of an older day is history: read it first, then decide on the latest state
      // with no await before the commit (it builds on a key press still being written).
      const old = store.latest().missedCall(id) === undefined ? await store.history.missedCall(id) : undefined;
      let result: ActionResult | undefined;
      await commit(() => {
        const call = store.latest().missedCall(id) ?? old;
        result = call === undefined ? undefined : applyAction(call, request);
        return result?.ok === true && result.changed ? [{ t: 'missed', v: result.call }] : [];
      });
      return result;
    },
  };
}

export function toChanges(r: CorrelationResult): Change[] {
  return [
    ...r.attempts.map((v): Change => ({ t: 'attempt', v })),
    ...r.missed.map((v): Change => ({ t: 'missed', v })),
    ...r.removedMissed.map((id): Change => ({ t: 'del-missed', id })),
  ];
}

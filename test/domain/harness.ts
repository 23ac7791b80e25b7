/** Test harness: the pure correlator over an in-memory view, fed events with explicit times. */
import { correlateEvent } from '../../src/domain/correlate.ts';
import type { CorrelationContext, CorrelationResult } from '../../src/domain/correlation.ts';
import { correlatePbxCall } from '../../src/domain/correlate-pbx.ts';
import { DEFAULT_POLICY } from '../../src/domain/policy.ts';
import type { CallAttempt, EventKind, MissedCall, MissedPolicy, PbxCall, Phone, PhoneEvent, Team } from '../../src/domain/types.ts';

export const T0 = Date.parse('2026-11-26T09:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

export function team(id: string, extensions: string[], extra: Partial<Team> = {}): Team {
  return { id, name: id, extensions, numbers: [], timeZone: 'Europe/Berlin', createdAt: at(-86400), ...extra };
}

export function phone(mac: string, extension: string, teamIds: string[], userName = `User ${extension}`): Phone {
  return {
    mac, vendor: 'yealink', model: 'T46U', label: `Desk ${extension}`, extension, lines: [{ extension }], teamIds,
    token: `tok-${mac}`, userName, lastSeen: null, firmware: null, clockSkewMs: null, createdAt: at(-86400),
  };
}

export class Log {
  readonly attempts = new Map<string, CallAttempt>();
  readonly missed = new Map<string, MissedCall>();
  readonly teams: Team[];
  policy: MissedPolicy = { ...DEFAULT_POLICY };
  windowSeconds = 90;
  #ids = 0;

  constructor(teams: Team[]) {
    this.teams = teams;
  }

  context(): CorrelationContext {
    return {
      view: {
        attemptByPbxId: (id) => [...this.attempts.values()].find((a) => a.pbxCallId === id),
        recentAttempts: (d, k, since) => [...this.attempts.values()]
          .filter((a) => a.destination === d && a.caller.key === k && a.lastEventAt >= since)
          .sort((a, b) => (a.lastEventAt < b.lastEventAt ? 1 : -1)),
        openMissedByCaller: (t, k) => [...this.missed.values()]
          .find((m) => m.team === t && m.caller.key === k && (m.status === 'pending' || m.status === 'assigned')),
        openMissed: (t) => [...this.missed.values()]
          .filter((m) => m.team === t && (m.status === 'pending' || m.status === 'assigned'))
          .sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1)),
        missedCall: (id) => this.missed.get(id),
      },
      teams: this.teams, country: 'DE', windowSeconds: this.windowSeconds, policy: this.policy,
      extensionPolicies: {}, afterHours: () => false, newId: () => `id${++this.#ids}`,
    };
  }

  feed(p: Phone, kind: EventKind, second: number, remote: string, extra: Partial<PhoneEvent> = {}): void {
    const event: PhoneEvent = {
      kind, local: p.extension, remote, remoteName: '', called: '', callRef: '', phoneTime: null,
      receivedAt: at(second), vendor: 'yealink', mac: p.mac, raw: '', ...extra,
    };
    this.#apply(correlateEvent(event, p, this.context()));
  }

  /** A finished PBX call, from `start` to `end` seconds after T0. */
  feedPbx(call: Partial<PbxCall> & { pbxCallId: string; caller: string }, start: number, end: number): void {
    this.#apply(correlatePbxCall({
      callerName: '', called: '', rang: [], answeredBy: null, abandonedInQueue: false, direction: 'inbound',
      startedAt: at(start), endedAt: at(end), ...call,
    }, this.context()));
  }

  #apply(r: CorrelationResult): void {
    // Stored records are frozen: correlation returns new records, and one that changed a record it
    // read (the store's own objects in production) fails every test here with a TypeError.
    for (const a of r.attempts) this.attempts.set(a.id, deepFreeze(a));
    for (const m of r.missed) this.missed.set(m.id, deepFreeze(m));
    for (const id of r.removedMissed) this.missed.delete(id);
  }

  openMissed(): MissedCall[] {
    return [...this.missed.values()].filter((m) => m.status === 'pending' || m.status === 'assigned');
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

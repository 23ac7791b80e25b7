/**
 * @module Troubleshooting: which phones are offline (and what their team missed meanwhile), and which
 * extensions or teams look like a routing or device fault. `report` computes it for the API;
 * `check` (the scheduled job) keeps one incident per outage or fault episode and alerts the admins
 * once, when it opens.
 */
import { phoneDestinations } from '../domain/destination.ts';
import { DEFAULT_FAULT_OPTIONS, extensionFaults, faultScanStart, teamAllMissedFaults, type Fault, type FaultOptions } from '../domain/faults.ts';
import { reconcileIncidents, type Condition, type HealthIncident } from '../domain/incidents.ts';
import { phoneStatus, settlingUntil, type PhoneState } from '../domain/offline.ts';
import type { CallAttempt, LastSeen, Phone } from '../domain/types.ts';
import type { Change, Store } from '../store/types.ts';

export interface PhoneHealthOptions {
  store: Store;
  /** Silence longer than this (ms) means offline. */
  thresholdMs: number;
  /** When this server process started (ISO UTC): the settling window runs from here. */
  startedAt: string;
  /** Receives newly opened incidents (the notifier's admin alerts). */
  alert?: (opened: readonly HealthIncident[], now: Date) => Promise<unknown>;
  faults?: FaultOptions;
  log?: { warn(details: object, message: string): void; info(details: object, message: string): void };
}

export interface PhoneHealthEntry {
  mac: string;
  label: string;
  extension: string;
  teamIds: string[];
  state: PhoneState;
  lastSeen: LastSeen | null;
  offlineSince: string | null;
  /** Offline phones: missed calls of the phone's team(s) since it went silent (newest first, at most 20 ids). */
  missedWhileOffline: { count: number; ids: string[] } | null;
}

export interface PhoneHealthReport {
  checkedAt: string;
  thresholdMinutes: number;
  /** Right after a start silent phones are `settling` until then; null once that is over. */
  settlingUntil: string | null;
  phones: PhoneHealthEntry[];
  /** Just the offline ones (the same entries). */
  offline: PhoneHealthEntry[];
  faults: Fault[];
  /** Open incidents: one per outage or fault episode, alerted once. */
  incidents: HealthIncident[];
}

export interface PhoneHealth {
  report(now: Date): Promise<PhoneHealthReport>;
  /** Opens and closes incidents, alerting on the new ones; returns them. */
  check(now: Date): Promise<{ opened: HealthIncident[]; closed: HealthIncident[] }>;
}

export function createPhoneHealth(opts: PhoneHealthOptions): PhoneHealth {
  const { store } = opts;
  const rule = { thresholdMs: opts.thresholdMs, startedAt: opts.startedAt };
  const faultOptions = opts.faults ?? DEFAULT_FAULT_OPTIONS;
  let running: Promise<{ opened: HealthIncident[]; closed: HealthIncident[] }> | null = null;

  /** A phone may have been offline for days: its missed calls since are read from history. */
  async function entry(phone: Phone, now: string): Promise<PhoneHealthEntry> {
    const status = phoneStatus(phone, rule, now);
    const served = phoneDestinations(phone, store.teams());
    const teamIds = served.teams.map((t) => t.id);
    let missed: PhoneHealthEntry['missedWhileOffline'] = null;
    if (status.offlineSince !== null) {
      const ids: string[] = [];
      let count = 0;
      for (const destination of served.served) {
        for await (const m of store.history.missedCalls({ team: destination, from: status.offlineSince })) {
          count += 1;
          if (ids.length < 20) ids.push(m.id);
        }
      }
      missed = { count, ids };
    }
    return {
      mac: phone.mac, label: phone.label, extension: phone.extension, teamIds, state: status.state, lastSeen: phone.lastSeen,
      offlineSince: status.offlineSince, missedWhileOffline: missed,
    };
  }

  async function report(nowDate: Date): Promise<PhoneHealthReport> {
    const now = nowDate.toISOString();
    const phones: PhoneHealthEntry[] = [];
    for (const p of store.phones()) phones.push(await entry(p, now));
    phones.sort((a, b) => (a.mac < b.mac ? -1 : 1));
    const attempts: CallAttempt[] = [];
    for await (const a of store.history.attemptsIn({ from: faultScanStart(now, faultOptions), to: now })) attempts.push(a);
    const faults = [...extensionFaults(attempts, now, faultOptions), ...teamAllMissedFaults(attempts, store.teams(), now, faultOptions)];
    return {
      checkedAt: now, thresholdMinutes: Math.round(opts.thresholdMs / 60_000), settlingUntil: settlingUntil(rule, now),
      phones, offline: phones.filter((p) => p.state === 'offline'), faults,
      incidents: store.list('healthIncidents').filter((i) => i.closedAt === null),
    };
  }

  async function check(nowDate: Date): Promise<{ opened: HealthIncident[]; closed: HealthIncident[] }> {
    const r = await report(nowDate);
    const conditions: Condition[] = [
      ...r.offline.map((p): Condition => ({
        kind: 'phone-offline', subject: p.mac, episode: p.offlineSince ?? '', since: p.offlineSince ?? r.checkedAt,
        details: { label: p.label, extension: p.extension, ip: p.lastSeen?.ip ?? '', via: p.lastSeen?.via ?? '', teamIds: p.teamIds,
          missedWhileOffline: p.missedWhileOffline?.count ?? 0 },
      })),
      ...r.faults.map((f): Condition => ({
        kind: f.rule, subject: f.subject, episode: '', since: f.since,
        details: { calls: f.calls, missed: f.missed, share: f.share, baselineShare: f.baselineShare, baselineCalls: f.baselineCalls },
      })),
    ];
    const undecided = new Set(r.phones.filter((p) => p.state === 'settling').map((p) => p.mac));
    const changes = reconcileIncidents(store.list('healthIncidents'), conditions, r.checkedAt, undecided);
    const puts: Change[] = [...changes.opened, ...changes.closed, ...changes.updated]
      .map((i) => ({ t: 'put', c: 'healthIncidents', id: i.id, v: i }));
    if (puts.length > 0) await store.commit(puts);
    for (const i of changes.opened) opts.log?.warn({ incident: i.id, since: i.since }, `phone health: ${i.kind} ${i.subject}`);
    for (const i of changes.closed) opts.log?.info({ incident: i.id }, `phone health: ${i.kind} ${i.subject} is over`);
    if (changes.opened.length > 0) await opts.alert?.(changes.opened, nowDate);
    return { opened: changes.opened, closed: changes.closed };
  }

  return {
    report,
    check(now) {
      running ??= check(now).finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/**
 * @module The append-only audit trail: every status change, export, import, privacy request and
 * admin action. Entries are written through the store's journal (durable before the answer goes
 * out) and there is no way to change or delete one: the service has no such method and the API no
 * such route.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { AuditEntry } from './audit-types.ts';
import type { RetentionRun } from './retention.ts';

export interface AuditOptions {
  store: Store;
  now: () => Date;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  team?: string;
  outcome?: AuditEntry['outcome'];
  subject?: string;
  from?: string;
  to?: string;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

const SUBJECT_KEY = 'privacy.subjectKey';

/**
 * Ids carry a sequence so entries written in the same millisecond keep their order. It belongs to
 * the store, not to one audit object, so the API's and the jobs' audit objects never reuse an id.
 */
const sequences = new WeakMap<Store, { seq: number }>();

export function createAudit(opts: AuditOptions) {
  const { store } = opts;
  let counter = sequences.get(store);
  if (counter === undefined) {
    counter = { seq: store.list('audit').length };
    sequences.set(store, counter);
  }
  const sequence = counter;

  async function subjectKey(): Promise<string> {
    // latest(): two first entries at once must not each make (and write) their own key.
    const existing = store.latest().meta<string>(SUBJECT_KEY);
    if (typeof existing === 'string' && existing !== '') return existing;
    const key = randomBytes(32).toString('base64url');
    await store.commit([{ t: 'meta', key: SUBJECT_KEY, value: key }]);
    return key;
  }

  return {
    async record(input: AuditInput): Promise<AuditEntry> {
      sequence.seq += 1;
      const entry: AuditEntry = { id: `au_${String(sequence.seq).padStart(10, '0')}`, at: opts.now().toISOString(), ...input };
      await store.commit([{ t: 'put', c: 'audit', id: entry.id, v: entry }]);
      return entry;
    },

    /**
     * The keyed hash that stands for a caller number in the trail. Keyed (HMAC with a secret kept in
     * the data dir), because a plain hash of a phone number is reversed by trying every number.
     */
    async subjectOf(callerKey: string): Promise<string> {
      return `hmac:${createHmac('sha256', await subjectKey()).update(callerKey).digest('base64url').slice(0, 32)}`;
    },

    /** Matching entries, newest first. */
    *entries(f: AuditFilter): Generator<AuditEntry> {
      const all = store.list('audit');
      for (let i = all.length - 1; i >= 0; i--) {
        const e = all[i];
        if (e === undefined || !matches(e, f)) continue;
        yield e;
      }
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;

/** A retention run that deleted call data, in the trail as the server's own action. */
export async function auditRetention(audit: Audit, run: RetentionRun): Promise<void> {
  await audit.record({
    actor: { kind: 'system', id: 'retention', name: 'retention job', role: null }, ip: null, action: 'retention.run',
    outcome: 'ok', target: { type: 'retention-run', id: run.id }, team: null, subject: null,
    details: { keepDays: run.keepDays, cutoffDay: run.cutoffDay, days: run.days.join(','), attempts: run.attempts, missed: run.missed, openMissed: run.openMissed },
  });
}

// --- Internal helpers ---

function matches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.action !== undefined && e.action !== f.action && !e.action.startsWith(`${f.action}.`)) return false;
  if (f.actor !== undefined && e.actor.id !== f.actor && e.actor.name !== f.actor) return false;
  if (f.target !== undefined && e.target?.id !== f.target) return false;
  if (f.team !== undefined && e.team !== f.team) return false;
  if (f.outcome !== undefined && e.outcome !== f.outcome) return false;
  if (f.subject !== undefined && e.subject !== f.subject) return false;
  if (f.from !== undefined && e.at < f.from) return false;
  if (f.to !== undefined && e.at >= f.to) return false;
  return true;
}

/** @module The audit trail's record: who did what to which thing, when, from where. */
import type { Instant } from '../domain/types.ts';
import type { Role } from './auth-types.ts';

declare module '../store/types.ts' {
  interface Collections {
    audit: AuditEntry;
  }
}

export interface AuditActor {
  /** `system`: a scheduled job of the server itself (retention). */
  kind: 'admin-token' | 'token' | 'user' | 'phone' | 'anonymous' | 'system';
  /** Token id, user id, phone MAC, `admin`; null when unknown (a failed login). */
  id: string | null;
  name: string;
  role: Role | null;
}

/**
 * One audit entry. Entries never hold a caller's number or a secret: a data-protection request is
 * recorded with `subject`, a keyed hash of the number, so the trail can prove an erasure without
 * keeping what was erased.
 */
export interface AuditEntry {
  /** `au_` + a zero-padded sequence: sorts in the order entries were written. */
  id: string;
  at: Instant;
  actor: AuditActor;
  /** `missed-call.assign`, `export.missed-calls`, `contacts.import`, `token.create`, `api.request`… */
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  target: { type: string; id: string } | null;
  /** Team the target belongs to, when it belongs to one (lets managers' actions be reviewed per team). */
  team: string | null;
  ip: string | null;
  /** Keyed hash of a caller number (privacy requests), or null. */
  subject: string | null;
  details: Record<string, string | number | boolean | null>;
}

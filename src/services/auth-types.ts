/** @module Who may do what: roles, the principal a request acts as, and the stored credentials. */
import type { Instant } from '../domain/types.ts';

declare module '../store/types.ts' {
  interface Collections {
    apiTokens: ApiToken;
    users: User;
    sessions: Session;
  }
}

/**
 * admin: everything. manager: reports, exports and the calls of their teams. agent: their teams'
 * calls and the actions on them, nothing else (no export, no reports).
 */
export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Whether caller numbers are shown in full or masked (`+49•••••••56`). Managers see masked numbers
 * by default: their work (reports, exports) needs counts and names, not numbers to dial.
 */
export const NUMBER_ACCESS = ['full', 'masked'] as const;
export type NumberAccess = (typeof NUMBER_ACCESS)[number];

export function defaultNumberAccess(role: Role): NumberAccess {
  return role === 'manager' ? 'masked' : 'full';
}

/** The identity a request acts as, whatever credential it came with. */
export interface Principal {
  kind: 'admin-token' | 'token' | 'user';
  /** Token id, user id, or `admin` for the admin token. */
  id: string;
  /** Shown as the actor in histories and the audit trail. */
  name: string;
  role: Role;
  /** Team ids the principal is limited to; ignored for admins. */
  teams: readonly string[];
  numbers: NumberAccess;
  /** Set when the request came with a session cookie (then unsafe methods need the CSRF token). */
  session: { id: string; csrfToken: string; expiresAt: Instant } | null;
}

/** An API token; the token itself is never stored, only its SHA-256. */
export interface ApiToken {
  /** The first 16 hex digits of the token's SHA-256: the record key and the public id. */
  id: string;
  /** Hex SHA-256 of the whole token, compared in constant time. */
  hash: string;
  name: string;
  role: Role;
  teams: string[];
  numbers: NumberAccess;
  createdAt: Instant;
  createdBy: string;
}

/** A dashboard user. */
export interface User {
  id: string;
  /** Login name, lower case, unique. */
  login: string;
  /** Shown as the actor ("Anna"). */
  name: string;
  role: Role;
  teams: string[];
  numbers: NumberAccess;
  /** `scrypt$N$r$p$salt$hash` (base64url parts), see passwords.ts. */
  passwordHash: string;
  /** Sessions created before this instant are void (password change, disable). */
  sessionsValidAfter: Instant;
  disabled: boolean;
  createdAt: Instant;
}

/** A dashboard session; the cookie value is never stored, only its SHA-256. */
export interface Session {
  /** The first 16 hex digits of the cookie value's SHA-256. */
  id: string;
  hash: string;
  /** What it was opened with: its rights are re-read on every request, so a revoke ends it. */
  source: { kind: 'user'; id: string } | { kind: 'token'; id: string } | { kind: 'admin-token'; fingerprint: string };
  createdAt: Instant;
  expiresAt: Instant;
}

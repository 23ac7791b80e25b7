/**
 * @module Credentials and who they make a request act as: the admin token, API tokens with a role
 * and teams, dashboard users with scrypt passwords, and cookie sessions opened by either.
 * Tokens and session cookies are stored only as SHA-256 hashes; lookups are by a hash prefix and
 * the full hash is compared in constant time.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { describeIssues } from '../domain/issues.ts';
import { loginInput, tokenInput, userInput, userPatch } from './auth-input.ts';
import { defaultNumberAccess, type ApiToken, type Principal, type Session, type User } from './auth-types.ts';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.ts';
import { ok, failure, invalid, notFound, type Result } from '../domain/result.ts';

export interface AuthOptions {
  store: Store;
  adminToken: string;
  now: () => Date;
  /** Session lifetime; a session ends at the latest this long after login. */
  sessionHours?: number;
}

/** What a user looks like in the API: never the password hash. */
export type UserView = Omit<User, 'passwordHash'>;
export type TokenView = Omit<ApiToken, 'hash'>;

export const TOKEN_PREFIX = 'rbk_';
const DEFAULT_SESSION_HOURS = 12;

export function createAuth(opts: AuthOptions) {
  const { store } = opts;
  if (opts.adminToken.length < 16) throw new Error('[ringback] admin token must be at least 16 characters');
  const adminDigest = sha256(opts.adminToken);
  const adminFingerprint = adminDigest.subarray(0, 8).toString('hex');
  const sessionMs = (opts.sessionHours ?? DEFAULT_SESSION_HOURS) * 3_600_000;
  const nowIso = () => opts.now().toISOString();

  const adminPrincipal = (session: Principal['session']): Principal => ({
    kind: 'admin-token', id: 'admin', name: 'admin', role: 'admin', teams: [], numbers: 'full', session,
  });
  const tokenPrincipal = (t: ApiToken, session: Principal['session']): Principal => ({
    kind: 'token', id: t.id, name: t.name, role: t.role, teams: t.teams, numbers: t.numbers, session,
  });
  const userPrincipal = (u: User, session: Principal['session']): Principal => ({
    kind: 'user', id: u.id, name: u.name, role: u.role, teams: u.teams, numbers: u.numbers, session,
  });

  function isAdminToken(token: string): boolean {
    // Hashing first makes the comparison constant-time whatever the lengths.
    return timingSafeEqual(sha256(token), adminDigest);
  }

  function findToken(token: string): ApiToken | undefined {
    const digest = sha256(token);
    const record = store.get('apiTokens', digest.subarray(0, 8).toString('hex'));
    return record !== undefined && timingSafeEqual(Buffer.from(record.hash, 'hex'), digest) ? record : undefined;
  }

  function unknownTeams(ids: readonly string[]): string[] {
    return ids.filter((id) => store.team(id) === undefined);
  }

  function userByLogin(login: string): User | undefined {
    return store.list('users').find((u) => u.login === login);
  }

  async function openSession(source: Session['source'], principal: (s: Principal['session']) => Principal) {
    const token = randomBytes(32).toString('base64url');
    const digest = sha256(token);
    const created = opts.now();
    const session: Session = {
      id: digest.subarray(0, 8).toString('hex'), hash: digest.toString('hex'), source,
      createdAt: created.toISOString(), expiresAt: new Date(created.getTime() + sessionMs).toISOString(),
    };
    // Expired sessions are swept at each login, so the collection stays as small as the live ones.
    const expired = store.list('sessions').filter((s) => s.expiresAt <= session.createdAt);
    await store.commit([...expired.map((s) => ({ t: 'del' as const, c: 'sessions' as const, id: s.id })),
      { t: 'put', c: 'sessions', id: session.id, v: session }]);
    return { cookie: token, principal: principal({ id: session.id, csrfToken: csrfTokenOf(token), expiresAt: session.expiresAt }) };
  }

  return {
    /** The principal of a bearer token (admin token or API token), or null. */
    bearer(token: string): Principal | null {
      if (isAdminToken(token)) return adminPrincipal(null);
      const t = token.startsWith(TOKEN_PREFIX) ? findToken(token) : undefined;
      return t === undefined ? null : tokenPrincipal(t, null);
    },

    /** The principal of a session cookie, or null when unknown, expired or its credential is gone. */
    session(cookie: string): Principal | null {
      if (cookie === '' || cookie.length > 100) return null;
      const digest = sha256(cookie);
      const s = store.get('sessions', digest.subarray(0, 8).toString('hex'));
      if (s === undefined || !timingSafeEqual(Buffer.from(s.hash, 'hex'), digest) || s.expiresAt <= nowIso()) return null;
      const info = { id: s.id, csrfToken: csrfTokenOf(cookie), expiresAt: s.expiresAt };
      switch (s.source.kind) {
        case 'admin-token':
          // A changed admin token ends the sessions opened with the old one.
          return s.source.fingerprint === adminFingerprint ? adminPrincipal(info) : null;
        case 'token': {
          const t = store.get('apiTokens', s.source.id);
          return t === undefined ? null : tokenPrincipal(t, info);
        }
        case 'user': {
          const u = store.get('users', s.source.id);
          return u === undefined || u.disabled || s.createdAt < u.sessionsValidAfter ? null : userPrincipal(u, info);
        }
      }
    },

    /** Checks a login (password or token) and opens a session; null for wrong credentials. */
    async login(body: unknown): Promise<Result<{ cookie: string; principal: Principal } | null>> {
      const p = loginInput.safeParse(body);
      if (!p.success) return invalid('send {"login", "password"} or {"token"}');
      if ('token' in p.data) {
        const token = p.data.token;
        if (isAdminToken(token)) return ok(await openSession({ kind: 'admin-token', fingerprint: adminFingerprint }, adminPrincipal));
        const t = token.startsWith(TOKEN_PREFIX) ? findToken(token) : undefined;
        if (t === undefined) return ok(null);
        return ok(await openSession({ kind: 'token', id: t.id }, (s) => tokenPrincipal(t, s)));
      }
      const user = userByLogin(p.data.login);
      const valid = user === undefined ? await verifyNothing(p.data.password) : await verifyPassword(p.data.password, user.passwordHash);
      if (!valid || user === undefined || user.disabled) return ok(null);
      return ok(await openSession({ kind: 'user', id: user.id }, (s) => userPrincipal(user, s)));
    },

    async logout(sessionId: string): Promise<void> {
      if (store.get('sessions', sessionId) !== undefined) await store.commit([{ t: 'del', c: 'sessions', id: sessionId }]);
    },

    /** A new API token: the token is in this answer only; the store keeps its hash. */
    async createToken(body: unknown, by: string): Promise<Result<{ token: string; record: TokenView }>> {
      const p = tokenInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const unknown = unknownTeams(p.data.teams);
      if (unknown.length > 0) return invalid(`teams: unknown team ${unknown.join(', ')}`);
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const digest = sha256(token);
      const record: ApiToken = {
        id: digest.subarray(0, 8).toString('hex'), hash: digest.toString('hex'), name: p.data.name, role: p.data.role,
        teams: p.data.role === 'admin' ? [] : unique(p.data.teams), numbers: p.data.numbers ?? defaultNumberAccess(p.data.role),
        createdAt: nowIso(), createdBy: by,
      };
      await store.commit([{ t: 'put', c: 'apiTokens', id: record.id, v: record }]);
      return ok({ token, record: tokenView(record) });
    },

    tokens(): TokenView[] {
      return store.list('apiTokens').map(tokenView);
    },

    /** Revoking a token also ends the sessions opened with it (they re-check it on every request). */
    async revokeToken(id: string): Promise<Result<TokenView>> {
      const t = store.get('apiTokens', id);
      if (t === undefined) return notFound('token');
      const sessions = store.list('sessions').filter((s) => s.source.kind === 'token' && s.source.id === id);
      await store.commit([{ t: 'del', c: 'apiTokens', id }, ...sessions.map((s) => ({ t: 'del' as const, c: 'sessions' as const, id: s.id }))]);
      return ok(tokenView(t));
    },

    async createUser(body: unknown): Promise<Result<UserView>> {
      const p = userInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const d = p.data;
      if (userByLogin(d.login) !== undefined) return failure('exists', `login ${d.login} is taken`);
      const unknown = unknownTeams(d.teams);
      if (unknown.length > 0) return invalid(`teams: unknown team ${unknown.join(', ')}`);
      const at = nowIso();
      const user: User = {
        id: randomUUID(), login: d.login, name: d.name ?? d.login, role: d.role, teams: d.role === 'admin' ? [] : unique(d.teams),
        numbers: d.numbers ?? defaultNumberAccess(d.role), passwordHash: await hashPassword(d.password),
        sessionsValidAfter: at, disabled: false, createdAt: at,
      };
      await store.commit([{ t: 'put', c: 'users', id: user.id, v: user }]);
      return ok(userView(user));
    },

    users(): UserView[] {
      return store.list('users').map(userView);
    },

    user(id: string): UserView | undefined {
      const u = store.get('users', id);
      return u === undefined ? undefined : userView(u);
    },

    /** A new password, a role or team change or disabling ends the user's open sessions. */
    async updateUser(id: string, body: unknown): Promise<Result<UserView>> {
      const user = store.get('users', id);
      if (user === undefined) return notFound('user');
      const p = userPatch.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const d = p.data;
      const unknown = unknownTeams(d.teams ?? []);
      if (unknown.length > 0) return invalid(`teams: unknown team ${unknown.join(', ')}`);
      const role = d.role ?? user.role;
      const teams = role === 'admin' ? [] : unique(d.teams ?? user.teams);
      if (role !== 'admin' && teams.length === 0) return invalid('teams: a manager or agent needs at least one team');
      const rightsChanged = d.password !== undefined || d.role !== undefined || d.teams !== undefined || d.disabled === true;
      const next: User = {
        ...user, role, teams,
        ...(d.name === undefined ? {} : { name: d.name }),
        ...(d.numbers === undefined ? {} : { numbers: d.numbers }),
        ...(d.disabled === undefined ? {} : { disabled: d.disabled }),
        ...(d.password === undefined ? {} : { passwordHash: await hashPassword(d.password) }),
        ...(rightsChanged ? { sessionsValidAfter: nowIso() } : {}),
      };
      await store.commit([{ t: 'put', c: 'users', id, v: next }]);
      return ok(userView(next));
    },

    async deleteUser(id: string): Promise<Result<UserView>> {
      const user = store.get('users', id);
      if (user === undefined) return notFound('user');
      const sessions = store.list('sessions').filter((s) => s.source.kind === 'user' && s.source.id === id);
      await store.commit([{ t: 'del', c: 'users', id }, ...sessions.map((s) => ({ t: 'del' as const, c: 'sessions' as const, id: s.id }))]);
      return ok(userView(user));
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * The CSRF token of a session: derived from the cookie value, so it needs no storage and differs
 * per session. Scripts of the dashboard read it from `GET /api/session`; a cross-site page cannot.
 */
export function csrfTokenOf(cookie: string): string {
  return createHmac('sha256', cookie).update('ringback csrf').digest('base64url');
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

// --- Internal helpers ---

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function tokenView(t: ApiToken): TokenView {
  const { hash: _secret, ...view } = t;
  return view;
}

function userView(u: User): UserView {
  const { passwordHash: _secret, ...view } = u;
  return view;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

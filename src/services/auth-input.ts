/** @module What admins may send to create API tokens and users, and what a login carries. */
import { z } from 'zod';
import { NUMBER_ACCESS, ROLES } from './auth-types.ts';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';

const text = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');
const password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(256);
const teams = z.array(z.string().min(1).max(64)).max(50);

/** Managers and agents are limited to teams, so they need at least one; admins ignore teams. */
const needsTeams = (v: { role?: string | undefined; teams?: string[] | undefined }) =>
  v.role === undefined || v.role === 'admin' || (v.teams?.length ?? 0) > 0;
const TEAMS_NEEDED = { message: 'teams: a manager or agent needs at least one team', path: ['teams'] };

export const tokenInput = z.object({
  name: text(100),
  role: z.enum(ROLES),
  teams: teams.default([]),
  numbers: z.enum(NUMBER_ACCESS).optional(),
}).strict().refine(needsTeams, TEAMS_NEEDED);

export const userInput = z.object({
  login: z.string().trim().toLowerCase().regex(/^[a-z0-9._@-]{2,64}$/, 'login: 2-64 of a-z 0-9 . _ @ -'),
  name: text(64).optional(),
  password,
  role: z.enum(ROLES),
  teams: teams.default([]),
  numbers: z.enum(NUMBER_ACCESS).optional(),
}).strict().refine(needsTeams, TEAMS_NEEDED);

export const userPatch = z.object({
  name: text(64),
  password,
  role: z.enum(ROLES),
  teams,
  numbers: z.enum(NUMBER_ACCESS),
  disabled: z.boolean(),
}).partial().strict();

export const loginInput = z.union([
  z.object({ login: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
  z.object({ token: z.string().min(1).max(256) }).strict(),
]);
export type LoginInput = z.infer<typeof loginInput>;

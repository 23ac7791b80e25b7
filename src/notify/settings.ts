/**
 * @module A team's notification settings (`/api/teams/:id/notify`): its time-to-callback target, the
 * escalation ladder's people, the channels new misses are announced to, and the anti-noise rules.
 */
import { z } from 'zod';
import type { QuietHours } from '../domain/quiet-hours.ts';
import { parseQuietHours } from '../domain/quiet-hours.ts';
import type { Recipient } from './types.ts';

declare module '../store/types.ts' {
  interface Collections {
    /** Per team id: escalation targets and who is told (issue 6). */
    notifySettings: TeamNotifySettings;
  }
}

export interface TeamNotifySettings {
  /** The team's id. */
  id: string;
  /** Business minutes a missed call may wait for its callback before the ladder starts. */
  targetMinutes: number;
  /** Business minutes between ladder steps. */
  stepMinutes: number;
  /** Where each settled, unclaimed missed call is announced (a shared inbox, a chat channel, a ticket system). */
  channels: Recipient[];
  /** The team's people by the name they act under on the phones, so a claimer can be reminded. */
  members: Recipient[];
  lead: Recipient | null;
  manager: Recipient | null;
  /** At most one message per recipient per this many minutes. */
  windowMinutes: number;
  /** Daily, in the team's zone; non-urgent messages wait for its end. */
  quietHours: QuietHours | null;
  updatedAt: string;
}

/** What a team without its own values gets (from the configuration). */
export interface NotifyDefaults {
  targetMinutes: number;
  stepMinutes: number;
  windowMinutes: number;
  quietHours: QuietHours | null;
}

const name = z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');
const webhookUrl = z.string().trim().max(2000).refine(isHttpUrl, 'an http:// or https:// URL');
const recipient = z.object({
  name,
  email: z.email().max(254).optional(),
  webhook: webhookUrl.optional(),
}).strict().refine((r) => r.email !== undefined || r.webhook !== undefined, 'a recipient needs an email or a webhook');
const quietHours = z.string().transform((text, ctx) => {
  try {
    return parseQuietHours(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

export const notifySettingsInput = z.object({
  targetMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  stepMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  channels: z.array(recipient).max(20).default([]),
  members: z.array(recipient).max(500).default([]),
  lead: recipient.nullable().default(null),
  manager: recipient.nullable().default(null),
  windowMinutes: z.number().int().min(0).max(24 * 60).optional(),
  /** `HH:MM-HH:MM`, or null for none; absent = the server's default. */
  quietHours: quietHours.nullable().optional(),
}).strict();
export type NotifySettingsInput = z.infer<typeof notifySettingsInput>;

/** Settings from validated input; a masked webhook URL sent back unchanged (same recipient name) keeps the stored one. */
export function buildSettings(teamId: string, input: NotifySettingsInput, defaults: NotifyDefaults,
  previous: TeamNotifySettings | undefined, at: string): TeamNotifySettings {
  const known = new Map<string, string>();
  for (const r of previous === undefined ? [] : allRecipients(previous)) {
    if (r.webhook !== undefined) known.set(`${r.name}|${maskUrl(r.webhook)}`, r.webhook);
  }
  const keep = (r: z.infer<typeof recipient>): Recipient => {
    const webhook = r.webhook === undefined ? undefined : known.get(`${r.name}|${r.webhook}`) ?? r.webhook;
    return { name: r.name, ...(r.email === undefined ? {} : { email: r.email }), ...(webhook === undefined ? {} : { webhook }) };
  };
  return {
    id: teamId,
    targetMinutes: input.targetMinutes ?? defaults.targetMinutes,
    stepMinutes: input.stepMinutes ?? input.targetMinutes ?? defaults.stepMinutes,
    channels: input.channels.map(keep),
    members: input.members.map(keep),
    lead: input.lead === null ? null : keep(input.lead),
    manager: input.manager === null ? null : keep(input.manager),
    windowMinutes: input.windowMinutes ?? defaults.windowMinutes,
    quietHours: input.quietHours === undefined ? defaults.quietHours : input.quietHours,
    updatedAt: at,
  };
}

/** The settings as the API shows them: webhook URLs masked (chat webhooks carry their secret in the path). */
export function settingsView(s: TeamNotifySettings) {
  const mask = (r: Recipient): Recipient => (r.webhook === undefined ? r : { ...r, webhook: maskUrl(r.webhook) });
  return {
    teamId: s.id, targetMinutes: s.targetMinutes, stepMinutes: s.stepMinutes,
    channels: s.channels.map(mask), members: s.members.map(mask),
    lead: s.lead === null ? null : mask(s.lead), manager: s.manager === null ? null : mask(s.manager),
    windowMinutes: s.windowMinutes,
    quietHours: s.quietHours === null ? null : `${s.quietHours.from}-${s.quietHours.to}`,
    updatedAt: s.updatedAt,
  };
}

/** `https://hooks.example.com/services/T0/B0/xyz?x=1` → `https://hooks.example.com/…` */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && u.search === '' ? `${u.protocol}//${u.host}/` : `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}

/** The claimer's own contact: the member whose name matches (case-insensitively) the assignee. */
export function memberNamed(s: TeamNotifySettings, assignee: string): Recipient | undefined {
  const wanted = assignee.trim().toLowerCase();
  return s.members.find((m) => m.name.toLowerCase() === wanted);
}

// --- Internal helpers ---

function allRecipients(s: TeamNotifySettings): Recipient[] {
  return [...s.channels, ...s.members, ...(s.lead === null ? [] : [s.lead]), ...(s.manager === null ? [] : [s.manager])];
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

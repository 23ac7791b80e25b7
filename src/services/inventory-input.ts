/** @module What admins may send for teams and phones (API, CLI and CSV import share these rules). */
import { z } from 'zod';
import { VENDOR_NAMES } from '../domain/types.ts';
import { vendorByName } from '../vendors/index.ts';

/**
 * Control characters (C0, C1, DEL), Unicode line separators and broken surrogates. Each of them could
 * end a line of a phone's config file or vanish in an XML writer, so they are refused at the door.
 */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const safe = (s: string) => !UNSAFE.test(s);
const text = (max: number) => z.string().trim().max(max).refine(safe, 'no control characters or line breaks');
const extension = z.string().trim().regex(/^[0-9*#+]{1,15}$/, 'an extension is 1-15 digits');
const number = z.string().trim().regex(/^\+?[0-9 ()\-./]{1,32}$/, 'a phone number');

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().trim().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'expected a time range HH:MM-HH:MM such as 08:00-17:00');

export const policyInput = z.object({
  minRingSeconds: z.number().int().min(0).max(600),
  countInternal: z.boolean(),
  countAnonymous: z.boolean(),
  internalMaxDigits: z.number().int().min(1).max(15),
}).partial().strict();

export const businessHoursInput = z.object({
  weekly: z.record(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(hhmm).max(8)),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD such as 2026-12-24')).max(400).default([]),
}).strict();

export const teamInput = z.object({
  name: text(100).min(1),
  extensions: z.array(extension).max(500).default([]),
  numbers: z.array(number).max(100).default([]),
  timeZone: timeZone.optional(),
  policy: policyInput.optional(),
  businessHours: businessHoursInput.optional(),
}).strict();
export type TeamInput = z.infer<typeof teamInput>;
/**
 * A PATCH changes only what it names. Written out rather than `teamInput.partial()`: zod keeps a
 * field's `.default([])` through `.partial()`, so a PATCH of one field used to wipe the team's
 * extensions and numbers. `businessHours: null` removes the hours (the team counts as always open).
 */
export const teamPatch = z.object({
  name: text(100).min(1),
  extensions: z.array(extension).max(500),
  numbers: z.array(number).max(100),
  timeZone,
  policy: policyInput,
  businessHours: businessHoursInput.nullable(),
}).partial().strict();

export const macInput = z.string().trim().transform((s) => s.toLowerCase().replace(/[:\-.]/g, ''))
  .refine((s) => /^[0-9a-f]{12}$/.test(s), 'a MAC address is 12 hex digits');

// The registry knows the aliases (polycom = poly).
const vendorInput = z.string().trim().transform((v) => vendorByName(v)?.name ?? v).pipe(z.enum(VENDOR_NAMES));

export const lineInput = z.object({
  extension,
  sipUser: text(64).optional(),
  // Config formats cannot keep leading or trailing blanks of a value; a password that loses them fails at the PBX.
  sipPassword: z.string().max(128).refine(safe, 'no control characters or line breaks')
    .refine((p) => p.trim() === p, 'no leading or trailing blanks').optional(),
  sipServer: text(253).optional(),
}).strict();

/**
 * Push settings (issue 14). The password goes into the phone's config and a URL-less HTTP auth
 * exchange: only characters no config format or header needs to quote. Write-only.
 */
export const pushInput = z.object({
  address: z.string().trim().regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/, 'host or host:port').nullable(),
  password: z.string().regex(/^[A-Za-z0-9._~+=,!*^-]{8,64}$/, '8-64 of A-Z a-z 0-9 . _ ~ + = , ! * ^ -').nullable(),
  enabled: z.boolean(),
}).partial().strict();
export type PushInput = z.infer<typeof pushInput>;

export const phoneInput = z.object({
  mac: macInput,
  vendor: vendorInput,
  model: text(64).default(''),
  label: text(100).default(''),
  userName: text(64).optional(),
  extension: extension.optional(),
  lines: z.array(lineInput).max(16).optional(),
  teamIds: z.array(z.string().max(64)).max(50).default([]),
  push: pushInput.optional(),
}).strict().refine((p) => p.extension !== undefined || (p.lines?.length ?? 0) > 0, 'an extension (or lines) is required');
export type PhoneInput = z.infer<typeof phoneInput>;

export const phonePatch = z.object({
  vendor: vendorInput,
  model: text(64),
  label: text(100),
  userName: text(64),
  extension,
  lines: z.array(lineInput).max(16),
  teamIds: z.array(z.string().max(64)).max(50),
  push: pushInput,
}).partial().strict();
export type PhonePatch = z.infer<typeof phonePatch>;

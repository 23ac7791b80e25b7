/** @module What may be sent for a contact (API and CSV import share these rules). */
import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');
const number = z.string().trim().min(1).max(40).regex(/^\+?[0-9 ()\-./*#]+$/, 'a phone number (digits, spaces, + ( ) - . /)');

export const contactInput = z.object({
  name: text(128).min(1),
  company: text(128).default(''),
  numbers: z.array(number).min(1, 'at least one number').max(10),
  crmId: text(128).default(''),
  vip: z.boolean().default(false),
}).strict();
export type ContactInput = z.infer<typeof contactInput>;

export const contactPatch = z.object({
  name: text(128).min(1),
  company: text(128),
  numbers: z.array(number).min(1, 'at least one number').max(10),
  crmId: text(128),
  vip: z.boolean(),
}).partial().strict();
export type ContactPatch = z.infer<typeof contactPatch>;

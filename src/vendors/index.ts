/** @module The vendor registry: one adapter per phone brand, looked up by name or User-Agent. */
import type { VendorName } from '../domain/types.ts';
import type { VendorAdapter } from './types.ts';
import { cisco } from './cisco/index.ts';
import { fanvil } from './fanvil/index.ts';
import { grandstream } from './grandstream/index.ts';
import { poly } from './poly/index.ts';
import { snom } from './snom/index.ts';
import { yealink } from './yealink/index.ts';

export const vendors = { yealink, poly, cisco, snom, grandstream, fanvil } satisfies Record<VendorName, VendorAdapter>;

/** Names that mean a vendor without being its key: Poly was Polycom until 2019. */
const ALIASES: Readonly<Record<string, VendorName>> = { polycom: 'poly' };

/** The adapter for a vendor name as it appears in a path or config (any case, `polycom` = `poly`). */
export function vendorByName(name: string): VendorAdapter | undefined {
  if (typeof name !== 'string') return undefined;
  const key = name.trim().toLowerCase();
  const vendor = Object.hasOwn(ALIASES, key) ? ALIASES[key] : key;
  return vendor !== undefined && Object.hasOwn(vendors, vendor) ? vendors[vendor as VendorName] : undefined;
}

/** The adapter whose phones send this User-Agent, if any (a hint: phones are identified by token). */
export function vendorForUserAgent(userAgent: string): VendorAdapter | undefined {
  return Object.values(vendors).find((v) => v.detect(userAgent));
}

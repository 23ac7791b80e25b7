/**
 * @module Which way a call went, guessed from what AMI shows of it.
 *
 * Asterisk has no "direction" field; the dialplan context a channel starts in and the kind of
 * endpoint behind it are the usual tells. These are heuristics (phones.md §4.1 says as much of the
 * group-wise missed rule), so the inputs are explicit and the rules are few:
 *  1. the first channel started in an inbound context (FreePBX: `from-trunk`, `from-pstn`,
 *     `from-did-direct`, `ext-did`…) → `inbound`;
 *  2. the first channel is not an extension (a trunk endpoint, or unknown) → `inbound`;
 *  3. the caller is an extension and a trunk was dialled, or the dialled number is a plain number
 *     too long for an extension → `outbound`;
 *  4. otherwise (extension → extension, ring group, queue, feature code) → `internal`.
 */
import type { PbxCall } from '../../domain/types.ts';

export interface DirectionFacts {
  /** Endpoint of the call's first channel (`1986` for `PJSIP/1986-0000001f`), null when unseen. */
  originEndpoint: string | null;
  /** Dialplan context the first channel started in. */
  originContext: string;
  /** The number dialled. */
  called: string;
  /** Whether any dialled leg went to a non-extension endpoint (a trunk). */
  dialledTrunk: boolean;
}

export interface DirectionRules {
  isExtension: (endpointOrNumber: string) => boolean;
  inboundContext: RegExp;
}

/** FreePBX's inbound contexts and the common hand-written names. */
export const DEFAULT_INBOUND_CONTEXT = /^(from-(trunk|pstn|did|did-direct|external|sip-external|provider)|ext-did)(-|$)/i;

/** Extensions are short digit strings (the domain's `internalMaxDigits` default is 6). */
export const defaultIsExtension = (s: string): boolean => /^[0-9]{1,6}$/.test(s);

export function classifyDirection(facts: DirectionFacts, rules: DirectionRules): PbxCall['direction'] {
  if (rules.inboundContext.test(facts.originContext)) return 'inbound';
  if (facts.originEndpoint === null || !rules.isExtension(facts.originEndpoint)) return 'inbound';
  if (facts.dialledTrunk) return 'outbound';
  const digits = facts.called.replace(/^\+/, '');
  if (/^[0-9]+$/.test(digits) && !rules.isExtension(facts.called)) return 'outbound';
  return 'internal';
}

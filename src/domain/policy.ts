/** @module What counts as a missed call: one policy, overridable per team and per extension. */
import { isInternalNumber } from './numbers.ts';
import type { CallOutcome, MissedPolicy, PhoneNumber } from './types.ts';

export const DEFAULT_POLICY: MissedPolicy = {
  minRingSeconds: 5,
  countInternal: false,
  countAnonymous: true,
  internalMaxDigits: 6,
};

export interface PolicySources {
  defaults: MissedPolicy;
  team?: Partial<MissedPolicy> | undefined;
  extension?: Partial<MissedPolicy> | undefined;
}

/** Extension overrides team overrides defaults: the most specific owner decides. */
export function effectivePolicy(p: PolicySources): MissedPolicy {
  return { ...p.defaults, ...p.team, ...p.extension };
}

export interface Verdict {
  outcome: Extract<CallOutcome, 'missed' | 'abandoned-short' | 'not-counted'>;
  rule: string;
}

/** Classify an unanswered call, in words a team lead can check. */
export function classifyUnanswered(
  caller: PhoneNumber,
  ringSeconds: number | null,
  rang: string[],
  policy: MissedPolicy,
): Verdict {
  if (caller.key === '' && !policy.countAnonymous)
    return { outcome: 'not-counted', rule: 'anonymous caller: not counted by policy' };
  if (isInternalNumber(caller, policy.internalMaxDigits) && !policy.countInternal)
    return { outcome: 'not-counted', rule: `internal caller ${caller.key}: not counted by policy` };
  if (ringSeconds !== null && ringSeconds < policy.minRingSeconds)
    return {
      outcome: 'abandoned-short',
      rule: `caller hung up after ${ringSeconds} s, under the ${policy.minRingSeconds} s minimum ring time`,
    };
  const where = rang.length > 0 ? `rang ${rang.join(', ')}` : 'rang';
  const time = ringSeconds === null ? '' : ` for ${ringSeconds} s`;
  return { outcome: 'missed', rule: `no one answered: ${where}${time}` };
}

/**
 * @module Cisco: the phones push no call events over HTTP, neither CUCM nor MPP/3PCC firmware
 * (phones.md §3.4, [CISCO-TAPI], [CISCO-6800-156]); Cisco missed calls come from the PBX (§4).
 * Any request that claims to be a Cisco event is refused.
 */
import type { ParseEvent } from '../types.ts';

export const parseEvent: ParseEvent = () => ({
  ok: false,
  reason: 'Cisco phones send no call events; missed calls come from the PBX',
});

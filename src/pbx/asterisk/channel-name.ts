/** @module Asterisk channel names → the endpoint (extension or trunk) behind them. */

export interface ChannelEndpoint {
  /** Channel technology: `PJSIP`, `SIP`, `IAX2`, `Local`, `DAHDI`… */
  tech: string;
  /** The endpoint: `11` for `PJSIP/11-00000020`, `11` for `Local/11@from-queue-0000002a;1`, `provider` for a trunk. */
  endpoint: string;
}

/**
 * Asterisk names a channel `<tech>/<endpoint>-<sequence>` (the sequence is hex, e.g.
 * `PJSIP/11-00000020` in samples/asterisk) and a Local channel `Local/<exten>@<context>-<seq>;<1|2>`
 * (FreePBX queues and follow-me dial `Local/11@from-queue/n`). Returns null for what is not a channel
 * name. Masquerade suffixes (`<ZOMBIE>`, `<MASQ>`) are ignored.
 */
export function parseChannelName(name: string): ChannelEndpoint | null {
  const m = /^([A-Za-z0-9_]+)\/(.+)$/.exec(name.replace(/<[A-Z]+>$/, '').trim());
  if (m === null) return null;
  const tech = m[1] ?? '';
  let rest = m[2] ?? '';
  if (tech.toLowerCase() === 'local') {
    rest = rest.split('@')[0] ?? '';
  } else {
    rest = rest.replace(/-[0-9a-fA-F]+$/, '');
  }
  return rest === '' ? null : { tech, endpoint: rest };
}

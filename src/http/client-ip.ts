/** @module The caller's address and the optional allow-list of networks. */
import { BlockList, isIPv4 } from 'node:net';

/** The peer's address (an Express request or a bare node one: the phones' front route has no Express). */
export function clientIp(req: { socket: { remoteAddress?: string | undefined } }): string {
  const ip = req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** An allow-list from CIDRs; empty = everyone (phones on a flat office network). */
export function allowList(cidrs: readonly string[]): (ip: string) => boolean {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const c of cidrs) {
    const [net = '', bits = ''] = c.split('/');
    list.addSubnet(net, Number(bits), isIPv4(net) ? 'ipv4' : 'ipv6');
  }
  return (ip) => ip !== '' && list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
}

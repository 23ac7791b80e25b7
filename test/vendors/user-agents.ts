/** User-Agent strings as real phones send them, by vendor (phones.md §1.9, §5; FusionPBX provision/index.php). */
import type { VendorName } from '../../src/domain/types.ts';

export const USER_AGENTS: Record<VendorName, string[]> = {
  yealink: [
    'Yealink SIP-T46U 108.86.0.20 80:5e:c0:12:34:56',
    'Yealink SIP-T54W 96.86.0.70 805ec0abcdef',
    'Yealink SIP-T23G 44.84.0.140 00:15:65:aa:bb:cc',
  ],
  poly: [
    'PolycomVVX-VVX_410-UA/5.9.0.9373',
    'PolycomSoundPointIP-SPIP_331-UA/4.0.15.1009',
    'PolyEdge-Edge_E450-UA/8.0.2.3267',
    'Poly/CCX_500 8.0.0.10000',
  ],
  cisco: [
    'Cisco-CP8841-3PCC/11.3.7',
    'Cisco/SPA504G-7.6.2c',
    'Cisco-CP-7841-3PCC/11.2.3',
  ],
  snom: [
    'Mozilla/4.0 (compatible; snom870-SIP 8.7.5.35 1.1.5-IFX-05.01.12)',
    'Mozilla/4.0 (compatible; snomD785-SIP 10.1.54.13 010.1.54.13 000413abcdef)',
  ],
  grandstream: [
    'Grandstream Model HW GXP2170 SW 1.0.11.3 DevId 000b82123456',
    'Grandstream GRP2614 1.0.5.15 000b82abcdef',
  ],
  fanvil: ['Fanvil X4U 2.12.2 0c383e123456', 'Fanvil X3SG 2.4.1 0c383e654321'],
};

/** User-Agents that are no phone of ours. */
export const FOREIGN_USER_AGENTS = [
  '',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/8.5.0',
  'Polygon-Crawler/1.0',
  'Wget/1.21',
];

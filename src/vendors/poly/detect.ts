/**
 * @module Poly/Polycom phones by User-Agent: `PolycomVVX-VVX_410-UA/5.9.0…`,
 * `PolycomSoundPointIP-SPIP_331-UA/…`, and the post-2019 `Poly…` brand (`PolyEdge-Edge_E450-UA/…`).
 * "Poly" alone must be followed by a separator or a product family, so `Polygon-…` is not a phone.
 */

export function detect(userAgent: string): boolean {
  if (typeof userAgent !== 'string') return false;
  return /\bpolycom/i.test(userAgent) || /^\s*poly(?:edge|vvx|ccx|trio|studio)?[-/_ ]/i.test(userAgent);
}

/** Test support: a seeded generator (a failure names its seed, so it can be replayed exactly) and hostile text. */

export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

/** mulberry32: tiny, fast, and good enough to spread test inputs. */
export function rng(seed: number): Random {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}

/** The seed of a run: `RINGBACK_TEST_SEED` replays a failure, otherwise `fallback`. */
export function seedFrom(fallback: number): number {
  const given = Number(process.env['RINGBACK_TEST_SEED']);
  return Number.isSafeInteger(given) && given > 0 ? given : fallback;
}

/** Pieces that break XML writers: entity and CDATA look-alikes, markup, quotes, controls, odd code points. */
export const XML_TRAPS = [
  '&#0;', '&nbsp;', '&#x1F;', '&amp;', '&lt;', '&#38;', '&#x26;', '&', '&&', '&;', '&#;', '&#xD800;', '&#65535;', '&lol;',
  '<![CDATA[', ']]>', '<!--', '-->', '<?xml?>', '<!DOCTYPE x>', '<b>', '</MenuItem>', '<', '>', '"', "'", '="', '\\',
  '\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001B[2J', '\u001F', '\u007F', '\u0085', '\u009F', '\t', '\n', '\r',
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFFFF', '\uFEFF', '\u202E', '\u2028', '\u2066', '\u200D',
  '👩‍👩‍👧‍👦', '🇩🇪', 'שלום', 'مرحبا', 'Ä', 'e\u0301', '%00', '%26', '$remote', 'Anna', ' ', '  ',
];

/** A generated string of trap pieces and plain letters, up to `max` pieces long. */
export function trapText(r: Random, max = 12): string {
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += r.next() < 0.7 ? r.pick(XML_TRAPS) : String.fromCharCode(0x41 + r.int(26));
  return s;
}

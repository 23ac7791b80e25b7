/**
 * @module Make a screen fit a vendor's limits before rendering: cut title and labels, keep at most
 * `maxItems` items, and shrink the list (or text) until the rendered object fits `maxBytes`.
 * The screen builders page already; this is the defensive last cut.
 */
import type { ListScreen, Screen, ScreenLimits, TextScreen } from '../../screens/model.ts';
import { cutLabel, stripControls } from './text.ts';

/** Softkey labels: no vendor documents a limit; 8–10 characters fit every screen seen (phones.md §1.5). */
export const SOFTKEY_LABEL_CHARS = 10;

export interface Renderers {
  list: (screen: ListScreen) => string;
  text: (screen: TextScreen) => string;
}

export interface FitOptions {
  /** Most characters of all text lines together (Cisco `Text` ≤ 4000 per the XSD). */
  maxTextChars?: number;
}

/** Render `screen` with the vendor's renderers so that the result respects `limits`. */
export function renderFitted(screen: Screen, limits: ScreenLimits, render: Renderers, opts: FitOptions = {}): string {
  const title = cutLabel(screen.title ?? '', limits.maxTitleChars);
  const softkeys = (screen.softkeys ?? []).map((k) => ({ ...k, label: cutLabel(k.label ?? '', SOFTKEY_LABEL_CHARS) }));
  if (screen.kind === 'list') {
    const items = (screen.items ?? []).slice(0, Math.max(0, limits.maxItems)).map((item) => ({
      ...item,
      label: cutLabel(item.label ?? '', limits.maxLabelChars),
    }));
    const build = (n: number): string => render.list({ kind: 'list', title, softkeys, items: items.slice(0, n) });
    return largestFitting(items.length, build, limits.maxBytes);
  }
  const lines = (screen.lines ?? []).map((line) => stripControls(line.slice(0, limits.maxBytes)).trim());
  const total = Math.min(lines.reduce((n, l) => n + l.length + 1, 0), opts.maxTextChars ?? limits.maxBytes);
  const build = (budget: number): string => render.text({ kind: 'text', title, softkeys, lines: budgetLines(lines, budget) });
  return largestFitting(total, build, limits.maxBytes);
}

/**
 * The output of `build(n)` for the largest `n` in [0, max] whose UTF-8 size is ≤ `maxBytes`
 * (binary search: output size grows with n). `build(0)` is returned even when it is too big.
 */
export function largestFitting(max: number, build: (n: number) => string, maxBytes: number): string {
  const full = build(max);
  if (Buffer.byteLength(full, 'utf8') <= maxBytes) return full;
  let lo = 0;
  let hi = max - 1;
  let best = build(0);
  if (Buffer.byteLength(best, 'utf8') > maxBytes) return best;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const out = build(mid);
    if (Buffer.byteLength(out, 'utf8') <= maxBytes) {
      lo = mid;
      best = out;
    } else hi = mid - 1;
  }
  return best; // best is always build(lo)
}

/**
 * Keep lines in order until `budget` characters are used, counting one separator per line (the
 * '\n' a renderer puts between them); the last kept line is cut with '…'.
 */
function budgetLines(lines: string[], budget: number): string[] {
  const out: string[] = [];
  let left = budget;
  for (const line of lines) {
    if (left <= 1) break;
    if (line.length + 1 <= left) {
      out.push(line);
      left -= line.length + 1;
    } else {
      out.push(cutLabel(line, left - 1));
      break;
    }
  }
  return out;
}

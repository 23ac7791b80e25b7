/**
 * Test support: the vendor samples in the read-only `shared/` folder beside the repository (there
 * in CI too). A git worktree one folder deeper (`wt/<name>`) finds the same folder one level up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['../../../shared/samples/', '../../../../shared/samples/'].map((p) => new URL(p, import.meta.url));

export const SAMPLES = CANDIDATES.find((u) => existsSync(fileURLToPath(u))) ?? CANDIDATES[0]!;

export function sample(path: string): string {
  return readFileSync(new URL(path, SAMPLES), 'utf8');
}

/** Test support: the vendor samples in the read-only `shared/` folder beside the repository (there in CI too). */
import { readFileSync } from 'node:fs';

export const SAMPLES = new URL('../../../shared/samples/', import.meta.url);

export function sample(path: string): string {
  return readFileSync(new URL(path, SAMPLES), 'utf8');
}

/**
 * The data dir `bench:scale` measures: N calls over 30 days seeded once through the store contract
 * (bench/seed.ts), then kept under bench/.cache/ keyed by the counts and the day file format (a seed
 * of an older format is not measured as if it were the current one), since seeding 1M takes minutes.
 * A marker written after the store closed says the seed finished; a dir without it is re-seeded.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seed } from './seed.ts';
import { productionEnv } from './scale-server.ts';
import { storeDerivations } from '../src/compose.ts';
import { DAY_FORMAT } from '../src/store/embedded/day-file.ts';

export interface Seeded {
  dir: string;
  calls: number;
  open: number;
  /** The seeded window (ISO): calls are spread evenly from `from` to `to`. */
  from: string;
  to: string;
  /** How long seeding took, when it happened in this run (null: cached). */
  seededMs: number | null;
}

const CACHE = join(import.meta.dirname, '.cache');
const MARKER = 'bench-seeded.json';

type Marker = Omit<Seeded, 'dir' | 'seededMs'>;

export async function seededDir(calls: number, open: number, log: (line: string) => void): Promise<Seeded> {
  // `-d`: seeded with the server's derivations (the report's per-day values, as a server's snapshots write them).
  const dir = join(CACHE, `scale-${calls}-${open}-f${DAY_FORMAT}-d`);
  const cached = await readMarker(dir);
  if (cached !== null) return { ...cached, dir, seededMs: null };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`seeding ${calls.toLocaleString('en')} calls (${open.toLocaleString('en')} open) into ${dir} …`);
  const began = Date.now();
  const to = new Date().toISOString();
  await seed(dir, calls, open, storeDerivations(productionEnv(dir)));
  const marker: Marker = { calls, open, from: new Date(Date.parse(to) - 30 * 86_400_000).toISOString(), to };
  await writeFile(join(dir, MARKER), `${JSON.stringify(marker)}\n`);
  return { ...marker, dir, seededMs: Date.now() - began };
}

async function readMarker(dir: string): Promise<Marker | null> {
  try {
    return JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
}

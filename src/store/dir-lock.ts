/** @module One server per data directory: two writers would interleave the journal and tear snapshots. */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirLock {
  release(): Promise<void>;
}

/**
 * Takes `<dir>/.lock` (holding our pid). A lock left by a process that no longer runs (kill -9,
 * power loss) is taken over; one held by a live process is an error naming its pid.
 */
export async function lockDir(dir: string): Promise<DirLock> {
  const file = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.sync();
      await fh.close();
      return { release: () => rm(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new Error(`${dir} is in use by another Ringback process (pid ${pid}); stop it first`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

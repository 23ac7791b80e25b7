/** @module A secret generated on first start and kept in the data dir (mode 0600), like the admin token. */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';

/** Reads the secret kept in `file`, or creates one (durably: temp file, fsync, rename). */
export async function keptSecret(file: string): Promise<string> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length >= 16) return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${secret}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return secret;
}

/** The embedded (lowdb) engine on the store conformance suite, with its own crash image and torn journal tail. */
import { appendFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { testStore } from './conformance.ts';
import { crashImage, tempDir } from './fixtures.ts';

testStore('embedded (lowdb)', {
  async create() {
    const { dir, done } = await tempDir();
    return { location: dir, drop: done };
  },
  open: (dir, opts = {}) => openStore({ dir, ...(opts.derivations === undefined ? {} : { derivations: opts.derivations }) }),
  async crashImage(dir) {
    const copy = await crashImage(dir);
    return { location: copy, drop: () => rm(copy, { recursive: true, force: true }) };
  },
  // Half a journal line without its newline, as a crash in the middle of an append leaves it: at the
  // end of the newest segment, or as a new segment's first bytes when the last close cut the journal.
  async corruptTail(dir) {
    const journal = join(dir, 'journal');
    const segments = (await readdir(journal)).filter((n) => /^\d+\.ndjson$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const last = segments.at(-1) ?? '1.ndjson';
    await appendFile(join(journal, last), '{"t":"missed","v":{"id":"m-torn","caller":{"ke');
  },
});

/** The PostgreSQL engine on the store conformance suite, against a real PostgreSQL 15 started for this file. */
import { after, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { postgresMissing, startPostgres, type Postgres } from '../support/postgres.ts';
import { testStore } from './conformance.ts';

const missing = await postgresMissing();
if (missing !== null) {
  test('the PostgreSQL store keeps the store contract', { skip: missing }, () => undefined);
} else {
  let server: Promise<Postgres> | undefined;
  let n = 0;
  after(async () => { await (await server)?.stop(); });
  testStore('PostgreSQL', {
    async create() {
      server ??= startPostgres();
      const url = await (await server).createDatabase(`conformance_${++n}`);
      // Each test has a database of its own on the one cluster; the cluster goes at the end.
      return { location: url, drop: async () => undefined };
    },
    open: (url, opts = {}) => openPostgresStore({ url, ...(opts.derivations === undefined ? {} : { derivations: opts.derivations }) }),
    // The database is the data: a crash of the process leaves exactly what was committed, so an
    // image of "right now" is the same database, opened by a second store while the first is still open.
    crashImage: async (url) => ({ location: url, drop: async () => undefined }),
  });
}

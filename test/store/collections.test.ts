import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PbxSource } from '../../src/domain/types.ts';
import { openStore } from '../../src/store/embedded/open-store.ts';
import { crashImage, tempDir } from './fixtures.ts';

const source = (id: string, host: string): PbxSource => ({
  id, type: 'asterisk-ami', host, port: 5038, username: 'ringback', secret: 's3cret', createdAt: '2026-11-26T09:00:00.000Z',
});

test('collection records survive a reopen from the journal and from a snapshot, and deletes stick', async () => {
  const { dir, done } = await tempDir();
  try {
    const a = await openStore({ dir });
    await a.commit([{ t: 'put', c: 'pbxSources', id: 'one', v: source('one', '10.0.0.1') }, { t: 'put', c: 'pbxSources', id: 'two', v: source('two', '10.0.0.2') }]);
    await a.commit([{ t: 'put', c: 'pbxSources', id: 'one', v: source('one', '10.0.0.9') }]);
    // Not closed: the next open replays the journal.
    const b = await openStore({ dir: await crashImage(dir) });
    assert.deepEqual(b.list('pbxSources').map((s) => s.host).sort(), ['10.0.0.2', '10.0.0.9']);
    await b.close();
    await a.commit([{ t: 'del', c: 'pbxSources', id: 'two' }]);
    await a.close();
    const c = await openStore({ dir });
    assert.deepEqual(c.list('pbxSources').map((s) => s.id), ['one']);
    assert.equal(c.get('pbxSources', 'one')?.host, '10.0.0.9');
    assert.equal(c.get('pbxSources', 'two'), undefined);
    await c.close();
  } finally {
    await done();
  }
});

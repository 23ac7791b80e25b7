import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADMIN } from '../support/app.ts';
import { fillActionUrl } from '../support/phone-sim.ts';
import { spawnServer } from '../support/server-process.ts';

const headers = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };
const EVENTS = 2000;
const CONCURRENCY = 50;

async function api<T>(base: string, path: string, body?: object): Promise<T> {
  const r = await fetch(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!r.ok) assert.fail(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

test('every acknowledged event survives kill -9 and a torn temp file left behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-crash-'));
  try {
    const first = await spawnServer(dir);
    const team = await api<{ id: string }>(first.base, '/api/teams', { name: 'Reception', extensions: ['11'] });
    const phone = await api<{ urls: { events: Record<string, string> } }>(first.base, '/api/phones',
      { mac: '805ec0000011', vendor: 'yealink', extension: '11', teamIds: [team.id] });
    const template = phone.urls.events['action_url.missed_call']!.replace(/^https?:\/\/[^/]+/, first.base);

    const acked: string[] = [];
    const refused: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < EVENTS && !killed) {
        const caller = `+4930${String(1_000_000 + next++)}`;
        const url = fillActionUrl(template, { remote: `sip:${caller}@pbx`, active_user: '11', mac: '805ec0000011', call_id: caller, display_remote: '' });
        try {
          const r = await fetch(url);
          await r.arrayBuffer();
          if (r.status === 200) acked.push(caller);
          else refused.push(`${r.status}`);
        } catch {
          // In flight when the server died: never acknowledged, so it may be lost.
        }
        // Kill while requests are still in flight: only acknowledged events must survive.
        if (acked.length >= EVENTS - 100 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (!killed) first.child.kill('SIGKILL');
    await first.exited;
    assert.deepEqual(refused, [], 'every event was accepted');
    assert.ok(acked.length >= EVENTS - 100, `only ${acked.length} acknowledged`);

    // What a crash mid-snapshot can leave: stray temp files and a torn journal line.
    await writeFile(join(dir, '.config.json.tmp'), '{"teams":[{"id":');
    await writeFile(join(dir, 'config.json.tmp'), '{"tea');
    const journals = (await readdir(join(dir, 'journal')).catch(() => [])).sort();
    if (journals.length > 0) await appendFile(join(dir, 'journal', journals.at(-1)!), '{"t":"missed","v":{"id":"torn');

    const second = await spawnServer(dir);
    try {
      const found = new Set<string>();
      let cursor: string | null = null;
      do {
        const pageOf: { items: { caller: { number: string } }[]; nextCursor: string | null } =
          await api(second.base, `/api/missed-calls?limit=500${cursor === null ? '' : `&cursor=${cursor}`}`);
        for (const m of pageOf.items) found.add(m.caller.number);
        cursor = pageOf.nextCursor;
      } while (cursor !== null);
      const lost = acked.filter((c) => !found.has(c));
      assert.deepEqual(lost, [], `${lost.length} acknowledged events lost`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

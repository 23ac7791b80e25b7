/**
 * The import rules of ARCHITECTURE.md (.dependency-cruiser.cjs, `npm run lint:imports` in .ci/run):
 * the real tree keeps them, and each rule reports a planted violation in a copy of src/.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/**
 * dependency-cruiser over `dir`/src with the repository's rules: the exit code as
 * `npm run lint:imports` gets it (the text report), the violations from the JSON report.
 */
async function cruise(dir: string): Promise<{ exitCode: number; violations: Violation[] }> {
  const run = async (args: string[]): Promise<{ code: number; stdout: string }> => {
    try {
      const { stdout } = await promisify(execFile)(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--preserve-symlinks', ...args, 'src'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '' };
    }
  };
  const [text, json] = await Promise.all([run([]), run(['-T', 'json'])]);
  return { exitCode: text.code, violations: parse(json.stdout) };
}

function parse(stdout: string): Violation[] {
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const errors = (vs: Violation[]) => vs.filter((v) => v.rule.severity === 'error');

test('the source tree keeps every import rule', async () => {
  const { exitCode, violations } = await cruise(ROOT);
  assert.deepEqual(errors(violations).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), []);
  assert.equal(exitCode, 0);
});

test('each import rule reports a bad import planted in a copy of the tree, and the check fails', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-imports-'));
  try {
    await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    await cp(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const plant = async (file: string, line: string) => {
      const path = join(dir, file);
      await writeFile(path, `${line}\n${await readFile(path, 'utf8')}`);
    };
    await plant('src/domain/policy.ts', "import type { Store } from '../store/types.ts';");
    await plant('src/vendors/yealink/screens.ts', "import type { Store } from '../../store/types.ts';");
    await plant('src/store/types.ts', "import type { Audit } from '../services/audit.ts';");
    await plant('src/http/phone/events.ts', "import type { MissedRouteDeps } from '../api/missed.ts';");
    await plant('src/screens/model.ts', "import type { VendorAdapter } from '../vendors/types.ts';");

    const { exitCode, violations } = await cruise(dir);
    const found = errors(violations).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    assert.ok(found.includes('domain-is-pure: src/domain/policy.ts → src/store/types.ts'), found.join('\n'));
    assert.ok(found.includes('vendors-not-store-or-http: src/vendors/yealink/screens.ts → src/store/types.ts'), found.join('\n'));
    assert.ok(found.includes('store-not-features: src/store/types.ts → src/services/audit.ts'), found.join('\n'));
    assert.ok(found.includes('http-by-audience: src/http/phone/events.ts → src/http/api/missed.ts'), found.join('\n'));
    assert.ok(found.includes('no-folder-cycles: src/screens → src/vendors'), found.join('\n'));
    assert.notEqual(exitCode, 0, 'the check fails CI');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Test support: a real OpenLDAP `slapd` (Debian's) on a loopback port, with its own config and
 * database in a temp dir, loaded with `slapadd` before it starts; `stop()` ends it and removes the dir.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SUFFIX = 'dc=example,dc=org';
export const ROOT_DN = `cn=admin,${SUFFIX}`;

export interface Slapd {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface Person {
  cn: string;
  numbers: { attribute: 'telephoneNumber' | 'mobile' | 'homePhone'; value: string }[];
  company?: string;
  displayName?: string;
}

/** Starts slapd with `people` under `ou=people`; the root DN binds with `rootPassword`. */
export async function startSlapd(people: readonly Person[], rootPassword: string): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-slapd-'));
  await mkdir(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  await writeFile(conf, [
    'include /etc/ldap/schema/core.schema', 'include /etc/ldap/schema/cosine.schema', 'include /etc/ldap/schema/inetorgperson.schema',
    'modulepath /usr/lib/ldap', 'moduleload back_mdb', `pidfile ${join(dir, 'slapd.pid')}`,
    'database mdb', 'maxsize 10485760', `suffix "${SUFFIX}"`, `rootdn "${ROOT_DN}"`, `rootpw ${rootPassword}`, `directory ${join(dir, 'db')}`,
    // Anonymous users may bind but read nothing: the tests' lookups must use the bind DN.
    'access to * by dn.exact="' + ROOT_DN + '" read by anonymous auth by * none', '',
  ].join('\n'));
  const entries = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example`,
    `dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people`,
    ...people.map((p) => [
      `dn: cn=${p.cn},ou=people,${SUFFIX}`, 'objectClass: inetOrgPerson', `cn: ${p.cn}`, `sn: ${p.cn.split(' ').at(-1) ?? p.cn}`,
      ...(p.displayName === undefined ? [] : [`displayName: ${p.displayName}`]), ...(p.company === undefined ? [] : [`o: ${p.company}`]),
      ...p.numbers.map((n) => `${n.attribute}: ${n.value}`),
    ].join('\n')),
  ];
  await writeFile(join(dir, 'data.ldif'), `${entries.join('\n\n')}\n`);
  await run('slapadd', ['-f', conf, '-l', join(dir, 'data.ldif')]);
  const port = await freePort();
  const child = spawn('slapd', ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '256'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await started(child);
  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (taken from the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when slapd says "slapd starting" (its listener is bound); rejects if it exits first. */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onExit = (code: number | null) => reject(new Error(`slapd exited (${code}) before starting:\n${log.slice(-2000)}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('slapd starting')) {
        child.off('exit', onExit);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve();
      }
    });
  });
}

/** Test support: the real server as a child process (`npm start`'s entry), for crash and shutdown tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ADMIN } from './app.ts';

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Lines the server printed (banner and JSON logs). */
  output: string[];
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * 'npm-start': the production start (`npm start` → compiled `dist/main.js`) as the leader of its
   * own process group, so a test can signal the whole group as systemd or `kill -- -PGID` does.
   * Default: the sources through tsx.
   */
  via?: 'tsx' | 'npm-start';
}

export async function spawnServer(dataDir: string, env: Record<string, string> = {}, opts: SpawnOptions = {}): Promise<ServerProcess> {
  const [command, args] = opts.via === 'npm-start' ? ['npm', ['start', '--silent']] : [process.execPath, ['--import', 'tsx', 'src/main.ts']];
  const child = spawn(command, args, {
    detached: opts.via === 'npm-start',
    env: { ...process.env, PORT: '0', RINGBACK_HOST: '127.0.0.1', RINGBACK_DATA_DIR: dataDir, RINGBACK_ADMIN_TOKEN: ADMIN,
      RINGBACK_PUBLIC_URL: '', RINGBACK_LOG_LEVEL: 'info', RINGBACK_NTP_SERVERS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
    lines.on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output.join('\n')}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, output, exited };
}

/** What every benchmark shares: a server in its own process, printing its port, and medians. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const CONNECTIONS = 50;

export interface BenchServer {
  port: number;
  stop(): Promise<void>;
}

/** `node --import tsx <script> ...args`; the script prints its port as its first line. */
export async function startServer(script: string, args: string[]): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l)));
    child.once('exit', (c) => reject(new Error(`${script} ${args[0] ?? ''} exited ${c}`)));
  });
  return {
    port,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

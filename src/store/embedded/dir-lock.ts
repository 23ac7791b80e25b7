/** @module One server per data directory: two writers would interleave the journal and tear snapshots. */
import { stat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface DirLock {
  release(): Promise<void>;
}

/** Longest filesystem socket path Linux takes (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * Locks `dir` with listening unix-domain sockets, which the kernel closes the moment the holder
 * dies (kill -9, OOM, crash), whatever later happens to its pid. A pid file checked with
 * kill(pid, 0) cannot tell: an unreaped zombie or a pid reused after a container restart looks
 * alive. Node has no flock(); a native addon (fs-ext) would need a compiler at `npm ci`.
 *
 * Two sockets, because each covers what the other cannot:
 *  - an abstract socket named by the directory's device and inode: bind is atomic (no stale file,
 *    no race between two starts), and the same directory reached by another path (bind mount,
 *    symlink) has the same name. It is scoped to a network namespace, though.
 *  - `<dir>/.lock`, a socket file: a process in another network namespace (a second container on
 *    the same volume) can still connect to it. A file nobody listens on any more (ECONNREFUSED) or
 *    an old-style pid file is stale and replaced; the abstract lock taken first makes that safe
 *    against a racing start on this host.
 * Whoever connects is told the holder's pid, for the message.
 */
export async function lockDir(dir: string): Promise<DirLock> {
  const { dev, ino } = await stat(dir);
  const abstract = await listenOrHolder(`\0ringback-data-${dev}-${ino}`);
  if (typeof abstract === 'string') throw inUse(dir, abstract === STALE ? 'unknown' : abstract);
  const file = join(dir, '.lock');
  let socketFile: Server | null = null;
  if (Buffer.byteLength(file) <= MAX_SOCKET_PATH) {
    try {
      socketFile = await takeSocketFile(dir, file);
    } catch (e) {
      await closeServer(abstract);
      throw e;
    }
  }
  return {
    async release() {
      await closeServer(abstract);
      if (socketFile !== null) {
        await closeServer(socketFile); // node unlinks a socket file it bound when the server closes
        await unlink(file).catch(() => undefined);
      }
    },
  };
}

async function takeSocketFile(dir: string, file: string): Promise<Server> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await listenOrHolder(file);
    if (typeof r !== 'string') return r;
    if (r !== STALE) throw inUse(dir, r);
    await unlink(file).catch(() => undefined);
  }
  throw new Error(`could not lock ${dir}: ${file} keeps coming back`);
}

const STALE = 'stale';

function inUse(dir: string, pid: string): Error {
  return new Error(`${dir} is in use by another Ringback process (pid ${pid}); stop it first`);
}

/**
 * Listens on `address`; when it is taken, connects to learn the holder's pid. Resolves with the
 * server, the holder's pid, or STALE when nothing listens there (a socket file a dead process left).
 */
function listenOrHolder(address: string): Promise<Server | string> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${process.pid}\n`);
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err);
      holderPid(address).then(resolve, reject);
    });
    server.listen(address, () => {
      server.unref(); // the lock never keeps the process alive on its own
      resolve(server);
    });
  });
}

function holderPid(address: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(address);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => { text += d; });
    socket.once('end', () => resolve(/^\d+$/.test(text.trim()) ? text.trim() : 'unknown'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // Refused (or not a socket): nobody holds it. Anything else we cannot judge: treat as held.
      resolve(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' || err.code === 'ENOTSOCK' ? STALE : 'unknown');
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

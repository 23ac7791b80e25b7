/**
 * A small Asterisk Manager Interface server for tests: a real net.Server on 127.0.0.1 (ephemeral
 * port) that greets with the banner, checks the Login secret, answers Ping / CoreShowChannels /
 * Logoff, and lets a test push event text and drop the connection. Deliberately does not use the
 * client's own parser, so a framing bug cannot hide behind itself.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Eol } from './ami-sequences.ts';

export type Fields = Record<string, string>;

export interface FakeAmiOptions {
  username: string;
  secret: string;
  /** Line end the server writes (default CRLF, as Asterisk does). */
  eol?: Eol;
  /** Send the banner on connect (default true); false plays a peer that accepts and then says nothing. */
  greet?: boolean;
  /** Answer `Ping` (default true); false plays a half-open connection that swallows what we send. */
  answerPing?: boolean;
  /** The channels a CoreShowChannels lists on the next session(s): one field set per channel. */
  liveChannels?: () => Fields[];
}

export interface FakeAmiSession {
  /** Actions received so far, in order. */
  readonly actions: Fields[];
  /** Resolves on the first action named `name` (already received or still to come). */
  action(name: string): Promise<Fields>;
  /** Write text (LF-separated, as in the fixtures) with the server's line end, or `eol`. */
  send(text: string, eol?: Eol): void;
  /** Write bytes exactly as given. */
  sendRaw(bytes: string | Buffer): void;
  /** Cut the TCP connection, as a PBX restart or a network fault would. */
  drop(): void;
  readonly closed: Promise<void>;
}

export interface FakeAmi {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** The next session (connections are handed out in order). */
  nextSession(): Promise<FakeAmiSession>;
  close(): Promise<void>;
}

export async function startFakeAmi(options: FakeAmiOptions): Promise<FakeAmi> {
  const eol = options.eol ?? '\r\n';
  const sessions: FakeAmiSession[] = [];
  const waiting: ((s: FakeAmiSession) => void)[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;

  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    const session = serve(socket, options, eol);
    void session.closed.then(() => sockets.delete(socket));
    const w = waiting.shift();
    if (w !== undefined) w(session);
    else sessions.push(session);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');

  return {
    port: address.port,
    get connections() {
      return connections;
    },
    nextSession() {
      const s = sessions.shift();
      return s !== undefined ? Promise.resolve(s) : new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(socket: net.Socket, options: FakeAmiOptions, eol: Eol): FakeAmiSession {
  const actions: Fields[] = [];
  const waiters: { name: string; resolve: (a: Fields) => void }[] = [];
  let buffer = '';
  const write = (text: string, lineEnd: Eol = eol): void => {
    if (!socket.destroyed) socket.write(text.replace(/\r?\n/g, lineEnd));
  };
  const reply = (fields: Fields): void => write(`${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  if (options.greet !== false) write('Asterisk Call Manager/9.0.0\n');

  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: RegExpExecArray | null;
    while ((end = /\r?\n\r?\n/.exec(buffer)) !== null) {
      const text = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
      const action: Fields = {};
      for (const line of text.split(/\r?\n/)) {
        const i = line.indexOf(': ');
        if (i > 0) action[line.slice(0, i)] = line.slice(i + 2);
      }
      actions.push(action);
      respond(action);
      for (const w of waiters.filter((x) => x.name === action['Action'])) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(action);
      }
    }
  });

  function respond(a: Fields): void {
    const id = a['ActionID'] ?? '';
    switch (a['Action']) {
      case 'Login':
        if (a['Username'] === options.username && a['Secret'] === options.secret) {
          reply({ Response: 'Success', ActionID: id, Message: 'Authentication accepted' });
          reply({ Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted' });
        } else {
          reply({ Response: 'Error', ActionID: id, Message: 'Authentication failed' });
          socket.end();
        }
        break;
      case 'Ping':
        if (options.answerPing === false) break;
        reply({ Response: 'Success', ActionID: id, Ping: 'Pong', Timestamp: '1770888534.000000' });
        break;
      case 'CoreShowChannels': {
        const live = options.liveChannels?.() ?? [];
        reply({ Response: 'Success', ActionID: id, EventList: 'start', Message: 'Channels will follow' });
        for (const c of live) reply({ Event: 'CoreShowChannel', ActionID: id, ...c });
        reply({ Event: 'CoreShowChannelsComplete', ActionID: id, EventList: 'Complete', ListItems: String(live.length) });
        break;
      }
      case 'Logoff':
        reply({ Response: 'Goodbye', ActionID: id, Message: 'Thanks for all the fish.' });
        socket.end();
        break;
      default:
        reply({ Response: 'Error', ActionID: id, Message: 'Invalid/unknown command' });
    }
  }

  return {
    actions,
    action(name) {
      const seen = actions.find((a) => a['Action'] === name);
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ name, resolve }));
    },
    send: write,
    sendRaw(bytes) {
      if (!socket.destroyed) socket.write(bytes);
    },
    drop() {
      socket.destroy();
    },
    closed,
  };
}

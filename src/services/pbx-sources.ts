/** @module The PBXs the server follows over AMI: from `RINGBACK_AMI_URL` and from the API, each with its live status. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PbxSource } from '../domain/types.ts';
import { DEFAULT_AMI_PORT, startAmiClient, type AmiClient, type AmiLog, type AmiStatus } from '../pbx/asterisk/index.ts';
import type { Store } from '../store/types.ts';
import type { CallLog } from './call-log.ts';
import { describeIssues } from '../domain/issues.ts';
import { failure, invalid, notFound, type Result } from '../domain/result.ts';

export const pbxSourceInput = z.object({
  type: z.literal('asterisk-ami'),
  host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65535).default(DEFAULT_AMI_PORT),
  username: z.string().trim().min(1).max(64).regex(/^[^\r\n:]+$/, 'no line breaks or colons'),
  secret: z.string().min(1).max(256).regex(/^[^\r\n]+$/, 'no line breaks'),
}).strict();

export interface PbxSourceView {
  id: string;
  type: PbxSource['type'];
  host: string;
  port: number;
  username: string;
  /** `env` for the one from RINGBACK_AMI_URL (not editable through the API). */
  origin: 'env' | 'api';
  status: AmiStatus;
}

export interface PbxSourcesOptions {
  store: Store;
  callLog: CallLog;
  log: AmiLog;
  now: () => Date;
  /** From RINGBACK_AMI_URL, already parsed. */
  fromEnv: Omit<PbxSource, 'id' | 'createdAt'> | null;
}

export function createPbxSources(opts: PbxSourcesOptions) {
  const running = new Map<string, { source: PbxSource; origin: 'env' | 'api'; client: AmiClient }>();

  function start(source: PbxSource, origin: 'env' | 'api'): void {
    const client = startAmiClient({
      connection: { host: source.host, port: source.port, username: source.username, secret: source.secret },
      onCall: (call) => opts.callLog.ingestPbxCall(call),
      // The server's clock (rule 6), the same one phone events are stamped with.
      now: () => opts.now().getTime(),
      log: opts.log,
    });
    running.set(source.id, { source, origin, client });
  }

  const view = (id: string): PbxSourceView | undefined => {
    const r = running.get(id);
    if (r === undefined) return undefined;
    const { source, origin, client } = r;
    return { id, type: source.type, host: source.host, port: source.port, username: source.username, origin, status: client.status };
  };

  return {
    /** Connect to every configured PBX (at start-up). */
    startAll(): void {
      if (opts.fromEnv !== null) start({ ...opts.fromEnv, id: 'env', createdAt: opts.now().toISOString() }, 'env');
      for (const s of opts.store.list('pbxSources')) start(s, 'api');
    },
    list(): PbxSourceView[] {
      return [...running.keys()].flatMap((id) => view(id) ?? []);
    },
    async add(body: unknown): Promise<Result<PbxSourceView>> {
      const p = pbxSourceInput.safeParse(body);
      if (!p.success) return invalid(describeIssues(p.error));
      const source: PbxSource = { ...p.data, id: randomUUID(), createdAt: opts.now().toISOString() };
      await opts.store.commit([{ t: 'put', c: 'pbxSources', id: source.id, v: source }]);
      start(source, 'api');
      return { ok: true, value: view(source.id)! };
    },
    async remove(id: string): Promise<Result<null>> {
      const r = running.get(id);
      if (r === undefined) return notFound('PBX source');
      if (r.origin === 'env') return failure('from_env', 'this source comes from RINGBACK_AMI_URL; change the environment instead');
      await opts.store.commit([{ t: 'del', c: 'pbxSources', id }]);
      running.delete(id);
      await r.client.close();
      return { ok: true, value: null };
    },
    async closeAll(): Promise<void> {
      await Promise.all([...running.values()].map((r) => r.client.close()));
      running.clear();
    },
  };
}

export type PbxSources = ReturnType<typeof createPbxSources>;

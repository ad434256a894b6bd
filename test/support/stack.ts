// The whole platform in one test process — API server and worker — against the
// real embedded Temporal dev server and FerretDB from global-setup, with its
// own database and task queue so test files do not see each other.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { inject } from 'vitest';
import { openStore, type Store } from '../../activities/store';
import { loadConfig, type Config } from '../../server/config';
import { seedDemo, type DemoLogin } from '../../server/seed';
import { runServer } from '../../server/start-server';
import { runWorker } from '../../server/start-worker';
import { workflowBundle } from './env';

export interface Stack {
  url: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  store: Store;
  client: Client;
  logins: Record<string, DemoLogin>;
  /** Starts the worker, with the given workflow code instead of the current code (a deploy). */
  startWorker(bundle?: WorkflowBundleOption): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(opts: { worker?: boolean; adminToken?: string; temporalAddress?: string } = {}): Promise<Stack> {
  const tag = randomUUID().slice(0, 8);
  const env: NodeJS.ProcessEnv = {
    PORT: '0', HOST: '127.0.0.1',
    TEMPORAL_ADDRESS: opts.temporalAddress ?? inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${tag}`,
    MONGODB_URI: `${inject('mongoUri')}/s_${tag}`,
    ...(opts.adminToken ? { ADMIN_TOKEN: opts.adminToken } : {}),
  };
  const config = loadConfig(env);
  const store = await openStore(config.mongoUri);
  const seeded = await seedDemo(store.models);
  const logins = Object.fromEntries(seeded!.map((l) => [l.id, l]));
  const server = await runServer(config, { workflowBundle: workflowBundle() });
  const client = new Client({ connection: await Connection.connect({ address: config.temporalAddress }) });
  let worker: Awaited<ReturnType<typeof runWorker>> | undefined;
  const stack: Stack = {
    url: server.url, config, env, store, client, logins,
    async startWorker(bundle = workflowBundle()) {
      worker = await runWorker(config, bundle);
    },
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
    async stop() {
      await stack.stopWorker();
      await server.stop();
      await client.connection.close();
      await store.close();
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  return stack;
}

/** Creates an inbox through the API as the seeded admin; answers its id. */
export async function createInbox(stack: Stack, body: Record<string, unknown>): Promise<string> {
  const res = await api(stack, 'POST', '/api/v1/inboxes', { token: stack.logins.admin!.token, body });
  if (res.status !== 201) throw new Error(`POST /api/v1/inboxes answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** fetch + JSON, for API calls in tests. */
export async function api(stack: Stack, method: string, path: string, opts: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  } else if (opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${stack.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever came back
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json };
}

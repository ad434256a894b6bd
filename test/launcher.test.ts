// `npm start` as a newcomer runs it: everything starts, the URLs and demo
// logins are printed, Ctrl-C stops it all, and a second start finds the same
// conversations (state lives in DATA_DIR).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, PROJECT_ROOT } from '../server/embedded';
import { waitFor } from './support/env';

const dataDir = mkdtempSync(join(tmpdir(), 'huiliu-launcher-'));
let launcher: ChildProcess | undefined;
afterAll(() => {
  launcher?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  delete env.TEMPORAL_ADDRESS;
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'launcher.ts')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher = child;
  let output = '';
  child.stdout!.on('data', (d) => { output += String(d); });
  child.stderr!.on('data', (d) => { output += String(d); });
  await waitFor('the launcher to print that it is running', async () => {
    if (child.exitCode !== null) throw new Error(`launcher exited early:\n${output}`);
    return output.includes('Press Ctrl-C to stop');
  }, 150_000);
  return { child, output: () => output };
}

async function stop(child: ChildProcess) {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  return exited;
}

it('starts everything, stops on Ctrl-C, and keeps the conversations across restarts', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const first = await start(port);
  const printed = first.output();
  expect(printed).toContain(`Console 控制台          http://localhost:${port}/`);
  expect(printed).toMatch(/Temporal\s+127\.0\.0\.1:\d+\s+UI: http:\/\/127\.0\.0\.1:\d+/);
  // A token may end in '-' (base64url), where \b would not match.
  const tokens = [...printed.matchAll(/\b(hl_[\w-]{32})(?![\w-])/g)].map((m) => m[1]);
  expect(tokens).toHaveLength(6); // admin, analyst, operator, supervisor and two agents, in that order
  const agent = { authorization: `Bearer ${tokens[4]}` };

  const posted = await fetch(`${base}/api/v1/webchat/demo-webchat/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: 'returning-visitor', clientMessageId: 'c1', text: '人工' }),
  });
  expect(posted.status).toBe(202);
  const { conversationId } = (await posted.json()) as { conversationId: string };
  await waitFor('queued', async () => ((await (await fetch(`${base}/api/v1/conversations/${conversationId}`, { headers: agent })).json()) as { status: string }).status === 'queued');
  expect((await fetch(`${base}/`)).status).toBe(200); // the console is served

  expect(await stop(first.child)).toBe(0);
  expect(first.output()).toContain('stopped / 已停止');
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();

  const second = await start(port);
  expect(second.output()).toContain(tokens[2]); // the demo logins are printed again
  const res = await fetch(`${base}/api/v1/conversations/${conversationId}/accept`, { method: 'POST', headers: agent });
  expect(res.status).toBe(200); // the workflow survived the restart and takes the agent
  // The visitor, then the system: "transferring you", and where they stand in the queue.
  expect(await res.json()).toMatchObject({ status: 'assigned', messages: [{ text: '人工' }, { author: 'system' }, { author: 'system' }] });
  expect(await stop(second.child)).toBe(0);
}, 300_000);

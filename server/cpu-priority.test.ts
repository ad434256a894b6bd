// The worker's lower CPU priority, in real child processes: the thread's nice
// value always, the session's autogroup only when the process leads its own
// session (as the launcher starts the worker) and the kernel has autogroups.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { PROJECT_ROOT } from './embedded';

const CHILD = `
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { lowerCpuPriority } from ${JSON.stringify(join(PROJECT_ROOT, 'server', 'cpu-priority.ts'))};
const lowered = lowerCpuPriority(7);
let group = null;
try { group = readFileSync('/proc/self/autogroup', 'utf8').trim(); } catch {}
console.log(JSON.stringify({ lowered, nice: getPriority(), group }));
`;

function runChild(detached: boolean): Promise<{ lowered: { thread: boolean; session: boolean }; nice: number; group: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: PROJECT_ROOT, detached, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${out}`))));
  });
}

const autogroups = existsSync('/proc/self/autogroup');
const groupNice = (group: string | null) => (group ? Number(/nice (-?\d+)/.exec(group)?.[1]) : undefined);

describe('lowerCpuPriority', () => {
  it.runIf(process.platform === 'linux')('lowers a detached process and, with autogroups, its own session', async () => {
    const child = await runChild(true);
    expect(child.nice).toBe(7);
    expect(child.lowered.thread).toBe(true);
    if (autogroups) {
      expect(child.lowered.session).toBe(true);
      expect(groupNice(child.group)).toBe(7);
    }
  }, 30_000);

  it.runIf(process.platform === 'linux')('leaves a shared session alone', async () => {
    const before = autogroups ? readFileSync('/proc/self/autogroup', 'utf8') : null;
    const child = await runChild(false);
    expect(child.nice).toBe(7);
    expect(child.lowered.session).toBe(false);
    if (autogroups) expect(readFileSync('/proc/self/autogroup', 'utf8')).toBe(before);
  }, 30_000);

  it('is configured by WORKER_NICE, lowest by default, and refuses what is not a nice value', () => {
    expect(loadConfig({}).workerNice).toBe(19);
    expect(loadConfig({ WORKER_NICE: '0' }).workerNice).toBe(0);
    for (const bad of ['20', '-1', '2.5', 'low']) {
      expect(() => loadConfig({ WORKER_NICE: bad })).toThrow(`WORKER_NICE must be a whole number from 0 (normal priority) to 19 (lowest), got "${bad}"`);
    }
  });
});

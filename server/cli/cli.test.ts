// `huiliu ops` through its real entry point (node bin/huiliu.mjs in a child
// process, from another cwd): what scripts rely on is the exit code and the
// output, so that is what is checked, not the functions behind them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/env';
import { api, startStack, type Stack } from '../../test/support/stack';
import { conversationWorkflowId } from '../../workflows/messages';
import { DEMO_INBOX_ID } from '../seed';
import { STUCK_REASONS } from '../ops/types';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'huiliu.mjs');
const HISTORIES = join(ROOT, 'workflows', '__histories__');

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI without the caller's HUILIU_* settings, in English unless told otherwise. */
function huiliu(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUILIU_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: { ...base, LANG: 'en_US.UTF-8', ...env }, timeout: 150_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

/** A local port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('huiliu ops: usage', () => {
  it('--help lists the commands and the exit codes', async () => {
    const run = await huiliu(['ops', '--help']);
    expect(run.code).toBe(0);
    for (const cmd of ['stuck', 'show', 'export', 'retry', 'reset', 'reroute', 'terminate', 'replay-check', 'bulk']) expect(run.stdout).toContain(cmd);
    expect(run.stdout).toMatch(/Exit codes:[\s\S]*2 +usage error[\s\S]*3 +not found[\s\S]*4 +not allowed[\s\S]*5 +server unreachable/);
  });

  it('exits 2 when --reason is missing, or the command is unknown', async () => {
    const missing = await huiliu(['ops', 'retry', 'wf-1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--reason <text>'");
    const unknown = await huiliu(['ops', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const both = await huiliu(['ops', 'reroute', 'wf-1', '--reason', 'x', '--queue', 'a', '--agent', 'b']);
    expect(both.code).toBe(2);
  });

  it('exits 5 with one clear line when the server is unreachable', async () => {
    const port = await closedPort();
    const run = await huiliu(['ops', 'stuck', '--token', 'secret-token-never-printed'], { HUILIU_URL: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([`error: cannot reach the Huiliu server at http://127.0.0.1:${port} (ECONNREFUSED): is it running? Set --url or HUILIU_URL`]);
    expect(run.stderr).not.toContain('secret-token-never-printed');
    const zh = await huiliu(['ops', 'stuck', '--url', `http://127.0.0.1:${port}`], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stderr).toContain('无法连接汇流服务');
  });
});

describe('huiliu ops replay-check --dir (local, no server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-cli-replay-'));
  const names = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
  beforeAll(() => {
    for (const f of names) copyFileSync(join(HISTORIES, f), join(dir, f));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and lists every recorded history as compatible', async () => {
    expect(names.length).toBeGreaterThan(5);
    const run = await huiliu(['ops', 'replay-check', '--dir', dir]);
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    for (const f of names) expect(run.stdout).toMatch(new RegExp(`✓ .*${f.replace(/\.json$/, '')}`));
    expect(run.stdout).not.toContain('✗');
  }, 150_000);

  it('exits 1 and names the file when one history is garbage', async () => {
    writeFileSync(join(dir, 'garbage.json'), '{"events": "this is not a history"');
    const run = await huiliu(['ops', 'replay-check', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('garbage');
    expect(run.stdout).toMatch(/✗ .*garbage/);
  }, 150_000);
});

describe('huiliu ops against the real stack', () => {
  let stack: Stack;
  let operator: string;
  beforeAll(async () => {
    stack = await startStack();
    operator = (stack.logins['ops-chen'] ?? stack.logins.admin).token;
  });
  afterAll(() => stack?.stop());

  it('stuck --json prints one JSON document with items and counts (exit 0, even when empty)', async () => {
    const run = await huiliu(['ops', 'stuck', '--json', '--limit', '10'], { HUILIU_URL: stack.url, HUILIU_TOKEN: operator });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout);
    expect(Array.isArray(list.items)).toBe(true);
    expect(Object.keys(list.counts).sort()).toEqual([...STUCK_REASONS].sort());
  });

  it('stuck for people prints the counts line in the chosen language', async () => {
    const run = await huiliu(['ops', 'stuck', '--lang', 'zh', '--url', stack.url, '--token', operator]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('按原因');
  });

  it('exits 4 for an agent, and for no token', async () => {
    const agent = await huiliu(['ops', 'stuck', '--url', stack.url, '--token', stack.logins['agent-lina'].token]);
    expect(agent.code).toBe(4);
    expect(agent.stderr.trim().split('\n')).toHaveLength(1);
    const none = await huiliu(['ops', 'stuck', '--url', stack.url]);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('HUILIU_TOKEN');
  });

  it('show of an unknown workflow exits 3', async () => {
    const run = await huiliu(['ops', 'show', 'conversation-does-not-exist', '--url', stack.url, '--token', operator]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .+\n$/);
  });

  it('bulk: a dry run prints the plan; a run polls the job to its summary', async () => {
    const auth = ['--url', stack.url, '--token', operator];
    const dry = await huiliu(['ops', 'bulk', 'retry', '--reason', 'cli test', '--stuck-reason', 'activity-failing', '--dry-run', '--json', ...auth]);
    expect(dry.code).toBe(0);
    expect(Array.isArray(JSON.parse(dry.stdout).plan)).toBe(true);
    const run = await huiliu(['ops', 'bulk', 'retry', '--reason', 'cli test', '--stuck-reason', 'activity-failing', ...auth]);
    expect(run.stderr).toMatch(/^Bulk job \S+ started\n(\d+\/\d+\n)+$/);
    expect(run.stdout).toMatch(/^Succeeded \d+, failed 0/);
    expect(run.code).toBe(0);
  });

  it('show prints a live conversation; export writes a history that replay-check --dir replays', async () => {
    const visitorId = randomUUID();
    await api(stack, 'POST', `/api/v1/webchat/${DEMO_INBOX_ID}/messages`, { body: { visitorId, clientMessageId: randomUUID(), text: 'How do I get a refund?' } });
    const workflowId = conversationWorkflowId(DEMO_INBOX_ID, visitorId);
    const auth = ['--url', stack.url, '--token', operator];
    await waitFor('the bot reply on the timeline', async () => (await huiliu(['ops', 'show', workflowId, ...auth])).stdout.includes('Bot answered'));
    const shown = await huiliu(['ops', 'show', workflowId, ...auth]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^TIME +KIND +STEP +TITLE/m);
    const dir = mkdtempSync(join(tmpdir(), 'huiliu-cli-export-'));
    try {
      const exported = await huiliu(['ops', 'export', workflowId, '--out', join(dir, 'live.json'), ...auth]);
      expect(exported.code).toBe(0);
      const replayed = await huiliu(['ops', 'replay-check', '--dir', dir]);
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toContain('✓ live');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

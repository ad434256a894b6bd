// `npm run bench:editor`: how fast the flow editor opens a big flow. Starts
// the real platform in a throwaway directory (Temporal dev server, FerretDB
// and the API server, loopback only; no worker: nothing runs a conversation),
// builds the console, creates a valid 300-node flow through the API as the
// demo analyst, and opens /flows/<id> in Debian's Chromium (headless, through
// playwright-core), cold each time: from navigation start until all 300 nodes
// are rendered (measured: React Flow shows a node once it knows its size).
// Then it pans and zooms the canvas and reports the frame times.
//
//   npm run bench:editor -- [--runs 5] [--keep]
//
// Progress goes to stderr; stdout gets the table and, as its last line, one
// JSON object with every figure and the target check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openStore } from '../../activities/store';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowEdge, type FlowNode } from '../../rules/flow';
import { loadConfig } from '../../server/config';
import { PROJECT_ROOT, startFerretDB, startTemporalDev, type ManagedProcess } from '../../server/embedded';
import { seedDemo } from '../../server/seed';
import { runServer } from '../../server/start-server';
import { percentile } from './report';

const NODES = 300;
const TARGET_FIRST_RENDER_MS = 1500;
const PAGE_TIMEOUT_MS = 60_000;
const VIEWPORT = { width: 1440, height: 900 };
const PAN_STEPS = 60;
const ZOOM_STEPS = 30;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

const log = (line: string) => console.error(`[bench:editor] ${line}`);

// ---------------------------------------------------------------- the flow

/**
 * A valid flow of exactly `NODES` nodes: start → set attribute → segments of
 * normalize → bot → rules → reply → wait, each wait's message leading to the
 * next segment (the last back to the first) and its timeout to close; the
 * rules send "人工" to one queue → survey → close.
 */
export function bigFlow(): FlowDefinition {
  const fixed = 5; // start, set-attribute, queue, survey, close
  const segments = (NODES - fixed) / 5;
  if (!Number.isInteger(segments)) throw new Error(`${NODES} nodes do not split into segments of 5`);
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const perRow = 10;
  const at = (col: number, row: number) => ({ x: col * 230, y: row * 160 });
  const node = (id: string, type: string, position: { x: number; y: number }, parameters: Record<string, unknown> = {}, typeVersion = 1) =>
    nodes.push({ id, type, typeVersion, position, parameters });
  const edge = (from: string, handle: string, to: string) => edges.push({ id: `e${edges.length + 1}`, from: { nodeId: from, handle }, to: { nodeId: to } });

  node('start', 'start', at(0, 0));
  node('tag', 'set-attribute', at(1, 0), { attributes: { source: 'bench' } });
  edge('start', 'next', 'tag');
  edge('tag', 'next', 'normalize-0');
  for (let s = 0; s < segments; s++) {
    const row = 1 + Math.floor(s / perRow);
    const col = (s % perRow) * 5;
    node(`normalize-${s}`, 'normalize', at(col, row));
    node(`bot-${s}`, 'bot', at(col + 1, row), { faqSet: 'default', minConfidence: 0.5 });
    node(`rules-${s}`, 'rules', at(col + 2, row), {
      rules: [{ name: 'asks-for-agent', priority: 10, conditions: { all: [{ fact: 'message', path: '$.text', operator: 'containsAny', value: ['人工', 'agent'] }] }, event: { type: 'agent' } }],
      defaultHandle: 'bot',
    });
    node(`reply-${s}`, 'reply', at(col + 3, row), { text: { zh: `第 ${s + 1} 轮：还有什么可以帮您？`, en: `Round ${s + 1}: anything else?` } });
    node(`wait-${s}`, 'wait', at(col + 4, row), { timeoutSeconds: 600 });
    edge(`normalize-${s}`, 'next', `bot-${s}`);
    edge(`bot-${s}`, 'next', `rules-${s}`);
    edge(`rules-${s}`, 'agent', 'queue');
    edge(`rules-${s}`, 'bot', `reply-${s}`);
    edge(`reply-${s}`, 'next', `wait-${s}`);
    edge(`wait-${s}`, 'message', `normalize-${(s + 1) % segments}`);
    edge(`wait-${s}`, 'timeout', 'close');
  }
  node('queue', 'queue', at(2, 0), { queue: 'general', priority: 0, slaSeconds: 60, requiredSkills: [], assignRetrySeconds: 5 }, 2);
  node('survey', 'survey', at(3, 0), { timeoutSeconds: 300 });
  node('close', 'close', at(4, 0));
  edge('queue', 'closed', 'survey');
  edge('survey', 'next', 'close');
  return { schemaVersion: FLOW_SCHEMA_VERSION, nodes, edges };
}

// ---------------------------------------------------------------- the platform

interface Platform {
  url: string;
  analystToken: string;
  stop(): Promise<void>;
}

async function startPlatform(dir: string): Promise<Platform> {
  log(`starting Temporal and FerretDB in ${dir}`);
  const processes: ManagedProcess[] = [];
  const stopAll = async () => { for (const p of processes.reverse()) await p.stop(); };
  try {
    const [temporal, ferret] = await Promise.all([
      startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true, logFile: join(dir, 'temporal.log') }),
      startFerretDB({ dir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log') }),
    ]);
    processes.push(temporal, ferret);
    const store = await openStore(ferret.uri);
    const logins = await seedDemo(store.models).finally(() => store.close());
    const analyst = logins?.find((l) => l.role === 'analyst');
    if (!analyst) throw new Error('the demo seed made no analyst login');
    const config = loadConfig({
      HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'bench-editor', MONGODB_URI: ferret.uri,
    });
    log('starting the API server');
    const server = await runServer(config);
    return {
      url: server.url,
      analystToken: analyst.token,
      async stop() {
        await server.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function buildConsole(): void {
  log('building the console (vite build)');
  const vite = join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'editor/vite.config.ts', '--logLevel', 'warn'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`vite build failed (${result.status ?? result.signal})`);
}

async function createFlow(platform: Platform, definition: FlowDefinition): Promise<string> {
  const res = await fetch(`${platform.url}/api/v1/flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.analystToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Bench ${NODES} nodes`, definition }),
  });
  const body = (await res.json()) as { id?: string; validation?: { ok: boolean; issues: { message: { en: string } }[] } };
  if (res.status !== 201 || !body.id) throw new Error(`creating the flow answered ${res.status}: ${JSON.stringify(body)}`);
  if (!body.validation?.ok) throw new Error(`the bench flow does not validate: ${body.validation?.issues.map((i) => i.message.en).join('; ')}`);
  return body.id;
}

// ---------------------------------------------------------------- the browser

const RENDERED = '.react-flow__node:not([style*="visibility: hidden"])';

/** Opens the editor in a fresh context (cold cache) and returns ms from navigation start to all nodes rendered. */
async function timeFirstRender(browser: Browser, platform: Platform, flowId: string): Promise<{ ms: number; page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('huiliu.flowsToken', ${JSON.stringify(platform.analystToken)})`);
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  await page.goto(`${platform.url}/flows/${flowId}`, { waitUntil: 'commit' });
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(RENDERED)}).length >= ${NODES}`, undefined, { polling: 'raf' });
  const ms = await page.evaluate<number>('performance.now()'); // counts from navigation start
  return { ms, page, close: () => context.close() };
}

interface Frames {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  fps: number;
}

// Runs in the page (as source text: this file is type-checked without the DOM library).
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__stop = false;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_FRAMES = '(() => { window.__stop = true; return window.__frames.slice(1); })()';

/** Frame times (requestAnimationFrame deltas) while `act` runs. */
async function frameTimes(page: Page, act: () => Promise<void>): Promise<Frames> {
  await page.evaluate(RECORD_FRAMES);
  const started = Date.now();
  await act();
  const elapsed = Date.now() - started;
  const deltas = await page.evaluate<number[]>(STOP_FRAMES);
  const r = (n: number) => Number(n.toFixed(1));
  return { frames: deltas.length, p50: r(percentile(deltas, 50)), p95: r(percentile(deltas, 95)), max: r(Math.max(...deltas)), fps: r(deltas.length / (elapsed / 1000)) };
}

async function panAndZoom(page: Page): Promise<{ pan: Frames; zoom: Frames }> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no React Flow pane on the page');
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  const pan = await frameTimes(page, async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= PAN_STEPS; i++) await page.mouse.move(cx - i * 6, cy - i * 3);
    await page.mouse.up();
  });
  const zoom = await frameTimes(page, async () => {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < ZOOM_STEPS; i++) {
      await page.mouse.wheel(0, i < ZOOM_STEPS / 2 ? -120 : 120);
      await page.waitForTimeout(16);
    }
  });
  return { pan, zoom };
}

// ---------------------------------------------------------------- report

interface Result {
  nodes: number;
  runs: number;
  firstRenderMs: number[];
  firstRender: { min: number; median: number; max: number };
  pan: Frames;
  zoom: Frames;
  target: { firstRenderLimitMs: number; measure: 'median'; pass: boolean };
}

function table(r: Result): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const frames = (f: Frames) => `p50 ${f.p50} ms · p95 ${f.p95} ms · max ${f.max} ms · ${f.fps} fps (${f.frames} frames)`;
  const rows: [string, string][] = [
    ['nodes', String(r.nodes)],
    ...r.firstRenderMs.map((v, i): [string, string] => [`run ${i + 1}: navigation → ${r.nodes} nodes rendered`, ms(v)]),
    ['first render min / median / max', `${ms(r.firstRender.min)} / ${ms(r.firstRender.median)} / ${ms(r.firstRender.max)}`],
    ['pan (drag the canvas)', frames(r.pan)],
    ['zoom (mouse wheel)', frames(r.zoom)],
    [`target: median first render < ${r.target.firstRenderLimitMs} ms`, `${r.target.pass ? 'PASS' : 'FAIL'} (${ms(r.firstRender.median)})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Huiliu flow editor benchmark (headless Chromium, cold cache per run)', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be an integer from 1 to 50, got "${values.runs}"`);

  buildConsole();
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-bench-editor-'));
  const platform = await startPlatform(dir);
  let browser: Browser | undefined;
  try {
    const flowId = await createFlow(platform, bigFlow());
    log(`flow ${flowId} created; launching Chromium`);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const firstRenderMs: number[] = [];
    let last: Awaited<ReturnType<typeof timeFirstRender>> | undefined;
    for (let i = 0; i < runs; i++) {
      await last?.close();
      last = await timeFirstRender(browser, platform, flowId);
      firstRenderMs.push(Number(last.ms.toFixed(1)));
      log(`run ${i + 1}/${runs}: ${last.ms.toFixed(0)} ms`);
    }
    log('panning and zooming');
    const { pan, zoom } = await panAndZoom(last!.page);
    await last?.close();
    const median = percentile(firstRenderMs, 50);
    const result: Result = {
      nodes: NODES, runs, firstRenderMs,
      firstRender: { min: Math.min(...firstRenderMs), median, max: Math.max(...firstRenderMs) },
      pan, zoom,
      target: { firstRenderLimitMs: TARGET_FIRST_RENDER_MS, measure: 'median', pass: median < TARGET_FIRST_RENDER_MS },
    };
    console.log(table(result));
    console.log(JSON.stringify(result));
  } finally {
    await browser?.close();
    await platform.stop();
    if (values.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

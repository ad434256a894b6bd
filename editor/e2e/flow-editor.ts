// End-to-end scenario for the visual flow editor, run in headless Chromium
// against a running server (called from an integration test). Self-contained
// on purpose: it imports nothing from the app, so any tsconfig can type-check it.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openConsole, runInBrowser, STEP_TIMEOUT_MS } from './browser';


/** What a conversation started by a new web chat visitor is expected to do. */
export interface ExpectedConversation {
  flowVersion: number;
  /** The queue it ends up `queued` in. */
  queue: string;
  /** The rules node's id and the handle it left through (the rule that decided). */
  rulesNodeId: string;
  handle: string;
}

/** The checks made through the HTTP API, supplied by the test (it holds the admin token and its assertions). */
export interface FlowEditorApiChecks {
  /** Points the demo web chat inbox at the flow. */
  pointInbox(flowId: string): Promise<void>;
  /** A new visitor writes `text` in the demo web chat; the conversation must follow the flow as `expected` says. */
  expectConversation(flowId: string, text: string, expected: ExpectedConversation): Promise<void>;
}

export interface FlowEditorOutcome {
  flowId: string;
  /** Node ids the editor gave the nodes the analyst added. */
  nodes: { start: string; normalize: string; bot: string; rules: string; queue1: string; queue2: string; close: string };
}

/** Queues the two queue nodes use (the seeded ones). */
export const QUEUE_1 = 'general';
export const QUEUE_2 = 'escalation';
const VISITOR_TEXT = 'I am VIP';

/**
 * An analyst signs in at /flows with `analystToken`, creates a flow, empties
 * its canvas and builds from the palette: start → normalize → bot → rules
 * (rules `vip`: message text contains "vip", `human`: bot did not answer;
 * default handle `other`) → two queues (`general`, `escalation`), each queue's
 * required "agent closed" handle to a close node. With `other` unconnected the
 * problems list names it and publishing is blocked; connected, version 1 is
 * published. A web chat conversation follows it (`checks`); the simulator
 * lights up start, normalize, bot, rules, queue 1 with rule `vip` fired. Rule
 * 1's phrase changes to "gold" and version 2 is published: "I am VIP" now goes
 * the `human` way to queue 2. Rollback to version 1 from the versions panel
 * publishes version 3, and new conversations go the `vip` way again.
 * Screenshots: flow-list, flow-editor, flow-problems, flow-simulation,
 * flow-versions (and flow-failure when a step fails) in `screenshotDir`.
 */
export async function runFlowEditorScenario(
  baseUrl: string, analystToken: string, checks: FlowEditorApiChecks, screenshotDir: string,
): Promise<FlowEditorOutcome> {
  return runInBrowser(screenshotDir, 'flow-failure', (page) => scenario(page, baseUrl, analystToken, checks, screenshotDir));
}

async function scenario(page: Page, baseUrl: string, analystToken: string, checks: FlowEditorApiChecks, screenshotDir: string): Promise<FlowEditorOutcome> {
  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`) });

  // Sign in as the analyst and create a flow.
  await openConsole(page, new URL('/flows', baseUrl).href, page.getByTestId('flows-token'));
  await page.getByTestId('flows-token').fill(analystToken);
  await page.getByTestId('flows-sign-in').click();
  await page.getByTestId('flow-list').waitFor();
  const flowName = `VIP routing ${Date.now().toString(36)}`;
  await page.getByTestId('flow-new-name').fill(flowName);
  await page.getByTestId('flow-new-template').selectOption('empty');
  await page.getByTestId('flow-new').click();
  await page.waitForURL(/\/flows\/[^/]+$/);
  const flowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const canvas = page.getByTestId('flow-canvas');
  await canvas.waitFor();
  await page.getByTestId('palette').waitFor();

  // A new flow starts from an empty canvas (the form's default choice).
  if ((await nodeIds(page)).length !== 0 || (await page.locator('.react-flow__edge').count()) !== 0) throw new Error('the new flow is not empty');

  // The nodes, from the palette, dropped on a grid; zoomed out first so seven nodes fit side by side.
  for (let i = 0; i < 3; i++) await page.locator('.react-flow__controls-zoomout').click();
  const box = (await canvas.boundingBox())!;
  const at = (col: number, row: number) => ({ x: box.width * (0.04 + 0.235 * col), y: box.height * (0.12 + 0.4 * row) });
  const start = await dropNode(page, 'start', at(0, 0));
  const normalize = await dropNode(page, 'normalize', at(1, 0));
  const bot = await dropNode(page, 'bot', at(2, 0));
  const rules = await dropNode(page, 'rules', at(3, 0));
  await buildRules(page, rules);
  const queue1 = await dropNode(page, 'queue', at(1, 1));
  await setQueue(page, queue1, QUEUE_1);
  const queue2 = await dropNode(page, 'queue', at(2, 1));
  await setQueue(page, queue2, QUEUE_2);
  const close = await dropNode(page, 'close', at(3, 1));
  const nodes = { start, normalize, bot, rules, queue1, queue2, close };
  await page.locator('.react-flow__controls-fitview').click();

  // Wire everything but the default handle `other`.
  await connect(page, start, 'next', normalize);
  await connect(page, normalize, 'next', bot);
  await connect(page, bot, 'next', rules);
  await connect(page, rules, 'vip', queue1);
  await connect(page, rules, 'human', queue2);
  await connect(page, queue1, 'closed', close);
  await connect(page, queue2, 'closed', close);

  // The saved draft has exactly one problem: the rules node's unconnected `other`; publishing is blocked.
  const problems = page.getByTestId('problems').getByTestId('problem');
  const problem = problems.and(page.locator(`[data-code="unconnected-handle"][data-node-id="${rules}"]`));
  await until('exactly one problem: the unconnected handle', async () => (await problems.count()) === 1 && (await problem.count()) === 1);
  await waitSaved(page);
  const problemText = (await problem.textContent()) ?? '';
  if (!problemText.includes('other')) throw new Error(`The problem does not name the handle "other": ${problemText}`);
  if (!(await page.getByTestId('publish').isDisabled())) throw new Error('Publish is enabled while the flow has a problem');
  if ((await nodeCard(page, rules).getAttribute('data-issues')) !== '1') throw new Error('The rules node does not show its problem');
  await shot('flow-problems');

  // Fix it, tidy the layout and publish version 1.
  await connect(page, rules, 'other', queue2);
  await until('no problems', async () => (await problems.count()) === 0);
  await page.getByTestId('layout').click();
  await waitSaved(page);
  if ((await problems.count()) !== 0) throw new Error(`Problems are still listed: ${(await problems.allTextContents()).join(' | ')}`);
  await publish(page, 'VIP to general, the rest to escalation', 1);
  await nodeCard(page, rules).click({ position: { x: 12, y: 12 } });
  await (await panelFor(page, rules)).getByTestId('rule-1').waitFor();
  await shot('flow-editor');

  // A web chat conversation follows version 1 (checked through the API).
  await checks.pointInbox(flowId);
  await checks.expectConversation(flowId, VISITOR_TEXT, { flowVersion: 1, queue: QUEUE_1, rulesNodeId: rules, handle: 'vip' });

  // The simulator lights up the path start → normalize → bot → rules → queue 1, with rule `vip` fired.
  await page.getByTestId('simulate-open').click();
  await page.getByTestId('simulate-text').fill(VISITOR_TEXT);
  await page.getByTestId('simulate-channel').selectOption('webchat');
  await page.getByTestId('simulate-run').click();
  const result = page.getByTestId('simulate-result');
  await result.waitFor();
  const onPath = [start, normalize, bot, rules, queue1];
  for (const id of onPath) await page.locator(`[data-testid="node-${id}"][data-on-path="true"]`).waitFor();
  for (const id of [queue2, close]) {
    if ((await nodeCard(page, id).getAttribute('data-on-path')) === 'true') throw new Error(`Node ${id} is highlighted but is not on the path`);
  }
  const reason = await result.getAttribute('data-reason');
  if (reason !== 'queued') throw new Error(`The simulation stopped for "${reason}", expected queued`);
  const fired = (await nodeCard(page, rules).locator('.step-fired').textContent()) ?? '';
  const resultText = (await result.textContent()) ?? '';
  if (!/\bvip\b/.test(fired) || !resultText.includes('vip')) throw new Error(`The simulation does not name rule vip as fired: "${fired}" / "${resultText}"`);
  if (!resultText.includes(queue1)) throw new Error(`The simulation result does not reach ${queue1}: "${resultText}"`);
  await shot('flow-simulation');

  // Version 2: rule 1 now needs "gold", so "I am VIP" goes the `human` way to queue 2.
  await nodeCard(page, rules).click({ position: { x: 12, y: 12 } });
  const panel = await panelFor(page, rules);
  await panel.getByTestId('rule-0').getByTestId('cond-value').fill('gold');
  await waitSaved(page);
  if ((await problems.count()) !== 0) throw new Error(`Problems after changing rule 1: ${(await problems.allTextContents()).join(' | ')}`);
  await publish(page, 'VIP needs the word gold', 2);
  await checks.expectConversation(flowId, VISITOR_TEXT, { flowVersion: 2, queue: QUEUE_2, rulesNodeId: rules, handle: 'human' });

  // Roll back to version 1 from the versions panel: version 3, and the version-1 behaviour again.
  await page.getByTestId('versions').click();
  await page.getByTestId('version-2').waitFor();
  await page.getByTestId('rollback-1').click();
  await page.getByTestId('rollback-message').fill('Back to version 1');
  await page.getByTestId('rollback-confirm').click();
  await page.locator('[data-testid="published-version"][data-version="3"]').waitFor();
  await page.getByTestId('version-3').waitFor();
  const v3 = (await page.getByTestId('version-3').textContent()) ?? '';
  if (!/\bv1(?!\d)/.test(v3)) throw new Error(`Version 3 does not say it rolls back version 1: "${v3}"`);
  await shot('flow-versions');
  // The draft follows the rollback, so the next publish does not bring "gold" back.
  await page.getByTestId('tab-node').click();
  await nodeCard(page, rules).click({ position: { x: 12, y: 12 } });
  const restored = (await panelFor(page, rules)).getByTestId('rule-0').getByTestId('cond-value');
  await until('the draft to be version 1 again', async () => (await restored.inputValue()) === 'vip');
  await checks.expectConversation(flowId, VISITOR_TEXT, { flowVersion: 3, queue: QUEUE_1, rulesNodeId: rules, handle: 'vip' });

  // The flow list shows the flow live at version 3.
  await openConsole(page, new URL('/flows', baseUrl).href, page.getByTestId('flow-list'));
  const row = page.locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`);
  await row.waitFor();
  await row.getByText('v3', { exact: true }).waitFor();
  await shot('flow-list');
  return { flowId, nodes };
}

// ------------------------------------------------------------ helpers

/** Polls `probe` until it holds; bounded. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


const nodeIds = (page: Page) =>
  page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));

const nodeCard = (page: Page, id: string) => page.getByTestId(`node-${id}`);

/** The side panel once it shows node `id`. */
async function panelFor(page: Page, id: string): Promise<Locator> {
  const panel = page.getByTestId('node-panel');
  await panel.locator('code', { hasText: new RegExp(`^${id}$`) }).waitFor();
  return panel;
}

/** Drags a palette item onto the canvas at `at` (relative to the canvas); returns the new node's id. */
async function dropNode(page: Page, type: string, at: { x: number; y: number }): Promise<string> {
  const before = new Set(await nodeIds(page));
  await page.getByTestId('palette-search').fill(type);
  await page.getByTestId(`palette-item-${type}`).dragTo(page.getByTestId('flow-canvas'), { targetPosition: at });
  await page.getByTestId('palette-search').fill('');
  let added: string[] = [];
  await until(`a ${type} node on the canvas`, async () => {
    added = (await nodeIds(page)).filter((id) => !before.has(id));
    return added.length > 0;
  });
  if (added.length !== 1) throw new Error(`dropping ${type} added ${added.length} nodes`);
  await panelFor(page, added[0]);
  return added[0];
}

async function setQueue(page: Page, nodeId: string, queue: string): Promise<void> {
  const panel = await panelFor(page, nodeId);
  await panel.getByTestId('param-queue').selectOption(queue);
}

/** The rules node's two rules, made in the condition builder, and its default handle. */
async function buildRules(page: Page, nodeId: string): Promise<void> {
  const panel = await panelFor(page, nodeId);
  const rule = async (i: number, name: string, condition: { fact: string; path: string; operator: string; value: (value: Locator) => Promise<unknown> }) => {
    await panel.getByTestId('rule-add').click();
    const card = panel.getByTestId(`rule-${i}`);
    await card.getByTestId(`rule-${i}-name`).fill(name);
    await card.getByTestId(`rule-${i}-event`).fill(name);
    if ((await card.getByTestId('cond').count()) === 0) await card.getByTestId(`rule-${i}-add-condition`).click();
    const cond = card.getByTestId('cond').first();
    await cond.getByTestId('cond-fact').selectOption(condition.fact);
    await cond.getByTestId('cond-path').selectOption(`$.${condition.path}`);
    await cond.getByTestId('cond-operator').selectOption(condition.operator);
    await condition.value(cond.getByTestId('cond-value'));
    if ((await card.getByTestId('cond').count()) !== 1) throw new Error(`rule ${name} has more than one condition`);
  };
  await rule(0, 'vip', { fact: 'message', path: 'text', operator: 'containsAny', value: (v) => v.fill('vip') });
  await rule(1, 'human', { fact: 'bot', path: 'answered', operator: 'equal', value: (v) => v.selectOption('false') });
  await panel.getByTestId('rules-default-handle').fill('other');
  for (const handle of ['vip', 'human', 'other']) {
    await page.locator(`.react-flow__handle.source[data-nodeid="${nodeId}"][data-handleid="${handle}"]`).waitFor();
  }
}

/** Drags from a source handle to the target node's target handle, as a person would. */
async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const from = page.locator(`.react-flow__handle.source[data-nodeid="${source}"][data-handleid="${handle}"]`);
  const to = page.locator(`.react-flow__handle.target[data-nodeid="${target}"]`);
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  for (let attempt = 1; ; attempt++) {
    const a = await centre(from);
    const b = await centre(to);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    try {
      await until(`an edge ${source}.${handle} → ${target}`, async () => (await edges.count()) > before, 3_000);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.waitFor();
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`no box for ${locator.toString()}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
}

async function publish(page: Page, message: string, version: number): Promise<void> {
  const button = page.getByTestId('publish');
  await until('publish to be enabled', () => button.isEnabled());
  await button.click();
  await page.getByTestId('publish-message').fill(message);
  await page.getByTestId('publish-confirm').click();
  await page.locator(`[data-testid="published-version"][data-version="${version}"]`).waitFor();
  await page.getByTestId('publish-confirm').waitFor({ state: 'detached' });
}

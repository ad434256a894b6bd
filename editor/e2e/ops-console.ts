// End-to-end scenario for the operations console (/ops), run in headless
// Chromium against a running server (called from an integration test).
// Self-contained on purpose: it imports nothing from the app, so any tsconfig
// can type-check it.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openConsole, runInBrowser, STEP_TIMEOUT_MS } from './browser';

export type StuckReason = 'activity-failing' | 'workflow-task-failing' | 'sla-breached' | 'idle';

export interface OpsConsoleInput {
  /** A person with the operator (or admin) role. */
  operatorToken: string;
  /** A person without it (an agent): the list must say which role is needed. Skipped when absent. */
  agentToken?: string;
  /** A conversation the test has made stuck, and the reason the list must give first. It is opened and moved on. */
  stuck: { workflowId: string; reason: StuckReason };
  /**
   * When given, "retry now" on `stuck` must be refused with an error containing
   * this text (e.g. nothing is failing when it only waits past its SLA): shown
   * in the dialog, which stays open and is cancelled.
   */
  retryRefusedWith?: string;
  /** The flow step `stuck` is rerouted to (typed in as "another step"); afterwards it is no longer stuck. */
  rerouteToStep: string;
  /** Another conversation stuck for the same reason: ticked in the list for the bulk replay check. */
  bulkTarget: string;
}

export interface OpsConsoleOutcome {
  /** What the replay check said about `stuck`: the summary and the verdict line. */
  replay: { summary: string; verdict: string };
  /** The refusal the retry dialog showed, when one was expected. */
  retryRefusal?: string;
  /** The reroute's summary, as shown. */
  rerouteSummary: string;
  /** The bulk replay check over the ticked row: the plan's rows, the progress bar at the end, the summary. */
  bulk: { planned: string[]; total: number; done: number; summary: string };
}

/**
 * In Chinese (the browser's locale). When `agentToken` is given, an agent
 * signs in at /ops and is told the operator or admin role is needed, then
 * signs out. The operator signs in; `stuck` and `bulkTarget` show up in the
 * list (refreshed until they do) with the reason badge, and that reason's
 * chip counts at least 2; the chip filters the list to that reason (and says
 * so in the address). `stuck`'s page shows the reason and the timeline; a
 * replay check says the deployed code is compatible; a retry is refused in
 * its dialog when `retryRefusedWith` says so; a reroute to `rerouteToStep`
 * shows its summary and, after a reload, the conversation is no longer stuck.
 * Every dialog's confirm button is disabled until a reason is typed. Back on
 * the (still filtered) list, `stuck` is gone; `bulkTarget` is ticked and a
 * bulk replay check is dry-run (the plan names it, and only it) and run (the
 * progress bar reaches 1/1, the summary says 1 succeeded). Screenshots:
 * ops-forbidden, ops-list, ops-conversation, ops-action, ops-bulk (and
 * ops-failure when a step fails) in `screenshotDir`.
 */
export async function runOpsConsoleScenario(baseUrl: string, input: OpsConsoleInput, screenshotDir: string): Promise<OpsConsoleOutcome> {
  return runInBrowser(screenshotDir, 'ops-failure', (page) => scenario(page, baseUrl, input, screenshotDir));
}

async function scenario(page: Page, baseUrl: string, input: OpsConsoleInput, screenshotDir: string): Promise<OpsConsoleOutcome> {
  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  const { workflowId, reason } = input.stuck;
  const opsUrl = new URL('/ops', baseUrl).href;

  // Without the role: the list says which one is needed.
  if (input.agentToken) {
    await openConsole(page, opsUrl, page.getByTestId('ops-token'));
    await signIn(page, input.agentToken);
    const forbidden = page.getByTestId('error-forbidden');
    await forbidden.waitFor();
    const text = (await forbidden.textContent()) ?? '';
    if (!text.includes('需要运维或管理员角色')) throw new Error(`the 403 notice says "${text}"`);
    if ((await page.getByTestId('stuck-row').count()) > 0) throw new Error('an agent is shown stuck conversations');
    await shot('ops-forbidden');
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByTestId('ops-token').waitFor();
  }

  // The operator signs in; both stuck conversations are listed.
  await openConsole(page, opsUrl, page.getByTestId('ops-token'));
  await signIn(page, input.operatorToken);
  await page.getByTestId('ops-list').waitFor();
  const who = (await page.getByTestId('ops-who').textContent()) ?? '';
  if (!who.includes('运维')) throw new Error(`the header shows "${who}", not the operator role`);
  const row = await rowOf(page, workflowId);
  await rowOf(page, input.bulkTarget);
  for (const id of [workflowId, input.bulkTarget]) {
    const badges = await rowLocator(page, id).getByTestId('reason-badge').evaluateAll((els) => els.map((e) => [e.getAttribute('data-reason'), e.textContent]));
    if (badges[0]?.[0] !== reason) throw new Error(`${id} is listed as ${JSON.stringify(badges)}, expected ${reason} first`);
    if (reason === 'sla-breached' && badges[0][1] !== '超过SLA无人接待') throw new Error(`the ${reason} badge reads "${badges[0][1]}"`);
  }
  const chip = page.getByTestId(`count-${reason}`);
  const count = Number((await chip.locator('.ops-chip-count').textContent()) ?? '0');
  if (!(count >= 2)) throw new Error(`the ${reason} chip counts ${count}, expected at least the 2 made stuck`);
  await shot('ops-list');

  // The chip filters the list to that reason (and says so in the address).
  await chip.click();
  await page.waitForURL((url) => url.searchParams.get('reason') === reason);
  await rowOf(page, workflowId);
  if ((await chip.getAttribute('aria-pressed')) !== 'true') throw new Error('the chip does not show it is pressed');
  const otherReasons = await page.locator('[data-testid="stuck-row"] > td > [data-testid="reason-badge"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
  if (otherReasons.some((r) => r !== reason)) throw new Error(`the filtered list still shows ${otherReasons.join(', ')}`);

  // Its page: the reason and the timeline.
  await row.getByRole('link', { name: workflowId }).click();
  await page.getByTestId('ops-conversation').waitFor();
  if (decodeURIComponent(new URL(page.url()).pathname) !== `/ops/${workflowId}`) throw new Error(`the conversation page is at ${page.url()}`);
  const stuckBadge = page.getByTestId('conv-stuck').getByTestId('reason-badge').first();
  if ((await stuckBadge.getAttribute('data-reason')) !== reason) throw new Error(`the page gives the reason as ${await stuckBadge.getAttribute('data-reason')}`);
  await page.getByTestId('timeline-entry').first().waitFor();
  const kinds = await page.getByTestId('timeline-kind').allTextContents();
  if (!kinds.some((k) => k.includes('收到消息') || k.includes('排队'))) throw new Error(`the timeline shows only: ${kinds.join(' | ')}`);
  await shot('ops-conversation');

  // A replay check: changes nothing, says whether the deployed code replays it.
  const replaySummary = await act(page, 'replay-check', async () => undefined, 'e2e: check the history against the deployed code');
  const verdict = (await page.getByTestId('replay-result').textContent()) ?? '';
  if (!verdict.includes('兼容')) throw new Error(`the replay check says "${replaySummary}" / "${verdict}"`);

  // Retry: refused when nothing is failing; the refusal is shown in the dialog.
  let retryRefusal: string | undefined;
  if (input.retryRefusedWith !== undefined) {
    await page.getByTestId('action-retry').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('action-reason').fill('e2e: retry now');
    await dialog.getByTestId('action-confirm').click();
    const error = dialog.getByTestId('error');
    await error.waitFor();
    retryRefusal = (await error.textContent()) ?? '';
    if (!retryRefusal.includes(input.retryRefusedWith)) throw new Error(`the retry dialog says "${retryRefusal}"`);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  // Reroute to another flow step, typed in (it is not one the conversation went through).
  const rerouteSummary = await act(page, 'reroute', async (dialog) => {
    await dialog.getByTestId('reroute-step').check();
    await dialog.getByTestId('reroute-step-select').selectOption({ label: '其他步骤…' });
    await dialog.getByTestId('reroute-step-input').fill(input.rerouteToStep);
  }, 'e2e: nobody is online today');
  if (!rerouteSummary.includes(input.rerouteToStep)) throw new Error(`the reroute says "${rerouteSummary}"`);
  // It moves on: reloaded until the page says it is no longer stuck.
  await until('the rerouted conversation no longer stuck', async () => {
    if (((await page.getByTestId('conv-stuck').textContent()) ?? '').includes('未卡住')) return true;
    await page.getByTestId('conv-reload').click();
    return false;
  });
  await shot('ops-action');

  // Back to the list (with its filter): the rerouted one is gone; tick the other, bulk replay check.
  await page.getByRole('link', { name: '← 卡住的会话' }).click();
  await page.getByTestId('ops-list').waitFor();
  if (new URL(page.url()).searchParams.get('reason') !== reason) throw new Error(`back on the list without its filter: ${page.url()}`);
  await until(`${workflowId} off the list`, async () => {
    if ((await rowLocator(page, workflowId).count()) === 0) return true;
    await page.getByTestId('ops-refresh').click();
    return false;
  });
  const target = await rowOf(page, input.bulkTarget);
  await target.getByRole('checkbox').check();
  if ((await target.getAttribute('aria-selected')) !== 'true') throw new Error('the ticked row is not shown as selected');
  const panel = page.getByTestId('bulk-panel');
  await panel.getByTestId('bulk-scope-selected').check();
  await panel.getByTestId('bulk-action').selectOption('replay-check');
  if (!(await panel.getByTestId('bulk-dry-run').isDisabled())) throw new Error('a bulk dry run can start without a reason');
  await panel.getByTestId('bulk-reason').fill('e2e: bulk replay check');
  await panel.getByTestId('bulk-dry-run').click();
  const plan = panel.getByTestId('bulk-plan');
  await plan.waitFor();
  const planned = await plan.getByTestId('plan-row').allTextContents();
  if (planned.length !== 1 || !planned[0].includes(input.bulkTarget)) throw new Error(`the plan is not just ${input.bulkTarget}: ${planned.join(' | ')}`);
  await panel.getByTestId('bulk-run').click();
  const summary = panel.getByTestId('bulk-summary');
  await summary.waitFor();
  const bar = panel.getByRole('progressbar');
  const total = Number(await bar.getAttribute('aria-valuemax'));
  const done = Number(await bar.getAttribute('aria-valuenow'));
  if (total !== 1 || done !== 1) throw new Error(`the bulk job over one ticked row ended at ${done}/${total}`);
  const summaryText = (await summary.textContent()) ?? '';
  if (!summaryText.includes('成功 1 个，失败 0 个')) throw new Error(`the bulk summary says "${summaryText}"`);
  await shot('ops-bulk');

  return { replay: { summary: replaySummary, verdict }, retryRefusal, rerouteSummary, bulk: { planned, total, done, summary: summaryText } };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByTestId('ops-token').fill(token);
  await page.getByTestId('ops-sign-in').click();
}

const rowLocator = (page: Page, workflowId: string) => page.locator(`[data-testid="stuck-row"][data-workflow-id="${workflowId}"]`);

/** The list's row for `workflowId`, refreshing until it shows up. */
async function rowOf(page: Page, workflowId: string): Promise<Locator> {
  const row = rowLocator(page, workflowId);
  const deadline = Date.now() + STEP_TIMEOUT_MS * 2;
  for (;;) {
    try {
      await row.waitFor({ timeout: 3_000 });
      return row;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${workflowId} never showed up in the stuck list`, { cause: error });
      await page.getByTestId('ops-refresh').click();
    }
  }
}

/** Polls `check` (every 500 ms, for up to a step's timeout) until it says true. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Runs an action from the conversation's action bar: fills the action's own
 * fields, checks the confirm button waits for a reason, gives `reason`;
 * returns the result shown (once it replaces the previous one).
 */
async function act(page: Page, action: string, fill: (dialog: Locator) => Promise<void>, reason: string): Promise<string> {
  const result = page.getByTestId('action-result');
  const before = (await result.count()) > 0 ? await result.textContent() : null;
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByRole('dialog');
  await fill(dialog);
  const confirm = dialog.getByTestId('action-confirm');
  if (!(await confirm.isDisabled())) throw new Error(`the ${action} dialog can be confirmed without a reason`);
  await dialog.getByTestId('action-reason').fill(reason);
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });
  await result.waitFor();
  // A second action replaces the first one's result: wait for the new words.
  let text = '';
  await until(`the ${action} result to replace "${before}"`, async () => {
    text = (await result.textContent()) ?? '';
    return text !== before;
  });
  return text;
}


// End-to-end scenario for the first screen, run in headless Chromium against a
// running server (called from an integration test). Self-contained on purpose:
// it imports nothing from the app, so any tsconfig can type-check it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runInBrowser } from './browser';

/**
 * The visitor asks for a human ("人工") and sees the system message; the agent
 * signs in with `agentToken`, goes online, accepts the conversation and
 * replies "您好"; the visitor sees the reply; the agent closes; the visitor
 * rates 5 (the survey's "5 …" choice, or 5 stars where the survey offers no
 * choices) and the agent sees the rating. Saves visitor.png and agent.png (and
 * failure.png when a step fails) into `screenshotDir`.
 */
export async function runFirstScreenScenario(baseUrl: string, agentToken: string, screenshotDir: string): Promise<void> {
  await runInBrowser(screenshotDir, 'failure', (page) => scenario(page, baseUrl, agentToken, screenshotDir));
}

async function scenario(page: Page, baseUrl: string, agentToken: string, screenshotDir: string): Promise<void> {
  await page.goto(new URL('/?inbox=demo-webchat', baseUrl).href);
  const visitor = page.getByTestId('visitor-pane');
  const agent = page.getByTestId('agent-pane');
  const transcript = visitor.getByTestId('visitor-transcript');

  // Visitor asks for a human (the stream replays anything sent before it connects).
  const visitorId = (await visitor.getByTestId('visitor-id').textContent())?.trim();
  if (!visitorId) throw new Error('The visitor pane shows no visitor id');
  await visitor.getByTestId('visitor-input').fill('人工');
  await visitor.getByTestId('visitor-send').click();
  await transcript.locator('[data-author="system"]').first().waitFor();

  // Agent: sign in, go online, accept this visitor's conversation and reply.
  await agent.getByTestId('agent-token').fill(agentToken);
  await agent.getByTestId('agent-sign-in').click();
  const status = agent.getByTestId('agent-status');
  await status.waitFor();
  if ((await status.getAttribute('data-status')) !== 'online') await status.click();
  await agent.locator('[data-testid="agent-status"][data-status="online"]').waitFor();
  await agent.locator(`[data-testid="conversation-item"][data-visitor-id="${visitorId}"]`).click();
  await agent.getByTestId('agent-accept').click();
  await agent.getByTestId('agent-reply-input').fill('您好');
  await agent.getByTestId('agent-reply-send').click();

  // Visitor sees the reply; the agent closes; the visitor rates 5.
  await transcript.locator('[data-author="agent"]', { hasText: '您好' }).first().waitFor();
  await agent.getByTestId('agent-close').click();
  const survey = transcript.locator('[data-kind="survey"]').last();
  await survey.waitFor();
  const five = survey.locator('[data-testid="choice"][data-choice-id="5"]');
  if (await five.count()) {
    const label = (await five.textContent())?.trim() ?? '';
    await five.click();
    await transcript.locator('[data-author="visitor"]:not([data-pending])').getByText(label, { exact: true }).last().waitFor();
    await survey.locator('[data-testid="choices"][data-open="false"] [data-choice-id="5"].chosen').waitFor();
  } else {
    await survey.getByTestId('survey-star-5').click();
    await transcript.locator('[data-author="visitor"]:not([data-pending])').getByText('5', { exact: true }).last().waitFor();
  }
  await agent.locator('[data-testid="conversation-rating"][data-rating="5"]').waitFor();

  await visitor.screenshot({ path: join(screenshotDir, 'visitor.png') });
  await agent.screenshot({ path: join(screenshotDir, 'agent.png') });
}

/**
 * A visitor on a phone-width screen (390 px) whose transcript holds `visitorId`'s
 * message with choices (stored by the caller): the choices are buttons that
 * wrap inside the chat; the visitor reaches one with the keyboard and picks
 * it; the label arrives as the visitor's own message and the buttons close,
 * the picked one marked. Saves choices-phone.png.
 */
export async function runChoicesScenario(baseUrl: string, visitorId: string, pick: { id: string; label: string }, screenshotDir: string): Promise<void> {
  await runInBrowser(screenshotDir, 'choices-failure', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The root tsconfig has no DOM library: page scripts are given as source text.
    await page.addInitScript({ content: `localStorage.setItem('huiliu.visitorId', ${JSON.stringify(visitorId)});` });
    await page.goto(new URL('/?inbox=demo-webchat', baseUrl).href);
    const transcript = page.getByTestId('visitor-transcript');
    const group = transcript.locator('[data-testid="choices"][data-open="true"]').last();
    await group.waitFor();

    // Every button lies inside the chat: the row wraps instead of overflowing.
    const bounds = await transcript.boundingBox();
    const boxes = [];
    for (const b of await group.getByRole('button').all()) boxes.push(await b.boundingBox());
    if (!bounds || boxes.length < 2) throw new Error(`expected choice buttons, found ${boxes.length}`);
    const outside = boxes.filter((b) => !b || b.x < bounds.x || b.x + b.width > bounds.x + bounds.width + 0.5);
    if (outside.length > 0) throw new Error(`${outside.length} choice buttons stick out of the chat at 390 px`);
    if (new Set(boxes.map((b) => Math.round(b!.y))).size < 2) throw new Error('the choices did not wrap onto a second line at 390 px');
    if (await transcript.evaluate((el) => el.scrollWidth > el.clientWidth + 1)) throw new Error('the transcript scrolls sideways at 390 px');

    // Keyboard: Tab from the transcript to the chosen button, then Enter.
    const button = group.locator(`[data-choice-id="${pick.id}"]`);
    const focused = () => button.evaluate((el) => el === el.ownerDocument.activeElement);
    await transcript.focus();
    for (let tabs = 0; tabs < 10 && !(await focused()); tabs++) await page.keyboard.press('Tab');
    if (!(await focused())) throw new Error('Tab does not reach the choice button');
    await page.keyboard.press('Enter');

    await transcript.locator('[data-author="visitor"]:not([data-pending])').getByText(pick.label, { exact: true }).waitFor();
    const answered = transcript.locator(`[data-testid="choices"][data-open="false"] [data-choice-id="${pick.id}"].chosen`);
    await answered.waitFor();
    if (!(await answered.isDisabled())) throw new Error('an answered choice can still be clicked');
    await page.screenshot({ path: join(screenshotDir, 'choices-phone.png'), fullPage: true });
  });
}

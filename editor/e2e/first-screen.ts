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
 * rates 5 stars and the agent sees the rating. Saves visitor.png and agent.png (and failure.png when a step
 * fails) into `screenshotDir`.
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

  // Visitor sees the reply; the agent closes; the visitor rates 5 stars.
  await transcript.locator('[data-author="agent"]', { hasText: '您好' }).first().waitFor();
  await agent.getByTestId('agent-close').click();
  await transcript.getByTestId('survey-star-5').last().click();
  await transcript.locator('[data-author="visitor"]:not([data-pending])').getByText('5', { exact: true }).last().waitFor();
  await agent.locator('[data-testid="conversation-rating"][data-rating="5"]').waitFor();

  await visitor.screenshot({ path: join(screenshotDir, 'visitor.png') });
  await agent.screenshot({ path: join(screenshotDir, 'agent.png') });
}

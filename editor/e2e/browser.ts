// Runs one end-to-end scenario in Debian's Chromium (headless; nothing is
// downloaded) and, when a step fails, saves `<failureShot>.png` and adds what
// the page showed (errors, listed problems, page exceptions) to the error.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';

export const STEP_TIMEOUT_MS = 30_000;

export async function runInBrowser<T>(screenshotDir: string, failureShot: string, scenario: (page: Page) => Promise<T>): Promise<T> {
  await mkdir(screenshotDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      return await scenario(page);
    } catch (error) {
      await page.screenshot({ path: join(screenshotDir, `${failureShot}.png`), fullPage: true }).catch(() => undefined);
      if (error instanceof Error) {
        const shown = await page.locator('.notice-error, [data-testid="error"]').allTextContents().catch(() => []);
        if (shown.length > 0) error.message += `\nErrors shown on the page: ${shown.join(' | ')}`;
        const problems = await page.getByTestId('problem').allTextContents().catch(() => []);
        if (problems.length > 0) error.message += `\nProblems listed: ${problems.join(' | ')}`;
        if (pageErrors.length > 0) error.message += `\nPage errors: ${pageErrors.join(' | ')}`;
      }
      throw error;
    }
  } finally {
    await browser.close();
  }
}

/** Opens `url`; while the console is being rebuilt (another `npm run build`), the server says so: try again, bounded. */
export async function openConsole(page: Page, url: string, ready: Locator): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await page.goto(url);
    try {
      await ready.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

// End-to-end scenario for the embeddable web chat widget, run in headless
// Chromium (called from test/widget.browser.test.ts). Self-contained on
// purpose: it imports nothing from the app, so any tsconfig can type-check it.
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { runInBrowser } from './browser';

export interface WidgetScenario {
  /** A page on another origin that pastes the snippet. */
  hostUrl: string;
  inboxId: string;
  screenshotDir: string;
  /** A picture to send (PNG bytes). */
  image: Buffer;
  /** The answer the bot gives to "How do I get a refund?". */
  refundAnswer: string;
  /** Waits for the visitor's conversation to be queued, and has an agent accept it; its id. */
  acceptConversation(visitorId: string): Promise<string>;
  agentTyping(conversationId: string, typing: boolean): Promise<void>;
  agentReply(conversationId: string, text: string): Promise<void>;
  closeConversation(conversationId: string): Promise<void>;
  /** The visitor's transcript as the server stores it. */
  serverTranscript(visitorId: string): Promise<{ id: string; author: string; text: string }[]>;
  /** Cuts every connection between the browser and the server, and refuses new ones, until restored. */
  dropConnections(): void;
  restoreConnections(): void;
}

/**
 * The visitor opens the panel, asks the bot and gets its answer, sends a
 * picture that shows in the transcript, asks for a person and sees the agent
 * typing; then the connection drops while the agent answers twice and the
 * visitor writes; once it is back, every message shows exactly once. The
 * agent closes and the visitor rates with the survey's buttons. At 390 px
 * wide the panel fills the screen. Saves widget-desktop.png,
 * widget-phone.png (and widget-failure.png when a step fails).
 */
export async function runWidgetScenario(s: WidgetScenario): Promise<void> {
  await runInBrowser(s.screenshotDir, 'widget-failure', (page) => scenario(page, s));
}

async function scenario(page: Page, s: WidgetScenario): Promise<void> {
  await page.goto(s.hostUrl);
  const launcher = page.locator('#huiliu-widget .launcher');
  await launcher.waitFor();
  if ((await launcher.getAttribute('aria-label')) !== 'Chat with us') throw new Error('the launcher is not labelled in the page\'s language (data-lang="en")');
  // The site's own styles do not reach inside the widget: its button keeps its look.
  const launcherColor = await launcher.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor);
  if (launcherColor !== 'rgb(15, 118, 110)') throw new Error(`the site's CSS changed the launcher: ${String(launcherColor)}`);

  await launcher.click();
  const panel = page.locator('#huiliu-widget .panel');
  await panel.waitFor({ state: 'visible' });
  const chat = page.frameLocator('#huiliu-widget iframe');
  await chat.locator('[data-testid="widget-stream"][data-state="open"]').waitFor();
  const transcript = chat.getByTestId('widget-transcript');
  const visitorId = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(`huiliu.widget.${s.inboxId}.visitorId`)})`);
  if (!visitorId) throw new Error('the widget keeps no visitor id in the site\'s localStorage');

  // Ask the bot.
  await say(chat, 'How do I get a refund?');
  await transcript.locator('[data-author="bot"]', { hasText: s.refundAnswer }).waitFor();

  // A picture: uploaded, sent, shown.
  await chat.getByTestId('widget-file').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: s.image });
  const picture = transcript.locator('[data-author="visitor"]:not([data-pending]) img[src*="/api/v1/media/"]');
  await picture.waitFor();
  const loaded = () => picture.evaluate((img) => {
    const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
    return complete && naturalWidth > 0;
  });
  await waitUntil(loaded, 'the picture to load');

  // A person, who types.
  await say(chat, '人工');
  await transcript.locator('[data-author="system"]').first().waitFor();
  const conversationId = await s.acceptConversation(visitorId);
  await s.agentTyping(conversationId, true);
  await chat.getByTestId('widget-typing').waitFor();
  await s.agentReply(conversationId, 'Hello, this is Li Na.');
  await transcript.locator('[data-author="agent"]', { hasText: 'Hello, this is Li Na.' }).waitFor();
  await chat.getByTestId('widget-typing').waitFor({ state: 'detached' });
  await page.screenshot({ path: join(s.screenshotDir, 'widget-desktop.png') });

  // The connection drops: the agent answers twice and the visitor writes meanwhile.
  s.dropConnections();
  await chat.locator('[data-testid="widget-stream"]:not([data-state="open"])').waitFor();
  await s.agentReply(conversationId, 'First answer while you were away.');
  await s.agentReply(conversationId, 'Second answer while you were away.');
  await say(chat, 'Are you still there?');
  await new Promise((r) => setTimeout(r, 1_500));
  if (await transcript.getByText('First answer while you were away.').count()) throw new Error('a message arrived while the connection was down');
  s.restoreConnections();

  await chat.locator('[data-testid="widget-stream"][data-state="open"]').waitFor();
  await transcript.locator('[data-author="agent"]', { hasText: 'Second answer while you were away.' }).waitFor();
  await transcript.locator('[data-author="visitor"]:not([data-pending])', { hasText: 'Are you still there?' }).waitFor();
  // Every stored message shows once, in the server's order; nothing the visitor sent is left pending.
  await waitUntil(async () => (await s.serverTranscript(visitorId)).some((m) => m.text === 'Are you still there?'), 'the visitor\'s message stored');
  const stored = await s.serverTranscript(visitorId);
  const shown = await shownMessages(transcript);
  const expected = stored.map((m) => `${m.author}: ${m.text}`);
  // A picture's bubble shows the picture, not its placeholder text: compared by place only.
  const differs = shown.length !== expected.length || expected.some((line, i) => !line.endsWith('[图片 Image]') && shown[i] !== line);
  if (differs) throw new Error(`the widget shows\n${shown.join('\n')}\nbut the server stored\n${expected.join('\n')}`);
  if (new Set(stored.map((m) => m.text)).size !== stored.length) throw new Error(`the server stored a message twice: ${expected.join(' | ')}`);
  if (await transcript.locator('[data-pending]').count()) throw new Error('a message is still pending');

  // The agent closes: the survey's choices are buttons in the widget too.
  await s.closeConversation(conversationId);
  const survey = transcript.locator('[data-kind="survey"]').last();
  await survey.waitFor();
  const five = survey.locator('[data-testid="choice"][data-choice-id="5"]');
  if (await five.count()) {
    await five.click();
    await survey.locator('[data-testid="choices"][data-open="false"] [data-choice-id="5"].chosen').waitFor();
  } else {
    await survey.getByTestId('survey-star-5').click();
    await transcript.locator('[data-author="visitor"]:not([data-pending])').getByText('5', { exact: true }).last().waitFor();
  }

  // A phone: the panel fills the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await waitUntil(async () => {
    const box = await panel.boundingBox();
    return !!box && Math.round(box.x) === 0 && Math.round(box.y) === 0 && Math.round(box.width) === 390 && Math.round(box.height) === 844;
  }, 'the panel to fill a 390 × 844 screen');
  const frameBox = await page.locator('#huiliu-widget iframe').boundingBox();
  if (!frameBox || Math.round(frameBox.width) !== 390 || Math.round(frameBox.height) !== 844) throw new Error(`the chat frame is ${JSON.stringify(frameBox)} on a phone`);
  if (await transcript.evaluate((el) => el.scrollWidth > el.clientWidth + 1)) throw new Error('the transcript scrolls sideways at 390 px');
  await page.screenshot({ path: join(s.screenshotDir, 'widget-phone.png') });

  // Closing from inside the panel.
  await chat.getByTestId('widget-close').click();
  await panel.waitFor({ state: 'hidden' });
}

async function say(chat: FrameLocator, text: string) {
  await chat.getByTestId('widget-input').fill(text);
  await chat.getByTestId('widget-send').click();
}

/** `author: text` of each message shown (pending ones included), in order. */
function shownMessages(transcript: Locator): Promise<string[]> {
  return transcript.locator('[data-testid="message"]').evaluateAll((items) => items.map((li) => {
    const bubble = li.querySelector('.msg-bubble');
    return `${li.getAttribute('data-author')}: ${(bubble?.textContent ?? '').trim()}`;
  }));
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SignedWidgetScenario {
  /** A page whose snippet signs its user (data-user-id, data-user-hash) and asks for Chinese. */
  hostUrl: string;
  inboxId: string;
  userId: string;
  screenshotDir: string;
  hoursAnswer: string;
  serverTranscript(visitorId: string): Promise<{ author: string; text: string }[]>;
}

/**
 * A signed-in user of the site: the widget speaks Chinese, and what they
 * write is stored as the verified user `user:<userId>`, not as the browser's
 * anonymous id; the reply reaches them (their stream carries the signature).
 */
export async function runSignedWidgetScenario(s: SignedWidgetScenario): Promise<void> {
  await runInBrowser(s.screenshotDir, 'widget-signed-failure', async (page) => {
    await page.goto(s.hostUrl);
    const launcher = page.locator('#huiliu-widget .launcher');
    await launcher.waitFor();
    if ((await launcher.getAttribute('aria-label')) !== '在线客服') throw new Error('the launcher is not labelled in Chinese (data-lang="zh")');
    await launcher.click();
    const chat = page.frameLocator('#huiliu-widget iframe');
    await chat.locator('[data-testid="widget-stream"][data-state="open"]').waitFor();
    if ((await chat.getByTestId('widget-input').getAttribute('placeholder')) !== '输入消息…') throw new Error('the panel is not in Chinese');
    await say(chat, '营业时间是几点？');
    await chat.getByTestId('widget-transcript').locator('[data-author="bot"]', { hasText: s.hoursAnswer }).waitFor();
    const stored = await s.serverTranscript(`user:${s.userId}`);
    if (!stored.some((m) => m.author === 'visitor' && m.text === '营业时间是几点？')) throw new Error(`not stored as user:${s.userId}: ${JSON.stringify(stored)}`);
    const browserId = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(`huiliu.widget.${s.inboxId}.visitorId`)})`);
    if (!browserId || (await s.serverTranscript(browserId)).length > 0) throw new Error('the signed user\'s message was stored under the anonymous browser id');
    await page.screenshot({ path: join(s.screenshotDir, 'widget-signed-zh.png') });
  });
}

// The first screen in a real browser (Debian's chromium, headless) against the
// real stack: a visitor asks for a person, an agent accepts, replies and
// closes, the visitor rates. Screenshots land in test-results/screenshots/.
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { runFirstScreenScenario } from '../editor/e2e/first-screen';
import { PROJECT_ROOT } from '../server/embedded';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.stop(); });

it('lets a visitor reach an agent and rate them, from the page at /', async () => {
  await runFirstScreenScenario(stack.url, stack.logins['agent-lina'].token, join(PROJECT_ROOT, 'test-results', 'screenshots'));
}, 120_000);

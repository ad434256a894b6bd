// Temporal goes away: the web chat answers 503 (so the client retries) within
// the deadline instead of hanging or failing with a 500, and /readyz names it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startTemporalDev } from '../server/embedded';
import { api, startStack } from './support/stack';

it('answers 503 with a retry hint when Temporal is down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-down-'));
  const temporal = await startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true });
  const stack = await startStack({ temporalAddress: temporal.address, worker: false });
  try {
    const message = { visitorId: 'v1', clientMessageId: 'c1', text: '你好' };
    expect((await api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: message })).status).toBe(202);

    await temporal.stop();
    const started = Date.now();
    const res = await api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { ...message, clientMessageId: 'c2' } });
    expect(res).toMatchObject({ status: 503, body: { error: expect.stringMatching(/please retry/), details: { retryable: true } } });
    expect(Date.now() - started).toBeLessThan(15_000); // a 5 s deadline, not a hang (slower when the machine is busy)
    const ready = await api(stack, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 503, body: { error: expect.stringMatching(/temporal/) } });
  } finally {
    await stack.stop();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

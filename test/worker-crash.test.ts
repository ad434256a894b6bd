// Fault: the worker process dies after a message was accepted and before it
// was answered. A new worker finishes the conversation; nothing is lost or doubled.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/embedded';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
const workers: ChildProcess[] = [];
beforeAll(async () => { stack = await startStack({ worker: false }); });
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await stack?.stop();
});

/** A real worker process, as the launcher starts it. */
function startWorkerProcess(): ChildProcess {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, join(PROJECT_ROOT, 'server', 'start-worker.ts')], {
    env: { ...process.env, ...stack.env }, stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

const inbox = 'demo-webchat';
const send = (visitorId: string, text: string) =>
  api(stack, 'POST', `/api/v1/webchat/${inbox}/messages`, { body: { visitorId, clientMessageId: randomUUID(), text } });
const lines = async (visitorId: string) =>
  ((await api(stack, 'GET', `/api/v1/webchat/${inbox}/visitors/${visitorId}/messages`)).body.messages as { author: string; text: string }[])
    .map((m) => `${m.author}: ${m.text}`);

it('finishes the conversation on a new worker after the old one was killed mid-task', async () => {
  const visitor = randomUUID();
  const first = startWorkerProcess();
  expect((await send(visitor, '营业时间是几点')).status).toBe(202);
  await waitFor('first worker answers', async () => (await lines(visitor)).length === 2, 60_000);

  // Freeze the worker: its open polls still take the next tasks, which it can never finish.
  first.kill('SIGSTOP');
  expect((await send(visitor, '怎么退货')).status).toBe(202);
  await new Promise((r) => setTimeout(r, 1000)); // let Temporal hand the task to the frozen worker
  first.kill('SIGKILL');
  expect((await send(visitor, '运费多少')).status).toBe(202); // accepted while no worker runs at all

  startWorkerProcess();
  // The lost workflow task times out (10 s) and is retried on the new worker.
  await waitFor('all three answered', async () => (await lines(visitor)).length >= 6, 90_000);
  await new Promise((r) => setTimeout(r, 1000)); // anything doubled would show up by now
  expect(await lines(visitor)).toEqual([
    'visitor: 营业时间是几点', 'bot: 我们的在线客服时间是每天 9:00–21:00。',
    'visitor: 怎么退货', 'bot: 签收后 7 天内可无理由退货，退款在 3 个工作日内原路退回。',
    'visitor: 运费多少', 'bot: 订单满 99 元包邮，一般 48 小时内发货。',
  ]);
}, 180_000);

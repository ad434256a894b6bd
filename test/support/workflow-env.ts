// A time-skipping Temporal test server, a fresh database with the demo data and
// a worker running the real activities, set up anew for every test. One test
// server per test: a workflow left open by one test cannot take another's
// agents, and no test has to terminate a workflow mid-task (which can leave
// the test server's time-skipping lock held, so later sleeps hang).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterEach, beforeEach } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities';
import type { Models, Store } from '../../activities/store';
import { ConversationGateway } from '../../server/conversation-gateway';
import { locateBinary } from '../../server/embedded';
import { ensureSearchAttributes } from '../../server/search-attributes';
import { seedDemo } from '../../server/seed';
import { snapshotQuery } from '../../workflows/messages';
import { openTestStore, workflowBundle } from './env';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  store: Store;
  m: Models;
  gateway: ConversationGateway;
}

export function workflowTestEnv(taskQueue: string, deps: () => ActivityDeps = () => ({})): WorkflowTestContext {
  const t = {} as WorkflowTestContext;
  let worker: Worker;
  let running: Promise<void>;
  beforeEach(async () => {
    t.env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: locateBinary('temporal-test-server') } },
    });
    await ensureSearchAttributes(t.env.connection, t.env.namespace ?? 'default');
    t.store = await openTestStore();
    t.m = t.store.models;
    await seedDemo(t.m);
    worker = await Worker.create({
      connection: t.env.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities: createActivities(t.m, deps()),
    });
    running = worker.run();
    t.gateway = new ConversationGateway(t.env.client, taskQueue);
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await t.store?.close();
    await t.env?.teardown();
  });
  return t;
}

const HISTORIES = join(import.meta.dirname, '..', '..', 'workflows', '__histories__');

/** Replays the workflow's history now, and saves it for the replay suite as `<scenario>.json` when RECORD_HISTORIES is set. */
export async function checkReplay(t: WorkflowTestContext, workflowId: string, scenario: string) {
  const handle = t.env.client.workflow.getHandle(workflowId);
  await handle.query(snapshotQuery); // answered once the task in progress is complete, so the history ends on a whole step
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, workflowId);
  if (process.env.RECORD_HISTORIES) writeFileSync(join(HISTORIES, `${scenario}.json`), historyToJSON(history));
}

// The Temporal worker: conversation workflows + activities on one task queue.
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundle, type WorkflowBundleOption } from '@temporalio/worker';
import { join } from 'node:path';
import { createActivities, type ActivityDeps } from '../activities';
import type { Models } from '../activities/store';
import { TASK_QUEUE } from '../workflows/messages';
import { PROJECT_ROOT } from './embedded';

export const WORKFLOWS_PATH = join(PROJECT_ROOT, 'workflows', 'index.ts');

/** Bundles the workflow code once; hand the result to every worker (webpack per worker costs seconds). */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
}

export async function createWorker(opts: {
  connection: NativeConnection; namespace: string; models: Models; deps?: ActivityDeps; workflowBundle?: WorkflowBundleOption; taskQueue?: string;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(opts.models, opts.deps),
  });
}

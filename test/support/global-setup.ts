// Starts the real embedded servers once per test run, on free ports with
// throwaway data directories, and bundles the workflow code once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startFerretDB, startTemporalDev } from '../../server/embedded';
import { ensureSearchAttributes } from '../../server/search-attributes';
import { bundleWorkflows } from '../../server/worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-test-'));
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const bundling = bundleWorkflows(); // webpack runs while the servers start
    const temporal = await startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true, logFile: join(dir, 'temporal.log') });
    started.push(temporal);
    const connection = await Connection.connect({ address: temporal.address });
    await ensureSearchAttributes(connection, 'default');
    await connection.close();
    const ferret = await startFerretDB({ dir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log') });
    started.push(ferret);
    const workflowBundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, (await bundling).code);
    project.provide('temporalAddress', temporal.address);
    project.provide('mongoUri', ferret.uri.replace(/\/huiliu$/, ''));
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (err) {
    await stopAll(); // so the run ends with the error instead of hanging on a started server
    throw err;
  }
  return stopAll;
}

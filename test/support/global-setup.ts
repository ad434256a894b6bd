// Starts the real embedded servers once per test run, on free ports with
// throwaway data directories, and bundles the workflow code once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startFerretDB, startTemporalDev } from '../../server/embedded';
import { bundleWorkflows } from '../../server/worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    workflowBundlePath: string;
    tmpDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'huiliu-test-'));
  const [temporal, ferret, bundle] = await Promise.all([
    startTemporalDev({ dbFile: join(dir, 'temporal.db'), headless: true, logFile: join(dir, 'temporal.log') }),
    startFerretDB({ dir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log') }),
    bundleWorkflows(),
  ]);
  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', temporal.address);
  project.provide('mongoUri', ferret.uri.replace(/\/huiliu$/, ''));
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('tmpDir', dir);
  return async () => {
    await Promise.all([temporal.stop(), ferret.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}

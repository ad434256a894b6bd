import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.tools/**', 'data/**', 'editor/dist/**'],
    // One embedded Temporal dev server and one FerretDB for the whole run.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    reporters: ['default', './test/support/plain-summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files share the embedded servers, so run them one or two at a time.
    maxWorkers: 2,
    // Workers the tests start as processes (the launcher's, a crash test's) compete with other test files, not a backlog: normal priority.
    env: { WORKER_NICE: '0' },
  },
});

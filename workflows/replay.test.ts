// Replays every recorded conversation history against the current workflow
// code: a change that would break running conversations fails here.
// Histories are recorded by conversation.test.ts with RECORD_HISTORIES=1.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../test/support/env';

const dir = join(import.meta.dirname, '__histories__');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded conversation histories', () => {
  it('has the recorded scenarios', () => {
    expect(files.map((f) => f.replace('.json', ''))).toEqual([
      'assignment', 'bot-answers-and-ends', 'duplicate-dropped', 'handoff-to-queue', 'sla-escalation', 'survey-answered', 'survey-timeout',
    ]);
  });

  it('replays them all without nondeterminism', async () => {
    const histories = files.map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});

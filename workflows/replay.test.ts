// Replays every recorded conversation history against the current workflow
// code: a change that would break running conversations fails here.
// Histories are recorded by conversation.test.ts with RECORD_HISTORIES=1.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../test/support/env';

// Recordings of the current code sit at the top; those made before a patch
// sit in before-<patch id>/ and stay until the patch is removed.
const dir = join(import.meta.dirname, '__histories__');
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
const SCENARIOS = ['assignment', 'bot-answers-and-ends', 'duplicate-dropped', 'handoff-to-queue', 'sla-escalation', 'survey-answered', 'survey-timeout'];
const FLOW_SCENARIOS = ['flow-data-rules-reply', 'flow-integrations', 'flow-skills-escalate-transfer', 'flow-version-pinned'];
const OPS_SCENARIOS = ['ops-reroute', 'ops-stuck-retry', 'routing-offers', 'routing-silence', 'routing-sla', 'routing-transfer'];
const ROUTING_SCENARIOS = ['routing-escalation-steps', 'routing-sla-business-hours', 'routing-survey'];
const json = (dir: string, names: string[]) => names.map((s) => `${dir}${s}.json`);

describe('replay of recorded conversation histories', () => {
  it('has the recorded scenarios, from the current code and from before the open patches', () => {
    expect(files.filter((f) => !f.includes('/'))).toEqual(json('', [...SCENARIOS, ...FLOW_SCENARIOS, ...OPS_SCENARIOS, ...ROUTING_SCENARIOS]).sort());
    for (const patch of ['cheaper-message-path', 'flow-steps-recorded']) {
      expect(files.filter((f) => f.startsWith(`before-${patch}/`))).toEqual(json(`before-${patch}/`, SCENARIOS));
    }
    expect(files.filter((f) => f.startsWith('before-ops-visibility/'))).toEqual(json('before-ops-visibility/', [...SCENARIOS, ...FLOW_SCENARIOS]).sort());
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

// Replay checks against the current workflow bundle (from global setup) and
// against a deliberately nondeterministic one (server/ops/__fixtures__).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowBundle } from '../../test/support/env';
import { replayCheck, replayCheckFolder } from './replay-check';

const histories = join(import.meta.dirname, '../../workflows/__histories__');
const json = (name: string) => readFileSync(join(histories, `${name}.json`), 'utf8');
const history = (name: string) => historyFromJSON(JSON.parse(json(name)));
// The fixture diverges where a recorded run completed: its last event.
const completedEventId = (name: string) => Number(history(name).events!.at(-1)!.eventId);

let nondeterministic: WorkflowBundle;
let dir: string;
beforeAll(async () => {
  nondeterministic = await bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, '__fixtures__/nondeterministic-workflows.ts'),
    logger: new DefaultLogger('WARN'),
  });
  dir = mkdtempSync(join(tmpdir(), 'replay-check-'));
  writeFileSync(join(dir, 'conv-a.json'), json('bot-answers-and-ends'));
  // The ops API's conversation view: { workflowId, runId, history }.
  writeFileSync(join(dir, 'conv-b.json'), JSON.stringify({ workflowId: 'conv:shop:b', runId: 'run-b', history: JSON.parse(json('survey-answered')) }));
  writeFileSync(join(dir, 'garbage.json'), '{ not json');
  writeFileSync(join(dir, 'notes.txt'), 'not a history, not read');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replayCheck', () => {
  it('finds the current code compatible with the recorded conversations', async () => {
    for (const name of ['bot-answers-and-ends', 'flow-skills-escalate-transfer', 'before-cheaper-message-path/assignment']) {
      expect(await replayCheck(workflowBundle(), history(name), `conv:${name}`, 'run-1')).toEqual({ workflowId: `conv:${name}`, runId: 'run-1', compatible: true });
    }
  });

  it('reports where nondeterministic code diverges, with the event id', async () => {
    const result = await replayCheck({ code: nondeterministic.code }, history('bot-answers-and-ends'), 'conv:x');
    const eventId = completedEventId('bot-answers-and-ends');
    expect(result).toMatchObject({ workflowId: 'conv:x', compatible: false, divergence: { eventId } });
    expect(result.divergence!.message).toBe(`[TMPRL1100] Nondeterminism error: Timer machine does not handle this event: HistoryEvent(id: ${eventId}, WorkflowExecutionCompleted)`);
  });
});

describe('replayCheckFolder', () => {
  it('checks every .json file with one replay worker; a file that is no history is reported, not thrown', async () => {
    const results = await replayCheckFolder(workflowBundle(), dir);
    expect(results).toEqual([
      { workflowId: 'conv-a', compatible: true },
      { workflowId: 'conv:shop:b', runId: 'run-b', compatible: true },
      { workflowId: 'garbage', compatible: false, divergence: { message: expect.stringMatching(/^garbage\.json is not a Temporal history in JSON: /) } },
    ]);
  });

  it('reports the divergences of nondeterministic code file by file', async () => {
    const results = await replayCheckFolder({ code: nondeterministic.code }, dir);
    expect(results.map((r) => [r.workflowId, r.compatible, r.divergence?.eventId])).toEqual([
      ['conv-a', false, completedEventId('bot-answers-and-ends')], ['conv:shop:b', false, completedEventId('survey-answered')], ['garbage', false, undefined],
    ]);
  });
});

// Replays conversation histories against workflow code: would the code as
// deployed (or about to be) carry these conversations on, or diverge from what
// they already did? Nothing is changed; a replay worker runs the code in memory.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { ReplayError, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { ReplayCheckResult } from './types';

type History = temporal.api.history.v1.IHistory;

/** Replays one run's history; a divergence says where and why. */
export async function replayCheck(bundle: WorkflowBundleOption, history: History, workflowId: string, runId?: string): Promise<ReplayCheckResult> {
  const [result] = await replayAll(bundle, [{ workflowId, runId, history }]);
  return result;
}

/**
 * Replays every `*.json` file in `dir` with one replay worker. A file holds
 * one exported history (Temporal's JSON, historyToJSON's output) or
 * `{ workflowId, runId?, history }` (the ops API's conversation view); the
 * workflow id defaults to the file name. A file that is not a history is
 * reported as incompatible, with the reason.
 */
export async function replayCheckFolder(bundle: WorkflowBundleOption, dir: string): Promise<ReplayCheckResult[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const read = await Promise.all(files.map(async (file) => readHistoryFile(join(dir, file))));
  const replayed = await replayAll(bundle, read.filter((r): r is Replayable => 'history' in r));
  return read.map((r) => ('history' in r ? replayed.shift()! : r));
}

interface Replayable {
  workflowId: string;
  runId?: string;
  history: History;
}

async function replayAll(bundle: WorkflowBundleOption, items: Replayable[]): Promise<ReplayCheckResult[]> {
  if (items.length === 0) return [];
  const results: ReplayCheckResult[] = [];
  // Keyed by position, so two histories of one workflow id stay apart.
  const byPosition = items.map(({ history }, i) => ({ workflowId: String(i), history }));
  for await (const { workflowId: i, error } of Worker.runReplayHistories({ workflowBundle: bundle }, byPosition)) {
    const { workflowId, runId } = items[Number(i)];
    results.push({ workflowId, ...(runId ? { runId } : {}), compatible: !error, ...(error ? { divergence: divergenceOf(error) } : {}) });
  }
  return results;
}

async function readHistoryFile(path: string): Promise<Replayable | ReplayCheckResult> {
  const workflowId = basename(path, '.json');
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as { workflowId?: unknown; runId?: unknown; history?: unknown; events?: unknown };
    const exported = json.history ?? json;
    const history = historyFromJSON(exported);
    if (!history.events?.[0]?.workflowExecutionStartedEventAttributes) throw new Error('it does not begin with WorkflowExecutionStarted');
    return {
      workflowId: typeof json.workflowId === 'string' ? json.workflowId : workflowId,
      ...(typeof json.runId === 'string' ? { runId: json.runId } : {}),
      history,
    };
  } catch (err) {
    return { workflowId, compatible: false, divergence: { message: `${basename(path)} is not a Temporal history in JSON: ${(err as Error).message}` } };
  }
}

/**
 * Where and why the replay failed. Core's message wraps the useful part in a
 * debug dump (`... Failure { message: "[TMPRL1100] Nondeterminism error: Timer
 * machine does not handle this event: HistoryEvent(id: 20, ...)", ... }`):
 * keep that message and the event id it names.
 */
function divergenceOf(error: Error): { eventId?: number; message: string } {
  const inner = /message: "((?:[^"\\]|\\.)*)"/.exec(error.message)?.[1]?.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  const headline = (inner ?? error.message.replace(/^.*?Details: /s, '')).split('\n')[0].trim();
  const message = error instanceof DeterminismViolationError || !(error instanceof ReplayError) ? headline : `Workflow task failed: ${headline}`;
  const eventId = /HistoryEvent\(id: (\d+)/.exec(error.message)?.[1] ?? /event[ _]?id[:= ]+(\d+)/i.exec(error.message)?.[1];
  return { ...(eventId ? { eventId: Number(eventId) } : {}), message };
}

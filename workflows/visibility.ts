// Keeps a conversation's search attributes (workflows/search-attributes.ts) in
// step with its state. Called before each wait, it upserts only what changed,
// so a conversation adds one history event per wait at most, and none while
// nothing an operator searches by has changed. Deterministic: workflow code.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES as SA } from './search-attributes';

/** What the conversation shows operators. */
export interface Visible {
  conversationId: string;
  flowId?: string;
  flowVersion?: number;
  step?: string;
  status: string;
  /** Epoch ms; set while it waits in a queue unaccepted. */
  slaDueAt?: number;
  stuck?: StuckState;
}

export interface StuckState {
  reason: 'activity-failing';
  /** Epoch ms. */
  since: number;
  step: string;
  error: string;
  attempts: number;
}

// "Not moved for N minutes" needs no finer clock than this.
const MOVED_RESOLUTION_MS = 60_000;

type Value = string | number | undefined;

export function visibilityPublisher() {
  const shown = new Map<string, Value>();
  let movedAt = 0;
  let shownMemo: string | undefined;

  return function publish(v: Visible): void {
    const now = Date.now();
    const updates: SearchAttributeUpdatePair[] = [];
    const set = (key: (typeof SA)[keyof typeof SA], value: Value, toAttribute: (x: never) => unknown = (x) => x) => {
      if (shown.get(key.name) === value) return;
      shown.set(key.name, value);
      updates.push({ key, value: value === undefined ? null : toAttribute(value as never) } as SearchAttributeUpdatePair);
    };
    const date = (ms: number) => new Date(ms);
    const moved = shown.get(SA.step.name) !== v.step || shown.get(SA.status.name) !== v.status;
    set(SA.conversation, v.conversationId);
    set(SA.flow, v.flowId);
    set(SA.flowVersion, v.flowVersion);
    set(SA.step, v.step);
    set(SA.status, v.status);
    set(SA.slaDueAt, v.slaDueAt, date);
    set(SA.stuck, v.stuck?.reason);
    set(SA.stuckSince, v.stuck?.since, date);
    if (moved || now - movedAt >= MOVED_RESOLUTION_MS) {
      movedAt = now;
      set(SA.movedAt, now, date);
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
    // The last error is too long and too free for a search attribute: the memo
    // carries it, and list results return memos.
    const error = v.stuck ? `${v.stuck.step}: ${v.stuck.error}` : undefined;
    const memo = v.stuck ? `${v.stuck.attempts} ${error}` : undefined;
    if (memo !== shownMemo) {
      shownMemo = memo;
      upsertMemo({ lastError: error ?? null, attempts: v.stuck?.attempts ?? null });
    }
  };
}

// Which reasons apply to one conversation, from the search attributes its
// workflow keeps (the same rules the visibility queries in listStuck use).
import { describe, expect, it } from 'vitest';
import { placeOf, stuckItem, stuckReasons } from './stuck';

const now = Date.parse('2026-11-27T10:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000);
const run = (searchAttributes: Record<string, unknown[]>, status = 'RUNNING') => ({
  workflowId: 'conv:web:v1', runId: 'r1', startTime: minutesAgo(600), memo: { conversationId: 'c1', lastError: 'send: busy', attempts: 10 },
  status: { name: status }, searchAttributes,
}) as unknown as Parameters<typeof stuckItem>[0] & Parameters<typeof stuckReasons>[0];

describe('stuck reasons', () => {
  it('a failing step, past its SLA, and idle for longer than the threshold, most urgent first', () => {
    const info = run({ HuiliuStuck: ['activity-failing'], HuiliuStuckSince: [minutesAgo(5)], HuiliuSlaDueAt: [minutesAgo(1)], HuiliuMovedAt: [minutesAgo(90)] });
    expect(stuckReasons(info, now, 60)).toEqual(['activity-failing', 'sla-breached', 'idle']);
    expect(stuckItem(info, ['activity-failing', 'sla-breached', 'idle'])).toMatchObject({
      reason: 'activity-failing', since: minutesAgo(5).toISOString(), lastError: 'send: busy', attempts: 10, conversationId: 'c1',
    });
  });

  it('failing workflow tasks as Temporal reports them', () => {
    expect(stuckReasons(run({ TemporalReportedProblems: ['category=WorkflowTaskFailed', 'cause=WorkflowTaskFailedCauseNonDeterministicError'] }), now, 60))
      .toEqual(['workflow-task-failing']);
  });

  it('nothing for a conversation that moves, is within its SLA, or has ended', () => {
    expect(stuckReasons(run({ HuiliuSlaDueAt: [minutesAgo(-5)], HuiliuMovedAt: [minutesAgo(30)] }), now, 60)).toEqual([]);
    expect(stuckReasons(run({ HuiliuMovedAt: [minutesAgo(90)] }, 'COMPLETED'), now, 60)).toEqual([]);
  });

  it('reads where it is from the attributes, the conversation id from the memo when the attribute is missing', () => {
    expect(placeOf(run({ HuiliuInbox: ['web'], HuiliuStep: ['wait-agent'], HuiliuFlowVersion: [3] }))).toEqual({
      workflowId: 'conv:web:v1', runId: 'r1', conversationId: 'c1', inboxId: 'web', channel: undefined, flowId: undefined, flowVersion: 3, step: 'wait-agent', status: undefined,
    });
  });
});

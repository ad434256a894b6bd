// The timeline operators see, read from the recorded conversation histories
// (workflows/__histories__, recorded by workflows/conversation.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { businessTimeline } from './timeline';
import type { TimelineEntry } from './types';

const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;
const dir = join(import.meta.dirname, '../../workflows/__histories__');
const load = (name: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))) as temporal.api.history.v1.IHistory;
const timeline = (name: string) => businessTimeline(load(name));
const of = (entries: TimelineEntry[], kind: TimelineEntry['kind']) => entries.filter((e) => e.kind === kind);

describe('businessTimeline', () => {
  it('shows what the customer wrote, what the bot answered and how the conversation ended', () => {
    const entries = timeline('bot-answers-and-ends');
    expect(of(entries, 'message-received').map((e) => e.detail)).toEqual(['你们的营业时间是几点？']);
    const [bot] = of(entries, 'bot');
    expect(bot).toMatchObject({ step: 'bot', title: { en: 'Bot answered' }, attempt: 1 });
    expect(bot.detail).toMatch(/^confidence 0\.\d\d: 我们的在线客服时间/);
    expect(of(entries, 'rules')).toMatchObject([{ step: 'route', detail: 'no rule fired → end' }]);
    expect(entries.map((e) => e.kind)).toEqual(['started', 'message-received', 'step', 'normalized', 'bot', 'rules', 'waiting', 'closed', 'ended']);
    expect(of(entries, 'closed')).toMatchObject([{ step: 'close', title: { zh: '对话关闭', en: 'Conversation closed' } }]);
  });

  it('names the rule that fired, or says none did', () => {
    expect(of(timeline('flow-data-rules-reply'), 'rules').map((e) => e.detail)).toEqual(['member-asks fired → vip', 'no rule fired → plain']);
    expect(of(timeline('handoff-to-queue'), 'rules').map((e) => e.detail)).toEqual(['asks-for-agent or bot-could-not-answer fired → queue']);
  });

  it('follows an agent conversation: queued, offered, accepted, replied, survey, closed', () => {
    const entries = timeline('survey-answered');
    const kinds = entries.map((e) => e.kind);
    for (const kind of ['queued', 'offered', 'accepted', 'message-sent', 'survey', 'closed', 'ended'] as const) expect(kinds).toContain(kind);
    expect(kinds.indexOf('queued')).toBeLessThan(kinds.indexOf('accepted'));
    expect(of(entries, 'queued')[0].detail).toBe('general');
    expect(of(entries, 'offered')[0].detail).toBe('agent-wang');
    expect(of(entries, 'accepted')[0].detail).toBe('agent-wang');
    expect(entries.find((e) => e.title.en === 'Agent replied')?.detail).toBe('您好，请问有什么可以帮您？');
    expect(of(entries, 'message-received').map((e) => e.detail)).toEqual(['人工', '很好', '5']);
  });

  it('shows escalation and transfer, with their queues', () => {
    const entries = timeline('flow-skills-escalate-transfer');
    expect(of(entries, 'escalated')).toMatchObject([{ step: 'escalate', detail: 'escalation' }]);
    expect(of(entries, 'transferred')).toMatchObject([{ step: 'transfer', detail: 'general · agent-wang' }]);
  });

  it('marks a repeated message as dropped', () => {
    const received = of(timeline('duplicate-dropped'), 'message-received');
    expect(received.map((e) => [e.title.en, e.detail])).toEqual([
      ['Message received', '怎么退货？'], ['Repeated message (dropped)', '怎么退货？'], ['Message received', '运费多少'],
    ]);
  });

  it('shows a step that failed its retries, with the error and the attempt', () => {
    const [failed] = of(timeline('flow-integrations'), 'activity-failed');
    expect(failed).toMatchObject({ step: 'order', detail: 'runPluginNode', attempt: 4, error: 'the shop answered 503 for an order lookup' });
  });

  it('reads histories recorded before the open patches', () => {
    const entries = businessTimeline(historyFromJSON(JSON.parse(readFileSync(join(dir, 'before-cheaper-message-path/bot-answers-and-ends.json'), 'utf8'))));
    expect(of(entries, 'bot')[0].detail).toMatch(/^confidence 0\.\d\d: /);
    expect(of(entries, 'closed')).toHaveLength(1);
  });

  it('gives every entry after the first completed workflow task a reset point: the WorkflowTaskCompleted before it', () => {
    for (const name of ['assignment', 'sla-escalation', 'survey-timeout', 'flow-integrations']) {
      const history = load(name);
      const typeOf = new Map(history.events!.map((e) => [Number(e.eventId), e.eventType]));
      const firstCompleted = history.events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;
      for (const entry of businessTimeline(history)) {
        if (entry.eventId < Number(firstCompleted.eventId)) {
          expect(entry.resetEventId).toBeUndefined();
          continue;
        }
        expect(typeOf.get(entry.resetEventId!), `${name} #${entry.eventId}`).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        expect(entry.resetEventId!).toBeLessThan(entry.eventId);
        // The latest one before it: resetting there runs this entry's step again.
        const between = history.events!.filter((e) => Number(e.eventId) > entry.resetEventId! && Number(e.eventId) < entry.eventId);
        expect(between.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(false);
      }
    }
  });

  it('shows a failing workflow task with its error', () => {
    const history = load('flow-version-pinned');
    const last = history.events!.at(-1)!;
    const id = Number(last.eventId);
    const event = (offset: number, fields: Partial<temporal.api.history.v1.IHistoryEvent>) =>
      ({ eventId: id + offset, eventTime: last.eventTime, ...fields }) as temporal.api.history.v1.IHistoryEvent;
    history.events!.push(
      event(1, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, workflowExecutionSignaledEventAttributes: {
        signalName: 'inboundMessage', input: { payloads: [defaultPayloadConverter.toPayload({ providerMessageId: 'p9', text: 'still there?', receivedAt: 0 })] },
      } }),
      event(2, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, workflowTaskScheduledEventAttributes: { attempt: 1 } }),
      event(3, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, workflowTaskStartedEventAttributes: {} }),
      event(4, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, workflowTaskFailedEventAttributes: {
        cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR,
        failure: { message: '[TMPRL1100] Nondeterminism error: Timer machine does not handle this event' },
      } }),
    );
    const entries = businessTimeline(history);
    expect(entries.at(-2)).toMatchObject({ kind: 'message-received', detail: 'still there?' });
    const lastCompleted = Math.max(...history.events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).map((e) => Number(e.eventId)));
    expect(entries.at(-1)).toMatchObject({
      eventId: id + 4, resetEventId: lastCompleted, kind: 'task-failed', attempt: 1, detail: 'NON_DETERMINISTIC_ERROR',
      error: '[TMPRL1100] Nondeterminism error: Timer machine does not handle this event',
    });
  });
});

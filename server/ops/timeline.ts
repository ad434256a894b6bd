// One run's Temporal history read as a conversation timeline, in business
// terms for operators: what the customer wrote, what the bot answered, where
// the flow went and why, who took it, and what failed.
//
// Steps run as local activities, which Temporal records as MarkerRecorded
// events: the marker holds the activity's type, attempt and result (never its
// input), and the event's user metadata holds the summary, the flow node id.
// Rules nodes run no activity; which way they went is read off the flow
// definition between the node before them and the node after.
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import type { BotResult, InboundMessage } from '../../activities/types';
import type { FlowDefinition, PinnedFlow, RulesNodeParameters } from '../../rules/flow';
import type { Bilingual } from '../../rules/plugin';
import type { ConversationInput } from '../../workflows/conversation';
import { acceptUpdate, agentReplyUpdate, closeUpdate, inboundMessageSignal } from '../../workflows/messages';
import type { TimelineEntry } from './types';

type Event = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;
type Failure = temporal.api.failure.v1.IFailure;

const { WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
/** Flow nodes that run no activity of their own, so the history shows nothing of them. */
const SILENT_NODE_TYPES = new Set(['rules', 'wait']);
/** Activities that are bookkeeping, or that the update they run for already shows; listed only when they fail. */
const QUIET_ACTIVITIES = new Set(['recordFlowSteps', 'queueFacts', 'acceptConversation', 'finishAgentWork']);

const t = (zh: string, en: string) => ({ zh, en });

/** What core writes in a local activity marker's `data` (snake_case, as core spells it). */
interface LocalActivityData {
  attempt?: number;
  activity_type?: string;
}

export function businessTimeline(history: temporal.api.history.v1.IHistory): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  // Reset point of the entries read so far: the latest WorkflowTaskCompleted.
  // Temporal's reset keeps events 1 .. finishEventId-1 (the server rebuilds to
  // `workflow_task_finish_event_id - 1`, which is that task's
  // WorkflowTaskStarted; it refuses ids <= 1) and runs that workflow task
  // again. The markers and commands of a task are recorded right after its
  // WorkflowTaskCompleted, so resetting to the one before an entry runs its
  // step again; signals and timers after that point are reapplied or refire.
  // Entries before the run's first completed task have none.
  let resetEventId: number | undefined;
  let taskAttempt: number | undefined;
  let flow: FlowDefinition | undefined;
  let node: string | undefined; // the flow node the latest step ran at
  let afterStep: Pick<TimelineEntry, 'eventId' | 'resetEventId' | 'at'> & { index: number } | undefined; // where that step's line ends
  let agentReply: string | undefined; // an agent's reply, sent by the next sendMessage
  const seen = new Set<string>(); // provider message ids: the workflow drops repeats

  for (const event of history.events ?? []) {
    const eventId = Number(event.eventId);
    const add = (entry: Omit<TimelineEntry, 'eventId' | 'at' | 'resetEventId'>) =>
      entries.push({ eventId, ...(resetEventId === undefined ? {} : { resetEventId }), at: isoTime(event), ...entry });

    if (event.workflowTaskCompletedEventAttributes) resetEventId = eventId;
    else if (event.workflowTaskScheduledEventAttributes) taskAttempt = event.workflowTaskScheduledEventAttributes.attempt ?? undefined;
    else if (event.workflowExecutionStartedEventAttributes) {
      const input = decode<ConversationInput>(event.workflowExecutionStartedEventAttributes.input?.payloads?.[0]);
      flow = input?.state?.flow?.definition;
      node = input?.state?.nodeId;
      for (const id of input?.state?.seen ?? []) seen.add(id);
      add(input?.state
        ? { kind: 'started', step: node, title: t('接续上一轮运行', 'Continued from the previous run'), detail: input.channel }
        : { kind: 'started', title: t('对话开始', 'Conversation started'), detail: input && `${input.channel} · ${input.inboxId}` });
    } else if (event.workflowExecutionSignaledEventAttributes) {
      const { signalName, input } = event.workflowExecutionSignaledEventAttributes;
      const message = decode<InboundMessage>(input?.payloads?.[0]);
      if (signalName === inboundMessageSignal.name) {
        const repeat = message !== undefined && seen.has(message.providerMessageId);
        if (message) seen.add(message.providerMessageId);
        add({ kind: 'message-received', title: repeat ? t('重复消息（已忽略）', 'Repeated message (dropped)') : t('收到客户消息', 'Message received'), detail: message?.text });
      }
      else add({ kind: 'step', title: t('收到信号', 'Signal received'), detail: signalName ?? undefined });
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input;
      const args = decode<Record<string, unknown>>(request?.args?.payloads?.[0]);
      const name = request?.name ?? '';
      if (name === acceptUpdate.name) add({ kind: 'accepted', step: node, title: t('坐席接入', 'Agent accepted'), detail: agentOf(args) });
      else if (name === closeUpdate.name) add({ kind: 'step', step: node, title: t('坐席结束服务', 'Agent finished'), detail: agentOf(args) });
      else if (name === agentReplyUpdate.name) agentReply = String(args?.text ?? '');
      else if (name.startsWith('ops.')) add({ kind: 'operator', step: node, title: t(`运维操作 ${name}`, `Operator action ${name}`), detail: args ? JSON.stringify(args) : undefined });
      else add({ kind: 'step', step: node, title: t('收到更新', 'Update received'), detail: name });
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      const { details, failure } = event.markerRecordedEventAttributes;
      const data = decode<LocalActivityData>(details?.data?.payloads?.[0]) ?? {};
      const type = data.activity_type ?? 'unknown';
      const step = decode<string>(event.userMetadata?.summary);
      const result = decode<Record<string, unknown>>(details?.result?.payloads?.[0]);
      if (step && type !== 'recordFlowSteps') {
        // Rules met before a wait ran in the task of the step before them, so they go right after that step.
        let inserted = 0;
        for (const rules of rulesBetween(flow, node, step)) {
          const entry: TimelineEntry = { eventId, ...(resetEventId === undefined ? {} : { resetEventId }), at: isoTime(event), kind: 'rules', step: rules.nodeId, title: t('规则判定', 'Rules evaluated'), detail: rules.detail };
          if (rules.beforeWait && afterStep) entries.splice(afterStep.index + inserted++, 0, { ...entry, eventId: afterStep.eventId, resetEventId: afterStep.resetEventId, at: afterStep.at });
          else entries.push(entry);
        }
        node = step;
      }
      if (failure) {
        add({ kind: 'activity-failed', step, title: t('步骤失败', 'Step failed'), detail: type, attempt: data.attempt, error: failureMessage(failure) });
        continue;
      }
      if (type === 'startConversation') flow = (result as unknown as PinnedFlow | undefined)?.definition;
      const entry = activityEntry(type, result, flow?.nodes.find((n) => n.id === step)?.parameters, agentReply);
      if (type === 'sendMessage') agentReply = undefined;
      if (entry) add({ step, attempt: data.attempt, ...entry });
      if (step && type !== 'recordFlowSteps') afterStep = { index: entries.length, eventId, resetEventId, at: isoTime(event) };
    } else if (event.timerStartedEventAttributes) {
      const seconds = Number(event.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0);
      // Waits in a row (a queue offering the conversation again and again) read as one.
      if (entries.at(-1)?.kind !== 'waiting') add({ kind: 'waiting', title: t('等待', 'Waiting'), detail: `≤ ${seconds}s` });
    } else if (event.workflowTaskFailedEventAttributes) {
      const { failure, cause } = event.workflowTaskFailedEventAttributes;
      const why = cause ? WorkflowTaskFailedCause[cause]?.replace('WORKFLOW_TASK_FAILED_CAUSE_', '') : undefined;
      add({ kind: 'task-failed', step: node, title: t('工作流任务失败', 'Workflow task failed'), detail: why, attempt: taskAttempt, error: failure ? failureMessage(failure) : why });
    } else if (event.workflowTaskTimedOutEventAttributes) {
      add({ kind: 'task-failed', step: node, title: t('工作流任务超时', 'Workflow task timed out'), attempt: taskAttempt, error: 'workflow task timed out' });
    } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
      add({ kind: 'continued', step: node, title: t('转入新一轮运行', 'Continued as new run') });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      add({ kind: 'ended', title: t('运行结束', 'Run completed') });
    } else if (event.workflowExecutionFailedEventAttributes) {
      const { failure } = event.workflowExecutionFailedEventAttributes;
      add({ kind: 'ended', step: node, title: t('运行失败', 'Run failed'), error: failure ? failureMessage(failure) : undefined });
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      add({ kind: 'ended', step: node, title: t('运行被终止', 'Run terminated'), detail: event.workflowExecutionTerminatedEventAttributes.reason ?? undefined });
    } else if (event.workflowExecutionCanceledEventAttributes || event.workflowExecutionTimedOutEventAttributes) {
      add({ kind: 'ended', step: node, title: t('运行取消或超时', 'Run canceled or timed out') });
    }
  }
  return entries;
}

type ActivityEntry = Pick<TimelineEntry, 'kind' | 'title' | 'detail'>;

/** A successful step in business terms; undefined when it is not worth a line. */
function activityEntry(type: string, result: Record<string, unknown> | undefined, params: Record<string, unknown> | undefined, agentReply: string | undefined): ActivityEntry | undefined {
  const queue = typeof params?.queue === 'string' ? params.queue : undefined;
  switch (type) {
    case 'startConversation': {
      const pinned = result as unknown as PinnedFlow | undefined;
      return { kind: 'step', title: t('载入流程', 'Flow pinned'), detail: pinned && `${pinned.flowId} v${pinned.version}` };
    }
    case 'normalizeMessage':
      return { kind: 'normalized', title: t('消息标准化', 'Message normalized'), detail: result && `[${String(result.language)}] ${String(result.text ?? '')}` };
    case 'botAnswer':
    case 'botReply': {
      const bot = result as unknown as BotResult | undefined;
      const confidence = `confidence ${bot?.confidence.toFixed(2)}`;
      return bot?.answered
        ? { kind: 'bot', title: t('机器人已回答', 'Bot answered'), detail: `${confidence}: ${bot.answer ?? ''}` }
        : { kind: 'bot', title: t('机器人未能回答', 'Bot did not answer'), detail: confidence };
    }
    case 'enqueue':
      return { kind: 'queued', title: t('进入队列', 'Queued'), detail: queue };
    case 'tryAssign':
      return result?.agentId ? { kind: 'offered', title: t('分配给坐席', 'Offered to agent'), detail: String(result.agentId) } : undefined;
    case 'escalate': {
      const to = typeof params?.escalationQueue === 'string' ? params.escalationQueue : queue;
      return result?.escalated ? { kind: 'escalated', title: t('升级', 'Escalated'), detail: to } : undefined;
    }
    case 'transferConversation':
      return { kind: 'transferred', title: t('转接', 'Transferred'), detail: [queue, params?.agentId].filter(Boolean).join(' · ') || undefined };
    case 'sendMessage':
      return agentReply === undefined
        ? { kind: 'message-sent', title: t('发送消息', 'Message sent') }
        : { kind: 'message-sent', title: t('坐席回复', 'Agent replied'), detail: agentReply };
    case 'runPluginNode':
      if (typeof result?.sent === 'string') return { kind: 'message-sent', title: t('发送消息', 'Message sent'), detail: result.sent };
      return { kind: 'step', title: t('执行节点', 'Node ran'), detail: (result?.note as Bilingual | undefined)?.zh };
    case 'storeSurvey':
      return { kind: 'survey', title: t('记录满意度', 'Survey recorded') };
    case 'notifySupervisors':
      return { kind: 'escalated', title: t('已通知主管', 'Supervisors alerted'), detail: queue };
    case 'requestCallback':
      return { kind: 'step', title: t('客户已留言待回电', 'Message left for a call back'), detail: typeof result?.phone === 'string' ? result.phone : undefined };
    case 'closeConversation':
      return { kind: 'closed', title: t('对话关闭', 'Conversation closed') };
    default:
      return QUIET_ACTIVITIES.has(type) ? undefined : { kind: 'step', title: t('执行步骤', 'Step ran'), detail: type };
  }
}

/**
 * The rules nodes the flow went through from node `from` to node `to`, with
 * the way each took: the shortest path that passes only through nodes that
 * leave no trace in the history (rules, wait).
 */
function rulesBetween(flow: FlowDefinition | undefined, from: string | undefined, to: string): { nodeId: string; detail: string; beforeWait: boolean }[] {
  const start = from ?? flow?.nodes.find((n) => n.type === 'start')?.id;
  if (!flow || !start || start === to) return [];
  const typeOf = (id: string) => flow.nodes.find((n) => n.id === id)?.type;
  const cameFrom = new Map<string, { nodeId: string; handle: string }>();
  const todo = [start];
  while (todo.length > 0 && !cameFrom.has(to)) {
    const at = todo.shift()!;
    for (const edge of flow.edges) {
      const next = edge.to.nodeId;
      if (edge.from.nodeId !== at || cameFrom.has(next) || next === start) continue;
      cameFrom.set(next, { nodeId: at, handle: edge.from.handle });
      if (SILENT_NODE_TYPES.has(typeOf(next) ?? '')) todo.push(next);
    }
  }
  const path: { nodeId: string; detail: string; beforeWait: boolean }[] = [];
  let waitAfter = false; // walking back from `to`: a wait node lies between this node and `to`
  for (let way = cameFrom.get(to); way; way = way.nodeId === start ? undefined : cameFrom.get(way.nodeId)) {
    const passed = flow.nodes.find((n) => n.id === way!.nodeId);
    if (passed?.type === 'wait') waitAfter = true;
    if (passed?.type === 'rules') path.unshift({ nodeId: passed.id, detail: rulesDetail(passed.parameters as unknown as RulesNodeParameters, way.handle), beforeWait: waitAfter });
  }
  return path;
}

/** Which rules sent the conversation out through `handle` (a rule fires into the handle named by its event type). */
function rulesDetail(params: RulesNodeParameters, handle: string): string {
  const fired = (params.rules ?? []).map((r, i) => (r.event.type === handle ? r.name ?? `rule ${i + 1}` : undefined)).filter(Boolean);
  // Rules sharing a handle cannot be told apart afterwards: all are named.
  return fired.length > 0 ? `${fired.join(' or ')} fired → ${handle}` : `no rule fired → ${handle}`;
}

const agentOf = (args: Record<string, unknown> | undefined) => (typeof args?.agentId === 'string' ? args.agentId : undefined);

function decode<T>(payload: Payload | null | undefined): T | undefined {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<T>(payload);
  } catch {
    return undefined; // an encoding this converter does not read (an encrypted payload): shown without detail
  }
}

/** The most specific message of a failure and its causes. */
function failureMessage(failure: Failure): string {
  let message = failure.message ?? '';
  for (let cause = failure.cause; cause; cause = cause.cause) if (cause.message) message = cause.message;
  return message;
}

function isoTime(event: Event): string {
  const time = event.eventTime;
  return new Date(Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6)).toISOString();
}

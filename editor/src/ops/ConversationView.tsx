// One conversation as the operator sees it: where it is and why it is stuck,
// its business timeline (with reset points), the raw history, and the actions
// that move it on. Takes data and callbacks; ConversationPage fetches.
import { useId, useMemo, useState } from 'react';
import { Button } from '../components/Button';
import { useI18n, type MessageKey } from '../i18n';
import type { ActionBodies, ActionResult, ConversationAction, ConversationOps, OpsAction, TimelineEntry, TimelineKind } from './api';
import { ActionDialog } from './ActionDialog';
import { ReasonBadge } from './common';
import { formatAge, formatDateTime } from './format';

/** An action with its body, as POSTed to /conversations/{id}/{action}. */
export type ActionRequest = { [A in OpsAction]: { action: A; body: ActionBodies[A] } }[OpsAction];

export interface ConversationViewProps {
  conversation: ConversationOps;
  /** Ages are counted to this time (ms); now by default. */
  now?: number;
  /** An action is running. */
  busy: boolean;
  /** The last action's answer, shown above the timeline. */
  result: ActionResult | null;
  /** Runs an action; resolves when it is done (the dialog closes), rejects with the API error (shown in the dialog). */
  onAction: (request: ActionRequest) => Promise<void>;
  onReload: () => void;
  /** A reload is in flight. */
  reloading?: boolean;
}

type OpenDialog = { action: ConversationAction } | { action: 'reset'; entry: TimelineEntry } | null;

const ACTION_BAR: ConversationAction[] = ['retry', 'reroute', 'replay-check', 'terminate'];

const KIND_ICONS: Record<TimelineKind, string> = {
  started: '▶', 'message-received': '↘', normalized: '≡', bot: '🤖', rules: '◇', queued: '⏳', offered: '☏', assigned: '👤',
  accepted: '✔', escalated: '⇧', transferred: '⇄', 'message-sent': '↗', survey: '★', closed: '■', step: '•',
  'activity-failed': '⚠', 'task-failed': '✖', waiting: '…', operator: '🛠', continued: '↻', ended: '⏹',
};

export function ConversationView({ conversation, now, busy, result, onAction, onReload, reloading = false }: ConversationViewProps) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [dialogError, setDialogError] = useState<unknown>(null);

  const open = (next: OpenDialog) => {
    setDialogError(null);
    setDialog(next);
  };
  const run = (request: ActionRequest) => {
    setDialogError(null);
    onAction(request).then(() => setDialog(null), setDialogError);
  };

  return (
    <div className="ops-page" data-testid="ops-conversation">
      <ConversationHeader conversation={conversation} now={now ?? Date.now()} />

      <section className="ops-card" aria-labelledby="ops-actions-title">
        <div className="ops-actions-head">
          <h3 id="ops-actions-title">{t('ops.conv.actions')}</h3>
          <Button onClick={onReload} busy={reloading} data-testid="conv-reload">{t('ops.conv.reload')}</Button>
        </div>
        <div className="ops-action-bar" role="toolbar" aria-label={t('ops.conv.actions')}>
          {ACTION_BAR.map((action) => (
            <Button key={action} variant={action === 'terminate' ? 'danger' : 'secondary'} data-testid={`action-${action}`}
              // A finished conversation can still be checked (and reset from its timeline), not retried, rerouted or ended.
              disabled={busy || (action !== 'replay-check' && conversation.executionStatus !== 'Running')} onClick={() => open({ action })}>
              {t(`ops.action.${action}` as MessageKey)}
            </Button>
          ))}
        </div>
        {result && <ResultNotice result={result} />}
      </section>

      <Timeline entries={conversation.timeline} onReset={(entry) => open({ action: 'reset', entry })} disabled={busy} />
      <RawHistory history={conversation.history} />

      {dialog && (
        <ActionDialogFor
          dialog={dialog}
          steps={stepIds(conversation)}
          busy={busy}
          error={dialogError}
          onRun={run}
          onCancel={() => setDialog(null)}
        />
      )}
    </div>
  );
}

/** The flow steps the conversation went through (timeline order), its current one first. */
export function stepIds(conversation: ConversationOps): string[] {
  const ids = new Set<string>();
  if (conversation.step) ids.add(conversation.step);
  for (const entry of conversation.timeline) if (entry.step) ids.add(entry.step);
  return [...ids];
}

function ConversationHeader({ conversation: c, now }: { conversation: ConversationOps; now: number }) {
  const { t, lang } = useI18n();
  return (
    <section className="ops-card ops-conv-head" aria-labelledby="ops-conv-title">
      <div className="ops-conv-title">
        <h2 id="ops-conv-title" className="ops-id">{c.workflowId}</h2>
        <span className={`badge ops-exec ops-exec-${c.executionStatus.toLowerCase()}`} data-testid="conv-execution">{c.executionStatus}</span>
        {c.temporalUiUrl && (
          <a className="ops-temporal" href={c.temporalUiUrl} target="_blank" rel="noopener noreferrer" data-testid="conv-temporal">
            {t('ops.conv.temporal')}
          </a>
        )}
      </div>
      <dl className="ops-facts">
        <div>
          <dt>{t('ops.conv.stuck')}</dt>
          <dd data-testid="conv-stuck">
            {c.stuck ? (
              <>
                {c.stuck.reasons.map((reason) => <ReasonBadge key={reason} reason={reason} />)}
                <span className="muted small" title={formatDateTime(c.stuck.since, lang)}> {t('ops.conv.stuckFor', { age: formatAge(c.stuck.since, now, lang) })}</span>
              </>
            ) : (
              <span className="muted">{t('ops.conv.notStuck')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('ops.conv.status')}</dt>
          <dd>{c.status ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('ops.conv.flow')}</dt>
          <dd>{c.flowId ? <>{c.flowId}{c.flowVersion !== undefined && ` v${c.flowVersion}`}</> : '—'}</dd>
        </div>
        <div>
          <dt>{t('ops.conv.step')}</dt>
          <dd>{c.step ? <code>{c.step}</code> : '—'}</dd>
        </div>
        <div>
          <dt>{t('ops.conv.where')}</dt>
          <dd>{c.inboxId ?? '—'}{c.channel && ` · ${c.channel}`}</dd>
        </div>
        {c.stuck?.attempts !== undefined && (
          <div>
            <dt>{t('ops.conv.attempts')}</dt>
            <dd>{c.stuck.attempts}</dd>
          </div>
        )}
        <div>
          <dt>{t('ops.conv.run')}</dt>
          <dd className="ops-id small">{c.runId}</dd>
        </div>
      </dl>
      {c.stuck?.lastError && (
        <div className="ops-last-error" data-testid="conv-last-error">
          <strong>{t('ops.conv.lastError')}</strong>
          <pre>{c.stuck.lastError}</pre>
        </div>
      )}
    </section>
  );
}

function ResultNotice({ result }: { result: ActionResult }) {
  const { t } = useI18n();
  const replay = result.replay;
  return (
    <div className={`notice ${result.ok ? 'ops-notice-ok' : 'notice-error'}`} role="status" data-testid="action-result">
      <div className="notice-text">
        <strong>{result.summary}</strong>
        {replay && (
          <span data-testid="replay-result" className={replay.compatible ? 'ops-ok' : 'ops-bad'}>
            {replay.compatible
              ? t('ops.replay.compatible')
              : replay.divergence?.eventId !== undefined
                ? t('ops.replay.divergent', { eventId: replay.divergence.eventId, message: replay.divergence.message })
                : t('ops.replay.divergentNoEvent', { message: replay.divergence?.message ?? '' })}
          </span>
        )}
        {result.runId && <span className="small">{t('ops.conv.newRun', { runId: result.runId })}</span>}
      </div>
    </div>
  );
}

function Timeline({ entries, onReset, disabled }: { entries: TimelineEntry[]; onReset: (entry: TimelineEntry) => void; disabled: boolean }) {
  const { t, lang } = useI18n();
  return (
    <section className="ops-card" aria-labelledby="ops-timeline-title">
      <h3 id="ops-timeline-title">{t('ops.conv.timeline')}</h3>
      {entries.length === 0 ? (
        <p className="muted">{t('ops.conv.timelineEmpty')}</p>
      ) : (
        <ol className="ops-timeline" aria-labelledby="ops-timeline-title">
          {entries.map((entry) => (
            <li key={entry.eventId} className={`ops-tl ops-tl-${entry.kind}${entry.error ? ' ops-tl-has-error' : ''}`} data-testid="timeline-entry" data-event-id={entry.eventId}>
              <div className="ops-tl-meta">
                <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
                <span className={`ops-kind ops-kind-${entry.kind}`} data-testid="timeline-kind">
                  <span aria-hidden="true">{KIND_ICONS[entry.kind] ?? '•'}</span> {entry.kind in KIND_ICONS ? t(`ops.kind.${entry.kind}` as MessageKey) : entry.kind}
                </span>
                {entry.step && <code className="ops-tl-step">{entry.step}</code>}
                {entry.attempt !== undefined && <span className="muted small">{t('ops.conv.attempt', { n: entry.attempt })}</span>}
                <span className="muted small">{t('ops.conv.event', { id: entry.eventId })}</span>
              </div>
              <div className="ops-tl-body">
                <strong data-testid="timeline-title">{entry.title[lang]}</strong>
                {entry.detail && <p className="ops-tl-detail">{entry.detail}</p>}
                {entry.error && <pre className="ops-tl-error" role="note" data-testid="timeline-error">{entry.error}</pre>}
              </div>
              {entry.resetEventId !== undefined && (
                <Button
                  data-testid="reset-button"
                  aria-label={`${t('ops.action.reset')}: ${entry.title[lang]}`}
                  disabled={disabled}
                  onClick={() => onReset(entry)}
                >
                  {t('ops.action.reset')}
                </Button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The raw history, rendered only once opened (it can be large). */
function RawHistory({ history }: { history: unknown }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const text = useMemo(() => (open ? JSON.stringify(history, null, 2) : ''), [open, history]);
  return (
    <details className="ops-card ops-history" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="raw-history">
      <summary>{t('ops.conv.history')}</summary>
      {open && <pre data-testid="raw-history-json">{text}</pre>}
    </details>
  );
}

interface ActionDialogForProps {
  dialog: NonNullable<OpenDialog>;
  steps: string[];
  busy: boolean;
  error: unknown;
  onRun: (request: ActionRequest) => void;
  onCancel: () => void;
}

function ActionDialogFor({ dialog, steps, busy, error, onRun, onCancel }: ActionDialogForProps) {
  const { t, lang } = useI18n();
  const common = { busy, error, onCancel, confirmLabel: t(`ops.action.${dialog.action}` as MessageKey), title: t(`ops.action.${dialog.action}` as MessageKey) };
  switch (dialog.action) {
    case 'reset': {
      const { entry } = dialog;
      const eventId = entry.resetEventId!;
      return (
        <ActionDialog {...common} danger intro={t('ops.dialog.reset', { title: entry.title[lang], eventId })} onConfirm={(reason) => onRun({ action: 'reset', body: { reason, eventId } })} />
      );
    }
    case 'reroute':
      return <RerouteDialog {...common} steps={steps} onRun={onRun} />;
    case 'terminate':
      return <TerminateDialog {...common} onRun={onRun} />;
    case 'retry':
      return <ActionDialog {...common} intro={t('ops.dialog.retry')} onConfirm={(reason) => onRun({ action: 'retry', body: { reason } })} />;
    case 'replay-check':
      return <ActionDialog {...common} intro={t('ops.dialog.replay-check')} onConfirm={(reason) => onRun({ action: 'replay-check', body: { reason } })} />;
  }
}

type Common = { busy: boolean; error: unknown; onCancel: () => void; confirmLabel: string; title: string };
type Target = 'queue' | 'agent' | 'step';
const OTHER = '\u0000other';

function RerouteDialog({ steps, onRun, ...common }: Common & { steps: string[]; onRun: (request: ActionRequest) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [target, setTarget] = useState<Target>('queue');
  const [queue, setQueue] = useState('');
  const [agentId, setAgentId] = useState('');
  const [stepChoice, setStepChoice] = useState(steps[0] ?? OTHER);
  const [stepFree, setStepFree] = useState('');
  const nodeId = stepChoice === OTHER ? stepFree.trim() : stepChoice;
  const value = target === 'queue' ? queue.trim() : target === 'agent' ? agentId.trim() : nodeId;
  const confirm = (reason: string) => {
    const body: ActionBodies['reroute'] =
      target === 'queue' ? { reason, queue: value } : target === 'agent' ? { reason, agentId: value } : { reason, nodeId: value };
    onRun({ action: 'reroute', body });
  };
  return (
    <ActionDialog {...common} intro={t('ops.dialog.reroute')} valid={value !== ''} onConfirm={confirm}>
      <fieldset className="ops-scope">
        <legend>{t('ops.reroute.target')}</legend>
        {(['queue', 'agent', 'step'] as const).map((option) => (
          <label key={option}>
            <input type="radio" name={`${id}-target`} value={option} checked={target === option} onChange={() => setTarget(option)} data-testid={`reroute-${option}`} />
            {t(`ops.reroute.${option}`)}
          </label>
        ))}
      </fieldset>
      {target === 'queue' && (
        <>
          <label htmlFor={`${id}-queue`} className="field-label">{t('ops.reroute.queueId')}</label>
          <input id={`${id}-queue`} data-testid="reroute-queue-input" value={queue} onChange={(e) => setQueue(e.target.value)} spellCheck={false} />
        </>
      )}
      {target === 'agent' && (
        <>
          <label htmlFor={`${id}-agent`} className="field-label">{t('ops.reroute.agentId')}</label>
          <input id={`${id}-agent`} data-testid="reroute-agent-input" value={agentId} onChange={(e) => setAgentId(e.target.value)} spellCheck={false} />
        </>
      )}
      {target === 'step' && (
        <>
          <label htmlFor={`${id}-step`} className="field-label">{t('ops.reroute.stepId')}</label>
          <select id={`${id}-step`} data-testid="reroute-step-select" value={stepChoice} onChange={(e) => setStepChoice(e.target.value)}>
            {steps.map((step) => <option key={step} value={step}>{step}</option>)}
            <option value={OTHER}>{t('ops.reroute.otherStep')}</option>
          </select>
          {stepChoice === OTHER && (
            <>
              <label htmlFor={`${id}-step-free`} className="field-label">{t('ops.reroute.stepFree')}</label>
              <input id={`${id}-step-free`} data-testid="reroute-step-input" value={stepFree} onChange={(e) => setStepFree(e.target.value)} spellCheck={false} />
            </>
          )}
        </>
      )}
    </ActionDialog>
  );
}

function TerminateDialog({ onRun, ...common }: Common & { onRun: (request: ActionRequest) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [message, setMessage] = useState('');
  const confirm = (reason: string) => onRun({ action: 'terminate', body: message.trim() ? { reason, message: message.trim() } : { reason } });
  return (
    <ActionDialog {...common} danger intro={t('ops.dialog.terminate')} onConfirm={confirm}>
      <label htmlFor={`${id}-message`} className="field-label">{t('ops.terminate.message')}</label>
      <p className="hint small muted" id={`${id}-hint`}>{t('ops.terminate.messageHint')}</p>
      <textarea id={`${id}-message`} data-testid="terminate-message" aria-describedby={`${id}-hint`} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
    </ActionDialog>
  );
}

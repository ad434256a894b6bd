import type { ConversationDetail, FlowStep } from '../api';
import { formatTime, useI18n } from '../i18n';

/** Why the conversation went where it did: each rules decision, with the condition that held back each rule that did not fire. */
export function FlowSteps({ detail }: { detail: ConversationDetail }) {
  const { t, lang } = useI18n();
  const steps = (detail.timeline ?? []).flatMap((entry) => (entry.kind === 'step' ? [entry.step] : []));
  if (steps.length === 0) return null;
  return (
    <details className="flow-steps" data-testid="flow-steps">
      <summary>{t('steps.title', { count: steps.length })}</summary>
      <ol>
        {steps.map((step) => (
          <li key={step.id}>
            <span className="muted small">{formatTime(step.at, lang)}</span> <code>{step.nodeId}</code>
            {step.handle && <> → <code>{step.handle}</code></>}
            {step.note && <span className="small"> · {step.note[lang]}</span>}
            {step.rules && <RuleLines step={step} />}
          </li>
        ))}
      </ol>
    </details>
  );
}

const show = (v: unknown) => (typeof v === 'string' ? `“${v}”` : JSON.stringify(v) ?? '—');

function RuleLines({ step }: { step: FlowStep }) {
  const { t } = useI18n();
  const rules = step.rules!;
  return (
    <ul className="small">
      <li>{rules.fired.length ? t('steps.fired', { rules: rules.fired.join(', ') }) : t('steps.noneFired')}</li>
      {rules.rules.filter((r) => !r.fired).map((r) => {
        const f = r.failed?.[0];
        return (
          <li key={r.name} className="muted">
            {f
              ? t('steps.failed', { rule: r.name, fact: f.fact, path: f.path ? f.path.replace(/^\$/, '') : '', operator: f.operator, value: show(f.value), actual: show(f.factValue) })
              : r.name}
          </li>
        );
      })}
    </ul>
  );
}

// Every validation issue of the saved draft, in the UI language. Choosing one
// selects and centres the node it is about.
import { useI18n } from '../i18n';
import type { FlowIssue } from './api';

interface ProblemsListProps {
  issues: FlowIssue[];
  open: boolean;
  onToggle: () => void;
  onPick: (issue: FlowIssue) => void;
}

export function ProblemsList({ issues, open, onToggle, onPick }: ProblemsListProps) {
  const { lang, t } = useI18n();
  return (
    <section className={`problems ${open ? 'is-open' : ''}`} data-testid="problems" aria-labelledby="problems-title">
      <h2 id="problems-title">
        <button type="button" className="problems-toggle" aria-expanded={open} onClick={onToggle}>
          <span className={`problems-count ${issues.length ? 'has-issues' : ''}`}>{issues.length}</span>
          {issues.length ? t('flows.problems.title') : t('flows.problems.none')}
        </button>
      </h2>
      {open && issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => {
            const nodeId = issue.nodeId ?? issue.nodeIds?.[0];
            return (
              <li key={`${issue.code}-${issue.pointer}-${i}`}>
                <button
                  type="button"
                  className="problem"
                  data-testid="problem"
                  data-code={issue.code}
                  data-node-id={nodeId}
                  disabled={!nodeId}
                  onClick={() => onPick(issue)}
                >
                  {nodeId && <code>{nodeId}</code>}
                  <span>{issue.message[lang]}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

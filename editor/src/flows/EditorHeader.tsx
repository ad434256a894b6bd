// The editor's header: back to the list, the flow's name, the save state, the
// problems count, the live version and Publish.
import { Button } from '../components/Button';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { followLink } from '../router';
import type { FlowVersion } from './api';
import { formatDateTime } from './format';
import { SaveState } from './SaveState';
import type { SaveState as State } from './useAutosave';

interface EditorHeaderProps {
  name: string;
  saveState: State;
  onRetrySave: () => void;
  errorCount: number;
  onProblems: () => void;
  published: FlowVersion | null;
  canPublish: boolean;
  onPublish: () => void;
}

export function EditorHeader({ name, saveState, onRetrySave, errorCount, onProblems, published, canPublish, onPublish }: EditorHeaderProps) {
  const { lang, t } = useI18n();
  const publishedTitle = published?.publishedAt
    ? t('flows.header.publishedBy', { who: published.publishedBy ?? '—', when: formatDateTime(published.publishedAt, lang) })
    : undefined;
  return (
    <header className="flow-header">
      <a href="/flows" className="back-link" onClick={followLink}>
        <span aria-hidden="true">←</span> {t('flows.list.title')}
      </a>
      <h1 className="flow-name" title={name}>{name}</h1>
      <SaveState state={saveState} onRetry={onRetrySave} />
      <span className="header-spacer" />
      <button type="button" className={`problems-pill ${errorCount ? 'has-issues' : ''}`} data-testid="problems-count" data-count={errorCount} onClick={onProblems}>
        {errorCount ? t('flows.header.problems', { count: errorCount }) : t('flows.header.noProblems')}
      </button>
      <span className="published" data-testid="published-version" data-version={published?.version ?? 0} title={publishedTitle}>
        {published ? t('flows.header.live', { n: published.version }) : t('flows.header.unpublished')}
      </span>
      <Button variant="primary" data-testid="publish" disabled={!canPublish} onClick={onPublish} title={canPublish ? undefined : t('flows.publish.blocked')}>
        {t('flows.publish.button')}
      </Button>
      <LanguageSwitch />
    </header>
  );
}

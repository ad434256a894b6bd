// The draft's save state in the header: saved, unsaved changes, saving, a
// conflict with someone else's save, or a failed save (with retry).
import { Spinner } from '../components/Button';
import { useI18n } from '../i18n';
import type { SaveState as State } from './useAutosave';

export function SaveState({ state, onRetry }: { state: State; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <span className={`save-state save-${state}`} data-testid="save-state" data-state={state} role="status" aria-live="polite">
      {state === 'saving' && <Spinner />}
      {state === 'saved' && <span aria-hidden="true">✓</span>}
      {t(`flows.save.${state}`)}
      {state === 'error' && (
        <button type="button" className="link-btn" onClick={onRetry}>
          {t('flows.save.retry')}
        </button>
      )}
    </span>
  );
}

import { ApiError, formatDetails } from '../api';
import { useI18n, type Translate } from '../i18n';

function describe(error: unknown, t: Translate): { message: string; details?: string } {
  if (error instanceof ApiError) {
    if (error.status === 0) return { message: t('error.network') };
    return {
      message: error.message || t('error.http', { status: error.status }),
      details: formatDetails(error.details),
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** An inline error box for a failed API call; renders nothing when `error` is null. */
export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  const { message, details } = describe(error, t);
  return (
    <div className="notice notice-error" role="alert" data-testid="error">
      <div className="notice-text">
        <strong>{message}</strong>
        {details && <span className="notice-details">{details}</span>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-btn" onClick={onDismiss} aria-label={t('error.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}

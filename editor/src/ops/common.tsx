// Pieces shared by the ops pages: the reason badge, the error notice that
// names the missing role on a 403, the loading line.
import { ApiError } from '../api';
import { Spinner } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n, type MessageKey } from '../i18n';
import { STUCK_REASONS, type StuckReason } from './api';

/** A stuck reason as a coloured badge, in the current language. */
export function ReasonBadge({ reason }: { reason: StuckReason }) {
  const { t } = useI18n();
  return (
    <span className={`ops-reason ops-reason-${reason}`} data-testid="reason-badge" data-reason={reason}>
      {(STUCK_REASONS as readonly string[]).includes(reason) ? t(`ops.reason.${reason}` as MessageKey) : reason}
    </span>
  );
}

/** True when the API refused the person's role (HTTP 403). */
export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** An API error; a 403 says which role is needed instead of the server's words. */
export function OpsError({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  if (isForbidden(error)) {
    return (
      <div className="notice notice-error" role="alert" data-testid="error-forbidden">
        <div className="notice-text"><strong>{t('ops.error.forbidden')}</strong></div>
      </div>
    );
  }
  return <ErrorNotice error={error} onDismiss={onDismiss} />;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="ops-loading" role="status" aria-live="polite">
      <Spinner />
      <span>{t('ops.loading')}</span>
    </div>
  );
}

const ROLE_KEYS: Record<string, MessageKey> = {
  agent: 'agent.role.agent',
  analyst: 'agent.role.analyst',
  admin: 'agent.role.admin',
  operator: 'agent.role.operator',
  supervisor: 'agent.role.supervisor',
};

/** A role's name; unknown roles show as they are. */
export function roleLabel(role: string, t: (key: MessageKey) => string): string {
  const key = ROLE_KEYS[role];
  return key ? t(key) : role;
}

import type { ConversationStatus } from '../api';
import { useI18n } from '../i18n';

export function StatusBadge({ status }: { status: ConversationStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}` as const)}</span>;
}

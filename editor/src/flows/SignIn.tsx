// The flow editor's sign-in: a person's token (the demo analyst's role is `analyst`).
import type { Me } from '../api';
import { TokenSignIn } from '../components/TokenSignIn';
import { useI18n } from '../i18n';

export function SignIn({ reason, onSignedIn }: { reason: unknown; onSignedIn: (token: string, me: Me) => void }) {
  const { t } = useI18n();
  return (
    <TokenSignIn idPrefix="flows" label={t('flows.signIn.token')} hint={t('flows.signIn.hint')} className="flows-sign-in card" reason={reason} onSignedIn={onSignedIn}>
      <h2>{t('flows.signIn.title')}</h2>
      <p className="muted">{t('flows.signIn.intro')}</p>
    </TokenSignIn>
  );
}

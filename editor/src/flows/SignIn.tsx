// Sign in with a person's token (printed by `npm start`; the demo analyst's
// role is `analyst`), checked against /me before it is kept.
import { useState, type FormEvent } from 'react';
import { getMe, type Me } from '../api';
import { Button } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n } from '../i18n';

export function SignIn({ reason, onSignedIn }: { reason: unknown; onSignedIn: (token: string, me: Me) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = draft.trim();
    if (token) void action.run('signIn', async () => onSignedIn(token, await getMe(token)));
  };

  return (
    <form className="flows-sign-in card" onSubmit={submit}>
      <h2>{t('flows.signIn.title')}</h2>
      <p className="muted">{t('flows.signIn.intro')}</p>
      <label htmlFor="flows-token">{t('flows.signIn.token')}</label>
      <p className="hint" id="flows-token-hint">{t('flows.signIn.hint')}</p>
      <div className="field-row">
        <input
          id="flows-token"
          data-testid="flows-token"
          type="password"
          aria-describedby="flows-token-hint"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" data-testid="flows-sign-in" busy={action.busy !== null} disabled={!draft.trim()}>
          {t('agent.signIn')}
        </Button>
      </div>
      <ErrorNotice error={action.error ?? reason} />
    </form>
  );
}

// Sign in with a person's token (printed by `npm start`), checked against
// /me before it is kept. Shared by the agent view and the flow editor.
import { useState, type FormEvent, type ReactNode } from 'react';
import { getMe, type Me } from '../api';
import { useAction } from '../hooks';
import { Button } from './Button';
import { ErrorNotice } from './ErrorNotice';
import { useI18n } from '../i18n';

interface TokenSignInProps {
  /** Prefix of the input's id and the test ids: `<idPrefix>-token`, `<idPrefix>-sign-in`. */
  idPrefix: string;
  label: string;
  hint: string;
  className: string;
  /** Why the person is signed out (an error to show), if any. */
  reason: unknown;
  onSignedIn: (token: string, me: Me) => void;
  /** Shown above the field (a title, an introduction). */
  children?: ReactNode;
}

export function TokenSignIn({ idPrefix, label, hint, className, reason, onSignedIn, children }: TokenSignInProps) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const action = useAction();
  const inputId = `${idPrefix}-token`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const token = draft.trim();
    if (token) void action.run('signIn', async () => onSignedIn(token, await getMe(token)));
  }

  return (
    <form className={className} onSubmit={submit}>
      {children}
      <label htmlFor={inputId}>{label}</label>
      <p className="hint" id={`${inputId}-hint`}>{hint}</p>
      <div className="field-row">
        <input
          id={inputId}
          data-testid={inputId}
          type="password"
          aria-describedby={`${inputId}-hint`}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" data-testid={`${idPrefix}-sign-in`} busy={action.busy !== null} disabled={!draft.trim()}>
          {t('agent.signIn')}
        </Button>
      </div>
      <ErrorNotice error={action.error ?? reason} />
    </form>
  );
}

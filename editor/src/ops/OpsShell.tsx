// The frame of the ops pages: brand, navigation, who is signed in, language.
import type { ReactNode } from 'react';
import type { Me } from '../api';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { followLink } from '../router';
import { roleLabel } from './common';

export function OpsShell({ me, onSignOut, children }: { me: Me | null; onSignOut: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="app flows-app ops-app">
      <header className="app-header">
        <Brand tagline={t('ops.title')} />
        <nav className="header-nav">
          <a href="/" onClick={followLink}>{t('flows.nav.console')}</a>
          <a href="/flows" onClick={followLink}>{t('flows.nav')}</a>
          {me && (
            <span className="who" data-testid="ops-who">
              {me.name} · {roleLabel(me.role, t)}
              <button type="button" className="link-btn" onClick={onSignOut}>{t('agent.signOut')}</button>
            </span>
          )}
          <LanguageSwitch />
        </nav>
      </header>
      <main className="flows-page ops-main">{children}</main>
    </div>
  );
}

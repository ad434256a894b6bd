// The frame of the flows pages outside the editor: brand, navigation, who is
// signed in, language.
import type { ReactNode } from 'react';
import type { Me } from '../api';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n, type MessageKey } from '../i18n';
import { followLink } from '../router';

export function FlowsShell({ me, onSignOut, children }: { me: Me | null; onSignOut: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="app flows-app">
      <header className="app-header">
        <Brand tagline={t('flows.list.title')} />
        <nav className="header-nav">
          <a href="/" onClick={followLink}>{t('flows.nav.console')}</a>
          {me && (
            <span className="who">
              {me.name} · {t(`agent.role.${me.role}` as MessageKey)}
              <button type="button" className="link-btn" onClick={onSignOut}>{t('agent.signOut')}</button>
            </span>
          )}
          <LanguageSwitch />
        </nav>
      </header>
      <main className="flows-page">{children}</main>
    </div>
  );
}

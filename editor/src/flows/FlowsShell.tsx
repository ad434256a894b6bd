// The frame of the flows pages outside the editor: brand, navigation, who is
// signed in, language.
import type { ReactNode } from 'react';
import type { Me } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n, type MessageKey } from '../i18n';
import { followLink } from '../router';

export function FlowsShell({ me, onSignOut, children }: { me: Me | null; onSignOut: () => void; children: ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <div className="app flows-app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>
            {t('app.name')}
            <span className="brand-sub">{lang === 'zh' ? 'Huiliu' : '汇流'}</span>
          </h1>
          <span className="brand-tagline">{t('flows.list.title')}</span>
        </div>
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

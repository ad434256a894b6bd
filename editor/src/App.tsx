import { AgentPane } from './components/AgentPane';
import { LanguageSwitch } from './components/LanguageSwitch';
import { VisitorPane } from './components/VisitorPane';
import { I18nContext, useLanguage } from './i18n';

export function App() {
  const i18n = useLanguage();
  return (
    <I18nContext value={i18n}>
      <div className="app">
        <header className="app-header">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <h1>
              {i18n.t('app.name')}
              <span className="brand-sub">{i18n.lang === 'zh' ? 'Huiliu' : '汇流'}</span>
            </h1>
            <span className="brand-tagline">{i18n.t('app.tagline')}</span>
          </div>
          <LanguageSwitch />
        </header>
        <main className="panes">
          <VisitorPane />
          <AgentPane />
        </main>
      </div>
    </I18nContext>
  );
}

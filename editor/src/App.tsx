import { lazy, Suspense } from 'react';
import { AgentPane } from './components/AgentPane';
import { Brand } from './components/Brand';
import { Spinner } from './components/Button';
import { LanguageSwitch } from './components/LanguageSwitch';
import { VisitorPane } from './components/VisitorPane';
import { I18nContext, useI18n, useLanguage } from './i18n';
import { followLink, matchRoute, usePath } from './router';
import { TOKEN_KEY } from './flows/api';
import { prefetchFlow } from './flows/prefetch';
import './flows/flows.css';

// The flow editor (React Flow, dagre) loads only when someone opens it; a
// flow's data starts loading at the same time as that code.
const FlowsRoot = lazy(() => {
  const route = matchRoute(window.location.pathname);
  if (route.page === 'flow') prefetchFlow(route.flowId, localStorage.getItem(TOKEN_KEY) ?? '');
  return import('./flows/FlowsRoot');
});

// The operations console (stuck conversations) loads only when someone opens it.
const OpsRoot = lazy(() => import('./ops/OpsRoot'));

export function App() {
  const i18n = useLanguage();
  const route = matchRoute(usePath());
  return (
    <I18nContext value={i18n}>
      {route.page === 'demo' ? (
        <DemoPage />
      ) : route.page === 'ops' || route.page === 'ops-conversation' ? (
        <Suspense fallback={<PageLoading />}>
          <OpsRoot route={route} />
        </Suspense>
      ) : (
        <Suspense fallback={<PageLoading />}>
          <FlowsRoot route={route} />
        </Suspense>
      )}
    </I18nContext>
  );
}

function DemoPage() {
  const i18n = useI18n();
  return (
    <div className="app">
      <header className="app-header">
        <Brand tagline={i18n.t('app.tagline')} />
        <nav className="header-nav">
          <a href="/flows" onClick={followLink} data-testid="nav-flows">
            {i18n.t('flows.nav')}
          </a>
          <a href="/ops" onClick={followLink} data-testid="nav-ops">
            {i18n.t('ops.nav')}
          </a>
          <LanguageSwitch />
        </nav>
      </header>
      <main className="panes">
        <VisitorPane />
        <AgentPane />
      </main>
    </div>
  );
}

function PageLoading() {
  return (
    <div className="page-loading" role="status">
      <Spinner />
    </div>
  );
}

// The chat page at /widget/<inboxId>: inside the panel widget.js adds to a
// site, it waits for the loader to say who the visitor is (postMessage);
// opened on its own (a link, a test), it keeps its own visitor id.
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { randomId } from '../src/ids';
import { isWidgetMessage, type HostMessage, type Identity, type PageMessage, type WidgetLang } from './protocol';
import { WidgetApp } from './WidgetApp';
import '../src/styles.css';
import './widget.css';

const inboxId = decodeURIComponent(window.location.pathname.replace(/\/+$/, '').split('/').pop() ?? '');
const params = new URLSearchParams(window.location.search);
const queryLang = params.get('lang');
const initialLang: WidgetLang = queryLang === 'zh' || queryLang === 'en' ? queryLang : navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const embedded = window.parent !== window;

interface Setup {
  anonymousId: string;
  lang: WidgetLang;
  identity: Identity | null;
  open: boolean;
}

/** On its own: a visitor id of this page's own. */
function standaloneSetup(): Setup {
  const key = `huiliu.widget.${inboxId}.visitorId`;
  let anonymousId: string | null = null;
  try { anonymousId = localStorage.getItem(key); } catch { /* storage off */ }
  if (!anonymousId) {
    anonymousId = `v-${randomId().replaceAll('-', '')}`;
    try { localStorage.setItem(key, anonymousId); } catch { /* kept for this page only */ }
  }
  return { anonymousId, lang: initialLang, identity: null, open: true };
}

function Root() {
  const [setup, setSetup] = useState<Setup | null>(embedded ? null : standaloneSetup);
  const [hostOrigin, setHostOrigin] = useState<string | null>(null);

  useEffect(() => {
    if (!embedded) return;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || !isWidgetMessage(event.data)) return;
      const message = event.data as HostMessage;
      if (message.type === 'init') {
        setHostOrigin(event.origin === 'null' ? '*' : event.origin); // a page from a file or a sandbox has no origin to name
        setSetup({ anonymousId: message.visitorId, lang: message.lang, identity: message.identity ?? null, open: message.open });
      } else if (message.type === 'identify') {
        setSetup((s) => (s ? { ...s, identity: message.identity } : s));
      } else if (message.type === 'visibility') {
        setSetup((s) => (s ? { ...s, open: message.open } : s));
      }
    };
    window.addEventListener('message', onMessage);
    // Nothing secret in it: whoever frames the page may know it is ready.
    window.parent.postMessage({ huiliu: 1, type: 'ready' } satisfies PageMessage, '*');
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const tell = useCallback((message: PageMessage) => {
    if (embedded && hostOrigin) window.parent.postMessage(message, hostOrigin);
  }, [hostOrigin]);
  const onClose = useCallback(() => tell({ huiliu: 1, type: 'close' }), [tell]);
  const onActive = useCallback(() => tell({ huiliu: 1, type: 'active' }), [tell]);
  const onUnread = useCallback((count: number) => tell({ huiliu: 1, type: 'unread', count }), [tell]);

  if (!setup) return null;
  return (
    <WidgetApp
      inboxId={inboxId}
      lang={setup.lang}
      anonymousId={setup.anonymousId}
      identity={setup.identity}
      embedded={embedded}
      open={setup.open}
      onClose={onClose}
      onActive={onActive}
      onUnread={onUnread}
    />
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('widget/index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// widget.js: what a site pastes,
//
//   <script src="https://host/widget.js" data-inbox="demo-webchat" data-lang="zh" async></script>
//
// (optionally with data-user-id and data-user-hash, or later
// `window.HuiliuWidget.identify({ userId, userHash })`). It adds a launcher
// button and a chat panel to the page, inside a shadow root so the site's CSS
// and ours leave each other alone. The panel frames our chat page
// (/widget/<inboxId>, editor/widget/main.tsx), which does the talking to the
// server. This script keeps the visitor id in the site's localStorage (its
// first-party storage, which browsers keep longer than a frame's) and hands it
// to the page. No framework: it is small and loads on every page of the site.
import { isWidgetMessage, type HostMessage, type Identity, type PageMessage, type WidgetLang } from './protocol';

declare global {
  interface Window {
    HuiliuWidget?: HuiliuWidgetApi | unknown[];
  }
}

export interface HuiliuWidgetApi {
  open(): void;
  close(): void;
  toggle(): void;
  /** Signs the visitor in as the site's user (`userHash` from the site's backend); null signs them out (anonymous again). */
  identify(identity: Identity | null): void;
}

const STRINGS = {
  zh: { open: '在线客服', close: '关闭客服窗口', title: '在线客服', unread: '{n} 条新消息' },
  en: { open: 'Chat with us', close: 'Close the chat', title: 'Customer service chat', unread: '{n} new messages' },
} satisfies Record<WidgetLang, Record<string, string>>;

/** After writing, a visitor's next page views open the frame at once (so replies reach them) for this long. */
const ACTIVE_MS = 24 * 60 * 60_000;

const STYLE = `
:host { all: initial; }
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border: 0; border-radius: 50%; padding: 0; cursor: pointer;
  background: #0f766e; color: #fff; box-shadow: 0 4px 16px rgb(16 24 40 / 24%);
  display: flex; align-items: center; justify-content: center;
}
.launcher:hover { background: #0b5c56; }
.launcher:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.launcher svg { width: 28px; height: 28px; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #b42318; color: #fff; font: 600 12px/20px system-ui, sans-serif; text-align: center;
}
.badge[hidden] { display: none; }
.panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
  width: 380px; height: min(640px, calc(100vh - 108px));
  border-radius: 14px; overflow: hidden; background: #fff;
  box-shadow: 0 8px 32px rgb(16 24 40 / 28%);
}
.panel[hidden] { display: none; }
.panel iframe { display: block; width: 100%; height: 100%; border: 0; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .panel:not([hidden]) ~ .launcher { display: none; }
}
`;

const ICON = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.4 9 9 0 0 1-3.8-.8L3 20.5l1.5-4.6A8 8 0 0 1 3 11.5 8.5 8.5 0 0 1 12 3a8.5 8.5 0 0 1 9 8.5Z"/></svg>';

function start(script: HTMLScriptElement) {
  const inboxId = script.dataset.inbox?.trim() ?? '';
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(inboxId)) {
    console.error('[huiliu] widget.js needs data-inbox="<inbox id>" on its <script> tag');
    return;
  }
  const origin = new URL(script.src, window.location.href).origin;
  const lang: WidgetLang = script.dataset.lang === 'en' || script.dataset.lang === 'zh'
    ? script.dataset.lang
    : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const text = STRINGS[lang];
  const stored = storage(`huiliu.widget.${inboxId}`);
  let visitorId = stored.get('visitorId');
  if (!visitorId || !/^[A-Za-z0-9_.:-]{1,128}$/.test(visitorId) || visitorId.startsWith('user:')) {
    visitorId = `v-${randomId()}`;
    stored.set('visitorId', visitorId);
  }
  let identity: Identity | null = script.dataset.userId && script.dataset.userHash
    ? { userId: script.dataset.userId, userHash: script.dataset.userHash }
    : null;

  const host = document.createElement('div');
  host.id = 'huiliu-widget';
  host.dataset.inbox = inboxId;
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = 'huiliu-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', text.title);
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-controls', panel.id);
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-label', text.open);
  launcher.title = text.open;
  launcher.innerHTML = ICON;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  launcher.append(badge);
  root.append(style, panel, launcher);

  let frame: HTMLIFrameElement | undefined;
  let open = false;
  const post = (message: HostMessage) => frame?.contentWindow?.postMessage(message, origin);

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.title = text.title;
    frame.src = `${origin}/widget/${encodeURIComponent(inboxId)}?lang=${lang}`;
    frame.allow = 'clipboard-write';
    panel.append(frame);
  }

  function setOpen(next: boolean) {
    if (next) ensureFrame();
    open = next;
    panel.hidden = !next;
    launcher.setAttribute('aria-expanded', String(next));
    launcher.setAttribute('aria-label', next ? text.close : text.open);
    launcher.title = next ? text.close : text.open;
    post({ huiliu: 1, type: 'visibility', open: next });
    if (next) frame?.focus();
    // Closed from inside the panel: focus goes back to the launcher, not to the top of the page.
    else if (document.activeElement === host) launcher.focus({ preventScroll: true });
  }

  launcher.addEventListener('click', () => setOpen(!open));

  window.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin || !isWidgetMessage(event.data)) return;
    const message = event.data as PageMessage;
    if (message.type === 'ready') post({ huiliu: 1, type: 'init', visitorId: visitorId!, lang, open, ...(identity ? { identity } : {}) });
    else if (message.type === 'close') setOpen(false);
    else if (message.type === 'active') stored.set('activeAt', String(Date.now()));
    else if (message.type === 'unread') {
      badge.hidden = message.count <= 0;
      badge.textContent = message.count > 9 ? '9+' : String(message.count);
      launcher.setAttribute('aria-label', message.count > 0 ? `${text.open} (${text.unread.replace('{n}', String(message.count))})` : open ? text.close : text.open);
    }
  });

  const api: HuiliuWidgetApi = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
    identify(next) {
      identity = next && next.userId && next.userHash ? { userId: String(next.userId), userHash: String(next.userHash) } : null;
      post({ huiliu: 1, type: 'identify', identity });
    },
  };
  // Calls queued before this script loaded: `(window.HuiliuWidget = window.HuiliuWidget || []).push(['identify', {...}])`.
  const queued = Array.isArray(window.HuiliuWidget) ? window.HuiliuWidget : [];
  window.HuiliuWidget = api;

  const mount = () => {
    document.body.append(host);
    // A visitor who wrote recently gets replies on any page: the frame connects at once (hidden until opened).
    if (Number(stored.get('activeAt') ?? 0) > Date.now() - ACTIVE_MS) ensureFrame();
    for (const call of queued) {
      if (!Array.isArray(call)) continue;
      const [name, ...args] = call as [keyof HuiliuWidgetApi, ...unknown[]];
      if (typeof api[name] === 'function') (api[name] as (...a: unknown[]) => void)(...args);
    }
    window.dispatchEvent(new CustomEvent('huiliu:ready', { detail: api }));
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

/** localStorage under a prefix; in memory where the site's storage is off limits (some private modes). */
function storage(prefix: string) {
  const memory = new Map<string, string>();
  return {
    get(key: string): string | undefined {
      try { return window.localStorage.getItem(`${prefix}.${key}`) ?? undefined; } catch { return memory.get(key); }
    },
    set(key: string, value: string) {
      memory.set(key, value);
      try { window.localStorage.setItem(`${prefix}.${key}`, value); } catch { /* kept in memory for this page */ }
    },
  };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const current = document.currentScript;
const script = current instanceof HTMLScriptElement && current.dataset.inbox !== undefined
  ? current
  : document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-inbox]');
if (!script) console.error('[huiliu] widget.js cannot find its <script data-inbox="…"> tag');
else if (!document.getElementById('huiliu-widget')) start(script);

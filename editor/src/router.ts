// A tiny pushState router: the current path as React state, and navigation
// that updates it. No dependency; the server answers every non-API path with
// index.html, so deep links work.
import { useSyncExternalStore, type MouseEvent } from 'react';

const NAVIGATE_EVENT = 'popstate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => window.removeEventListener(NAVIGATE_EVENT, onChange);
}

/** The current location's path (without query or hash). */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent(NAVIGATE_EVENT));
}

/** onClick for an <a href>: navigates in place unless the person asked for a new tab or window. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(new URL(event.currentTarget.href).pathname);
}

export type Route =
  | { page: 'demo' }
  | { page: 'flows' }
  | { page: 'flow'; flowId: string }
  | { page: 'ops' }
  | { page: 'ops-conversation'; workflowId: string };

export function matchRoute(path: string): Route {
  if (/^\/flows\/?$/.test(path)) return { page: 'flows' };
  const flow = /^\/flows\/([^/]+)\/?$/.exec(path);
  if (flow) return { page: 'flow', flowId: decodeURIComponent(flow[1]) };
  if (/^\/ops\/?$/.test(path)) return { page: 'ops' };
  const ops = /^\/ops\/([^/]+)\/?$/.exec(path);
  if (ops) return { page: 'ops-conversation', workflowId: decodeURIComponent(ops[1]) };
  return { page: 'demo' };
}

// What the loader (widget.js, on the site's page) and the chat page (in its
// iframe, on our origin) tell each other with postMessage. Every message
// carries `huiliu: 1`, so other scripts' messages are told apart; each side
// also checks who sent it (the loader: the frame's window and our origin; the
// page: its parent window).

export type WidgetLang = 'zh' | 'en';

export interface Identity {
  userId: string;
  userHash: string;
}

/** Chat page → loader. */
export type PageMessage =
  | { huiliu: 1; type: 'ready' }
  /** The visitor closed the panel (its close button, or Escape). */
  | { huiliu: 1; type: 'close' }
  /** Replies the visitor has not seen, for the launcher's badge. */
  | { huiliu: 1; type: 'unread'; count: number }
  /** The visitor wrote: the loader opens the frame at once on their next page views for a while. */
  | { huiliu: 1; type: 'active' };

/** Loader → chat page. */
export type HostMessage =
  | { huiliu: 1; type: 'init'; visitorId: string; lang: WidgetLang; identity?: Identity; open: boolean }
  | { huiliu: 1; type: 'identify'; identity: Identity | null }
  | { huiliu: 1; type: 'visibility'; open: boolean };

export function isWidgetMessage(data: unknown): data is { huiliu: 1; type: string } {
  return typeof data === 'object' && data !== null && (data as { huiliu?: unknown }).huiliu === 1 && typeof (data as { type?: unknown }).type === 'string';
}

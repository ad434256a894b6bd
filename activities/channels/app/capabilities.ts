// What the mobile app is sent. A push goes to the app's own backend as JSON
// (./send.ts), so no provider limits apply; the app shows choices as buttons
// and a card as a card (the push carries both).
import type { ChannelCapabilities } from '../capabilities';

export const appCapabilities = {
  // No maxText: the push carries the whole text.
  // Plain text: the push's text often becomes a notification as it is.
  markdown: false,
  // As many as web chat shows, for the same surveys and flows.
  buttons: { max: 10, label: { max: 100, unit: 'chars' } },
  cards: 'rich',
  // The push has no field for pictures: they are links in the text.
  images: false,
  emoji: 'unicode',
} satisfies ChannelCapabilities;

// What our web chat widget (editor/widget) shows. Web chat has no sender: the
// widget shows stored messages, adapted to these capabilities as it draws them.
import type { ChannelCapabilities } from '../capabilities';

export const webchatCapabilities = {
  // No maxText: the widget shows a message whole.
  // The transcript renders text, not markdown: markdown becomes plain text.
  markdown: false,
  // Buttons under the message; more than 10, or long labels, read poorly in a 360 px panel.
  buttons: { max: 10, label: { max: 100, unit: 'chars' } },
  // Title, text, picture and link buttons.
  cards: 'rich',
  images: true,
  emoji: 'unicode',
} satisfies ChannelCapabilities;

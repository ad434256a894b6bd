// What the visitor is shown of the bot's, agents' and the system's messages:
// each adapted to web chat's declared capabilities
// (activities/channels/webchat/capabilities.ts) with the same code every
// channel's sender uses, so markdown reads as plain text, pictures in it are
// shown as pictures, and choices the panel cannot hold as buttons are listed
// in the text. The store keeps what was written; the agent sees that.
import { adaptOutbound, capabilitiesOf } from '../../activities/channels/capabilities';
import type { MediaRef, Message } from '../src/api';

const webchat = capabilitiesOf('webchat');

export function visitorView(message: Message): Message {
  if (message.direction !== 'out') return message;
  const adapted = adaptOutbound(
    { id: message.id, text: message.text, ...(message.choices?.length ? { choices: message.choices } : {}), ...(message.card ? { card: message.card } : {}) },
    webchat,
  );
  const pictures = adapted.images.map(({ url, alt }): MediaRef => ({ kind: 'image', url, ...(alt ? { name: alt } : {}) }));
  return {
    ...message,
    text: adapted.parts.join(''),
    choices: adapted.choices ?? null,
    card: adapted.card ?? null,
    // A text message with pictures reads as pictures with their caption.
    ...(pictures.length && (message.type ?? 'text') === 'text' ? { type: 'image', media: pictures } : {}),
  };
}

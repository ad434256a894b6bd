// A card sent with a message (the reply node's card, activities/types.ts
// MessageCard). The visitor sees it whole: picture, title, text and buttons;
// a button with a link opens it, one without sends its label, as a choice does.
// The agent sees what was sent in brief: title and text. Everything is text
// nodes and checked URLs: nothing from the message becomes markup.
import type { MessageCard } from '../api';
import { safeUrl } from '../transcript';
import './message-card.css';

const external = { target: '_blank', rel: 'noopener noreferrer' } as const;

export function MessageCardView({ card, onChoose }: { card: MessageCard; onChoose?: (label: string) => void }) {
  const href = safeUrl(card.url);
  const image = safeUrl(card.imageUrl);
  return (
    <div className="msg-card" data-testid="message-card">
      {/* Decorative: the title says what it shows. Image hosts may refuse our page as referrer. */}
      {image && <img className="msg-card-image" src={image} alt="" loading="lazy" referrerPolicy="no-referrer" />}
      <div className="msg-card-body">
        <div className="msg-card-title">{href ? <a href={href} {...external}>{card.title}</a> : card.title}</div>
        {card.text && <div className="msg-card-text">{card.text}</div>}
      </div>
      {card.buttons?.length ? (
        <div className="msg-card-buttons">
          {card.buttons.map((button, i) => {
            const url = safeUrl(button.url);
            if (url) return <a key={i} className="msg-card-button" href={url} {...external} data-testid="card-button">{button.label}</a>;
            return (
              <button key={i} type="button" className="msg-card-button" disabled={!onChoose} onClick={() => onChoose?.(button.label)} data-testid="card-button">
                {button.label}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

export function MessageCardSummary({ card }: { card: MessageCard }) {
  return (
    <div className="msg-bubble msg-card-summary" data-testid="message-card">
      <strong>{card.title}</strong>
      {card.text && <div>{card.text}</div>}
    </div>
  );
}

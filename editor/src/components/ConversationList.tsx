import type { Conversation } from '../api';
import { formatTime, useI18n, type MessageKey } from '../i18n';
import { Spinner } from './Button';
import { StatusBadge } from './StatusBadge';

interface ConversationListProps {
  /** Null until the first load. */
  conversations: Conversation[] | null;
  selectedId: string | null;
  meId: string;
  onSelect: (id: string) => void;
}

export function ConversationList({ conversations, selectedId, meId, onSelect }: ConversationListProps) {
  const { t } = useI18n();
  return (
    <section className="conv-list" aria-labelledby="conv-list-title">
      <h3 id="conv-list-title">
        {t('list.title')}
        {conversations && <span className="count">{conversations.length}</span>}
      </h3>
      {conversations === null ? (
        <p className="muted" role="status">
          <Spinner /> {t('list.loading')}
        </p>
      ) : conversations.length === 0 ? (
        <p className="muted">{t('list.empty')}</p>
      ) : (
        <ul data-testid="conversation-list">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <ConversationItem
                conversation={conversation}
                meId={meId}
                selected={conversation.id === selectedId}
                onSelect={() => onSelect(conversation.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The channel badge on each conversation, so one inbox list can tell WeChat from the web widget. */
const CHANNEL_LABELS: Record<string, MessageKey> = { webchat: 'channel.webchat', wechat: 'channel.wechat', wecom: 'channel.wecom' };

interface ConversationItemProps {
  conversation: Conversation;
  meId: string;
  selected: boolean;
  onSelect: () => void;
}

function ConversationItem({ conversation, meId, selected, onSelect }: ConversationItemProps) {
  const { t, lang } = useI18n();
  const owner =
    conversation.agentId === meId
      ? t(conversation.acceptedAt ? 'list.yours' : 'list.offered')
      : conversation.agentId && t('list.otherAgent', { id: conversation.agentId });
  return (
    <button
      type="button"
      className="conv-item"
      aria-current={selected || undefined}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-visitor-id={conversation.visitorId}
      data-channel={conversation.channel}
      onClick={onSelect}
    >
      <span className="conv-item-row">
        <StatusBadge status={conversation.status} />
        <span className={`badge badge-channel badge-channel-${conversation.channel}`} data-testid="channel-badge">
          {CHANNEL_LABELS[conversation.channel] ? t(CHANNEL_LABELS[conversation.channel]) : conversation.channel}
        </span>
        {owner && <span className="badge badge-owner">{owner}</span>}
        <time className="muted small conv-item-time" dateTime={conversation.updatedAt}>
          {formatTime(conversation.updatedAt, lang)}
        </time>
      </span>
      <span className="conv-item-row small">
        <span title={conversation.visitorId}>
          {t('list.visitor')} {conversation.visitorId.slice(0, 8)}
        </span>
        {conversation.queue && (
          <span>
            {t('list.queue')} {conversation.queue}
          </span>
        )}
        {conversation.priority != null && (
          <span>
            {t('list.priority')} {conversation.priority}
          </span>
        )}
      </span>
      {conversation.lastMessage && <span className="conv-item-last">{conversation.lastMessage.text}</span>}
    </button>
  );
}

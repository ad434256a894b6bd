// reply: send a message built from a template with the conversation's facts,
// in the customer's language, optionally with a card. The message is stored as
// written; the channel's sender adapts it to what the channel shows (length
// limit, markdown, cards: activities/channels/capabilities.ts).
import { storeOutbound } from '../../messages';
import type { Language, MessageCard } from '../../types';
import { renderTemplate } from '../template';
import type { Plugin } from '../types';

const template = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, 'x-widget': 'template' });
const bilingual = (maxLength: number, title: { zh: string; en: string }) => ({
  type: 'object', additionalProperties: false, required: ['zh', 'en'], 'x-title': title,
  properties: { zh: { ...template(maxLength), 'x-title': { zh: '中文', en: 'Chinese' } }, en: { ...template(maxLength), 'x-title': { zh: '英文', en: 'English' } } },
});
const link = (title: { zh: string; en: string }) => ({ type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2048, 'x-title': title });

type Bilingual = Record<Language, string>;
interface CardParameter {
  title: Bilingual;
  text?: Bilingual;
  url?: string;
  imageUrl?: string;
  buttons?: { label: Bilingual; url?: string }[];
}

export const replyPlugin: Plugin = {
  definition: {
    type: 'reply', typeVersion: 1, category: 'messaging',
    title: { zh: '发送消息', en: 'Reply' },
    description: {
      zh: '按客户的语言发送一条消息，可用 {{contact.name}} 这样的变量引用事实，可附一张卡片。各渠道按其能力发送：超长时分条或截断并附全文链接，不支持卡片的渠道以文字发送。',
      en: "Sends a message in the customer's language; variables like {{contact.name}} insert facts. A card may go with it. Each channel sends what it can show: a long text is split or cut with a link to the whole of it, and a card becomes text where there are no cards.",
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['text'],
      properties: {
        text: bilingual(4000, { zh: '消息内容', en: 'Message' }),
        card: {
          type: 'object', additionalProperties: false, required: ['title'],
          'x-title': { zh: '卡片', en: 'Card' },
          'x-description': {
            zh: '网页聊天和应用显示为卡片，微信公众号有链接时显示为图文消息，其他渠道以编号文字发送。',
            en: 'A card in web chat and the app, a news article on WeChat when it has a link, numbered text elsewhere.',
          },
          properties: {
            title: bilingual(200, { zh: '标题', en: 'Title' }),
            text: bilingual(1000, { zh: '正文', en: 'Text' }),
            url: link({ zh: '链接', en: 'Link' }),
            imageUrl: link({ zh: '图片地址', en: 'Image URL' }),
            buttons: {
              type: 'array', maxItems: 5, 'x-title': { zh: '按钮', en: 'Buttons' },
              items: {
                type: 'object', additionalProperties: false, required: ['label'],
                properties: { label: bilingual(40, { zh: '文字', en: 'Label' }), url: link({ zh: '链接', en: 'Link' }) },
              },
            },
          },
        },
      },
    },
    handles: [{ id: 'next', title: { zh: '下一步', en: 'Next' }, required: true }],
    sideEffects: true,
  },
  createHandler: ({ storeMessage }) => async (input) => {
    const missing = new Set<string>();
    const render = (texts: Bilingual) => {
      const rendered = renderTemplate(texts[input.language] ?? texts.zh, input.facts);
      rendered.missing.forEach((name) => missing.add(name));
      return rendered.text;
    };
    const text = render(input.parameters.text as Bilingual);
    const card = input.parameters.card ? cardOf(input.parameters.card as CardParameter, render) : undefined;
    const note = missing.size
      ? { zh: `变量无值，已留空：${[...missing].join('、')}`, en: `Variables without a value, left empty: ${[...missing].join(', ')}` }
      : undefined;
    if (!input.dryRun) {
      await storeOutbound(storeMessage, {
        conversationId: input.conversationId, inboxId: input.inboxId, channel: input.channel, visitorId: input.visitorId,
        messageId: input.messageId, author: 'bot', text, kind: 'text', ...(card ? { card } : {}), at: input.now,
      });
    }
    return { handle: 'next', sent: text, note };
  },
};

/** The card in the customer's language. */
function cardOf(card: CardParameter, render: (texts: Bilingual) => string): MessageCard {
  const buttons = card.buttons?.map((b) => ({ label: render(b.label), ...(b.url ? { url: b.url } : {}) }));
  return {
    title: render(card.title),
    ...(card.text ? { text: render(card.text) } : {}),
    ...(card.url ? { url: card.url } : {}),
    ...(card.imageUrl ? { imageUrl: card.imageUrl } : {}),
    ...(buttons?.length ? { buttons } : {}),
  };
}

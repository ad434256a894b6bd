// The first bot: keyword match over the flow's FAQ set. Good enough to answer
// the common questions; the NLU bot replaces the matcher, not the contract.
import { storeOutbound, type StoreMessage } from './messages';
import type { FaqDoc } from './store/models';
import type { Models } from './store';
import { ttlCache } from './ttl-cache';
import type { BotResult, ConversationRef, Language } from './types';

export interface BotInput extends ConversationRef {
  faqSet: string;
  minConfidence: number;
  text: string;
  language: Language;
  /** Id and time of the answer, if the bot has one (the workflow makes them, so a retry stores it once). */
  replyId: string;
  at: number;
  /** What the conversation record says now about the bot answering; it is written only when that changes. */
  recordedAnswered?: boolean;
}

type MatchInput = Pick<BotInput, 'faqSet' | 'text' | 'language' | 'minConfidence'>;

/** The best keyword match in the FAQ set; it answers when its confidence reaches the minimum. */
export function matchFaq(faqs: FaqDoc[], input: MatchInput): BotResult {
  const text = input.text.normalize('NFKC').toLowerCase();
  let best: BotResult = { answered: false, confidence: 0 };
  for (const faq of faqs) {
    const hits = faq.keywords.filter((k) => text.includes(k.normalize('NFKC').toLowerCase())).length;
    // One hit is a plausible match; every keyword hit is a certain one.
    const confidence = hits === 0 ? 0 : 0.5 + (0.5 * hits) / faq.keywords.length;
    if (confidence > best.confidence) {
      const answer = faq.answers?.[input.language] ?? faq.answers?.zh ?? faq.answers?.en ?? undefined;
      best = { answered: confidence >= input.minConfidence && !!answer, confidence, answer: answer ?? undefined, faqId: faq._id };
    }
  }
  return best;
}

// FAQ sets change rarely and every message reads one: an edit shows within this time.
const FAQ_CACHE_MS = 10_000;

export function botActivities(m: Models, store: StoreMessage) {
  const faqSet = ttlCache<FaqDoc[]>(FAQ_CACHE_MS, (name) => m.Faq.find({ faqSet: name }).lean().exec());

  async function match(input: MatchInput): Promise<BotResult> {
    return matchFaq(await faqSet(input.faqSet), input);
  }

  return {
    /** Conversations from before the cheaper-message-path patch answer in two steps: this, then sendMessage. */
    async botAnswer(input: Omit<BotInput, 'replyId' | 'at'>): Promise<BotResult> {
      const result = await match(input);
      await m.Conversation.updateOne({ _id: input.conversationId }, { $set: { botAnswered: result.answered, updatedAt: new Date() } });
      return result;
    },

    /** Answers the message if an FAQ matches, and sends the answer: one step, as it is on the hot path of every message. */
    async botReply(input: BotInput): Promise<BotResult> {
      const result = await match(input);
      if (result.answered && result.answer) {
        const { conversationId, inboxId, channel, visitorId } = input;
        await storeOutbound(store, {
          conversationId, inboxId, channel, visitorId, messageId: input.replyId, author: 'bot', text: result.answer, kind: 'text', at: input.at,
        });
      }
      if (result.answered !== input.recordedAnswered) {
        await m.Conversation.updateOne({ _id: input.conversationId }, { $set: { botAnswered: result.answered, updatedAt: new Date() } });
      }
      return result;
    },
  };
}

// The first bot: keyword match over the flow's FAQ set. Good enough to answer
// the common questions; the NLU bot replaces the matcher, not the contract.
import type { FaqDoc } from './store/models';
import type { Models } from './store';
import { ttlCache } from './ttl-cache';
import type { BotResult, ConversationRef, Language } from './types';

export interface BotInput extends ConversationRef {
  faqSet: string;
  minConfidence: number;
  text: string;
  language: Language;
}

// FAQ sets change rarely and every message reads one: an edit shows within this time.
const FAQ_CACHE_MS = 10_000;

export function botActivities(m: Models) {
  const faqSet = ttlCache<FaqDoc[]>(FAQ_CACHE_MS, (name) => m.Faq.find({ faqSet: name }).lean().exec());

  return {
    async botAnswer(input: BotInput): Promise<BotResult> {
      const faqs = await faqSet(input.faqSet);
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
      await m.Conversation.updateOne(
        { _id: input.conversationId },
        { $set: { botAnswered: best.answered, botConfidence: best.confidence, updatedAt: new Date() } },
      );
      return best;
    },
  };
}

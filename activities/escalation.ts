// What an escalation chain does beyond moving the conversation: tell the
// supervisors, and take the customer's message when nobody can serve them.
import type { EmitEvent } from './events';
import type { Models } from './store';
import type { ConversationRef } from './types';

// A mainland mobile number, or any international-looking one (7+ digits).
const PHONE = /(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\+?\d[\d\s-]{5,}\d/;

/** The phone number in what the customer wrote, digits (and a leading +) only. */
export function phoneIn(text: string): string | undefined {
  return PHONE.exec(text.normalize('NFKC'))?.[0].replace(/[\s-]/g, '');
}

export function escalationActivities(m: Models, emit: EmitEvent = async () => {}) {
  return {
    /** An escalation step asked for supervisors: one alert per step reached (a retried step finds it). */
    async notifySupervisors(input: ConversationRef & { nodeId: string; queue: string; waitedSeconds: number; at: number }): Promise<{ alertId: string }> {
      const _id = `${input.conversationId}:${input.nodeId}:${input.at}`;
      const minutes = Math.max(1, Math.round(input.waitedSeconds / 60));
      const reason = { zh: `客户已等待约 ${minutes} 分钟仍无人接入，已升级到队列 ${input.queue}。`, en: `The customer has waited about ${minutes} min with nobody accepting; escalated to queue ${input.queue}.` };
      await m.Alert.updateOne({ _id }, {
        $setOnInsert: {
          conversationId: input.conversationId, inboxId: input.inboxId, channel: input.channel, queue: input.queue, nodeId: input.nodeId, reason, at: new Date(input.at),
        },
      }, { upsert: true });
      const { conversationId, inboxId, channel, queue } = input;
      await emit({ type: 'supervisor.alert', conversationId, inboxId, channel, queue, data: { alertId: _id, reason }, audience: [] });
      return { alertId: _id };
    },

    /** The customer left a message for a call back; one per conversation step. */
    async requestCallback(input: ConversationRef & { nodeId: string; queue?: string; text: string; at: number }): Promise<{ callbackId: string; phone?: string }> {
      const _id = `${input.conversationId}:${input.nodeId}`;
      const phone = phoneIn(input.text);
      await m.Callback.updateOne({ _id }, {
        $setOnInsert: {
          conversationId: input.conversationId, inboxId: input.inboxId, channel: input.channel, visitorId: input.visitorId,
          queue: input.queue, text: input.text, ...(phone ? { phone } : {}), status: 'open', at: new Date(input.at),
        },
      }, { upsert: true });
      const { conversationId, inboxId, channel, queue } = input;
      await emit({ type: 'callback.requested', conversationId, inboxId, channel, queue, data: { callbackId: _id }, audience: [] });
      return { callbackId: _id, ...(phone ? { phone } : {}) };
    },
  };
}

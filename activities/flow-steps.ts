// The flow steps a conversation took (rules decisions and what plugins did),
// written to its timeline so an agent or analyst can see why it went where.
import { isDuplicateKey, type Models } from './store';
import type { ConversationRef } from './types';
import type { StepRecord } from '../rules/interpreter';

export function flowStepActivities(m: Models) {
  return {
    /** Writes steps numbered from `first`; a retry finds the ones already written and skips them. */
    async recordFlowSteps(input: ConversationRef & { first: number; steps: StepRecord[] }): Promise<void> {
      for (const [i, step] of input.steps.entries()) {
        try {
          await m.FlowStep.create({
            _id: `${input.conversationId}:step:${input.first + i}`, conversationId: input.conversationId,
            nodeId: step.nodeId, nodeType: step.nodeType, handle: step.handle, rules: step.rules, note: step.note, at: new Date(step.at),
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
    },
  };
}

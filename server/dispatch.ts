// When an agent comes online or frees a seat, the waiting conversations they
// could take are told to look for an agent now, most urgent first, instead of
// at their next periodic try. Each conversation's own offer step still picks
// the agent (by its queue's strategy), so this only decides who goes first.
import type { Client } from '@temporalio/client';
import { noteVacancy } from '../activities/agent-availability';
import { waitingFor } from '../activities/assignment';
import type { Models } from '../activities/store';
import { assignNowSignal } from '../workflows/messages';

export class Dispatcher {
  constructor(private readonly models: Models, private readonly client: Client) {}

  /** Wakes the conversations the agent could take now; never throws (the periodic tries remain). */
  async agentAvailable(agentId: string): Promise<number> {
    try {
      // The offer steps look at agents who may have a free seat first: this one may (./agent-availability.ts).
      const [, waiting] = await Promise.all([noteVacancy(this.models, agentId), waitingFor(this.models, agentId)]);
      // In order, so the most urgent conversation looks first.
      for (const { workflowId } of waiting) await this.client.workflow.getHandle(workflowId).signal(assignNowSignal);
      return waiting.length;
    } catch (err) {
      console.error(`[huiliu] could not hand waiting conversations to ${agentId}: ${(err as Error).message}`);
      return 0;
    }
  }
}

// A bad deploy, for tests: the conversation workflow with a timer added before
// its first step, so every running conversation's history no longer replays.
import { sleep } from '@temporalio/workflow';
import { conversationWorkflow as deployed } from '../../workflows/conversation';

export async function conversationWorkflow(...args: Parameters<typeof deployed>): ReturnType<typeof deployed> {
  await sleep(1);
  return deployed(...args);
}

// Test-only workflow code that diverges from recorded conversations: the real
// conversation workflow, but it starts a timer once the conversation is over,
// where a recorded finished run completed. (A change before the first step
// diverges too, but core then names no event: local activities are matched
// by sequence number, not against history events.)
import { sleep } from '@temporalio/workflow';
import { conversationWorkflow as recorded } from '../../../workflows/conversation';

export async function conversationWorkflow(...args: Parameters<typeof recorded>): ReturnType<typeof recorded> {
  const snapshot = await recorded(...args);
  await sleep(1);
  return snapshot;
}

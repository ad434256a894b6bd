// The cheapest conversation Temporal can run: it counts signals and never
// schedules anything, so each message costs one signal and one workflow task.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const messageSignal = defineSignal<[string]>('message');

export async function floorWorkflow(): Promise<number> {
  let received = 0;
  setHandler(messageSignal, () => { received++; });
  await condition(() => received < 0); // never: the benchmark terminates it
  return received;
}

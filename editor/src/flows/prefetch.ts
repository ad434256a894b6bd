// The editor's first requests (the flow and the node types), started while
// its code is still loading: on a big flow that is most of the wait.
import { flowsApi, type FlowDetail, type NodeTypeDefinition } from './api';

type Loaded = Promise<[FlowDetail, NodeTypeDefinition[]]>;

let pending: { key: string; loaded: Loaded } | null = null;

/** Starts loading `flowId` for the stored token; call before the editor's code is imported. */
export function prefetchFlow(flowId: string, token: string): void {
  if (!token) return;
  const api = flowsApi(token);
  const loaded: Loaded = Promise.all([api.get(flowId), api.nodeTypes()]);
  loaded.catch(() => undefined); // the editor reports failures when it takes the promise
  pending = { key: `${token}\n${flowId}`, loaded };
}

/** The prefetched requests for this flow and token, once; otherwise undefined. */
export function takePrefetched(flowId: string, token: string): Loaded | undefined {
  const hit = pending?.key === `${token}\n${flowId}` ? pending.loaded : undefined;
  pending = null;
  return hit;
}

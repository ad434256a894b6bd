// What a node-type plugin is made of: its definition (data, see rules/plugin.ts)
// and, for nodes that do their work in an activity, a handler factory that gets
// its dependencies injected. Nodes that wait (wait, queue, survey...) have no
// handler: the interpreter runs them in workflow code.
import type { NodeRunInput, NodeRunResult, NodeTypeDefinition } from '../../rules/plugin';
import type { StoreMessage } from '../messages';
import type { Models } from '../store';
import type { OrderApiConfig } from './order-status/shopify';

/** What integration plugins may reach, from platform configuration (never from flows). */
export interface Integrations {
  /** Outbound HTTP for integration nodes; always through the network policy. */
  http: HttpPolicy;
  /** The shop the order-status node asks. */
  orderApi?: OrderApiConfig;
}

export interface PluginDeps extends Integrations {
  models: Models;
  /** Stores an outbound message and pushes it to the visitor's stream. */
  storeMessage: StoreMessage;
}

export const NO_INTEGRATIONS: Integrations = { http: { allowHosts: [], allowPrivateAddresses: false } };

export interface HttpPolicy {
  /** Hosts integration nodes may call (exact names or `*.example.com`); empty = none. */
  allowHosts: string[];
  /** Private, loopback and link-local addresses are refused unless this is set (tests with local servers only). */
  allowPrivateAddresses: boolean;
}

export type NodeHandler = (input: NodeRunInput) => Promise<NodeRunResult>;

export interface Plugin {
  definition: NodeTypeDefinition;
  createHandler?: (deps: PluginDeps) => NodeHandler;
}

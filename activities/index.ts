// Every activity the conversation workflow calls, built from its dependencies.
import { assignmentActivities } from './assignment';
import type { ChannelSenders } from './channels';
import { botActivities } from './bot';
import { conversationActivities } from './conversation';
import { flowStepActivities } from './flow-steps';
import { messageActivities, messageStore, type PublishMessage } from './messages';
import { pluginRunner } from './plugin-runner';
import { NO_INTEGRATIONS, type Integrations, type Plugin } from './plugins/types';
import type { Models } from './store';
import { surveyActivities } from './survey';

export interface ActivityDeps {
  /** Realtime delivery of stored messages; without it (workflow unit tests) nothing is published. */
  publish?: PublishMessage;
  /** What integration nodes may reach; by default nothing. */
  integrations?: Integrations;
  /** The node types this worker runs; by default the registry's (tests add their own). */
  plugins?: Plugin[];
  /** Provider channels' senders (./channels); without them outbound messages are only stored. */
  channels?: ChannelSenders;
}

export function createActivities(models: Models, deps: ActivityDeps = {}) {
  const store = messageStore(models, deps.publish ?? (() => {}), deps.channels);
  return {
    ...conversationActivities(models),
    ...messageActivities(models, store),
    ...botActivities(models, store),
    ...assignmentActivities(models),
    ...surveyActivities(models),
    ...flowStepActivities(models),
    runPluginNode: pluginRunner({ models, storeMessage: store, ...(deps.integrations ?? NO_INTEGRATIONS) }, deps.plugins),
  };
}

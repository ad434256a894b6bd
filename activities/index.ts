// Every activity the conversation workflow calls, built from its dependencies.
import { assignmentActivities } from './assignment';
import type { ChannelSenders } from './channels';
import type { ProviderMedia } from './channels/provider-media';
import { botActivities } from './bot';
import { conversationActivities } from './conversation';
import { escalationActivities } from './escalation';
import { eventLog, type PublishEvent } from './events';
import { flowStepActivities } from './flow-steps';
import { messageActivities, messageStore, type PublishMessage } from './messages';
import { pluginRunner } from './plugin-runner';
import type { SpeechRecognizer } from './speech';
import { withRoutingEvents } from './routing-events';
import { NO_INTEGRATIONS, type Integrations, type Plugin } from './plugins/types';
import type { Models } from './store';
import { surveyActivities } from './survey';

export interface ActivityDeps {
  /** Realtime delivery of stored messages; without it (workflow unit tests) nothing is published. */
  publish?: PublishMessage;
  /** Realtime delivery of routing events (./events); without it they are only logged. */
  publishEvent?: PublishEvent;
  /** What integration nodes may reach; by default nothing. */
  integrations?: Integrations;
  /** The node types this worker runs; by default the registry's (tests add their own). */
  plugins?: Plugin[];
  /** Provider channels' senders (./channels); without them outbound messages are only stored. */
  channels?: ChannelSenders;
  /** Transcribes voice messages that come without a transcript (./speech); without it they keep their placeholder text. */
  speech?: SpeechRecognizer;
  /** Copies what customers sent as provider media ids into the media store as they arrive (./channels/provider-media); without it agents fetch them on demand. */
  media?: ProviderMedia;
}

export function createActivities(models: Models, deps: ActivityDeps = {}) {
  const store = messageStore(models, deps.publish ?? (() => {}), deps.channels, deps.media);
  // One event log for every activity: factories that emit events of their own take `emit` (./events).
  const emit = eventLog(models, deps.publishEvent);
  return withRoutingEvents({
    ...conversationActivities(models),
    ...messageActivities(models, store, deps.speech),
    ...botActivities(models, store),
    ...assignmentActivities(models),
    ...surveyActivities(models),
    ...escalationActivities(models, emit),
    ...flowStepActivities(models),
    runPluginNode: pluginRunner({ models, storeMessage: store, ...(deps.integrations ?? NO_INTEGRATIONS) }, deps.plugins),
  }, models, emit);
}

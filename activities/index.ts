// Every activity the conversation workflow calls, built from its dependencies.
import { assignmentActivities } from './assignment';
import { botActivities } from './bot';
import { conversationActivities } from './conversation';
import { messageActivities, type PublishMessage } from './messages';
import type { Models } from './store';
import { surveyActivities } from './survey';

export interface ActivityDeps {
  /** Realtime delivery of stored messages; without it (workflow unit tests) nothing is published. */
  publish?: PublishMessage;
}

export function createActivities(models: Models, deps: ActivityDeps = {}) {
  return {
    ...conversationActivities(models),
    ...messageActivities(models, deps.publish ?? (() => {})),
    ...botActivities(models),
    ...assignmentActivities(models),
    ...surveyActivities(models),
  };
}

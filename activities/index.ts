// Every activity the conversation workflow calls, built from its dependencies.
import { assignmentActivities } from './assignment';
import { botActivities } from './bot';
import { conversationActivities } from './conversation';
import { messageActivities } from './messages';
import type { Models } from './store';
import { surveyActivities } from './survey';

export function createActivities(models: Models) {
  return {
    ...conversationActivities(models),
    ...messageActivities(models),
    ...botActivities(models),
    ...assignmentActivities(models),
    ...surveyActivities(models),
  };
}

import { describe, expect, it } from 'vitest';
import type { Conversation, ConversationDetail } from './api';
import { agentActions, surveyOutcome } from './conversation';

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    inboxId: 'demo-webchat',
    channel: 'webchat',
    visitorId: 'v1',
    status: 'queued',
    flowId: 'f1',
    flowVersion: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function detail(overrides: Partial<ConversationDetail> = {}): ConversationDetail {
  return { ...conversation(), messages: [], ...overrides };
}

describe('agentActions', () => {
  it('lets any agent accept a queued conversation', () => {
    expect(agentActions(conversation(), 'me')).toEqual({ canAccept: true, canReply: false, canClose: false });
  });

  it('lets the agent accept a conversation offered to them', () => {
    const offered = conversation({ status: 'assigned', agentId: 'me' });
    expect(agentActions(offered, 'me')).toEqual({ canAccept: true, canReply: false, canClose: false });
  });

  it('lets the agent reply and close once accepted', () => {
    const accepted = conversation({ status: 'assigned', agentId: 'me', acceptedAt: '2025-01-01T00:01:00.000Z' });
    expect(agentActions(accepted, 'me')).toEqual({ canAccept: false, canReply: true, canClose: true });
  });

  it('treats null fields like absent ones', () => {
    const queued = conversation({ agentId: null, acceptedAt: null });
    expect(agentActions(queued, 'me')).toEqual({ canAccept: true, canReply: false, canClose: false });
    const offered = conversation({ status: 'assigned', agentId: 'me', acceptedAt: null });
    expect(agentActions(offered, 'me').canAccept).toBe(true);
  });

  it('offers nothing on a conversation held by another agent', () => {
    const theirs = conversation({ status: 'assigned', agentId: 'other', acceptedAt: '2025-01-01T00:01:00.000Z' });
    expect(agentActions(theirs, 'me')).toEqual({ canAccept: false, canReply: false, canClose: false });
  });

  it('offers nothing once the conversation is over', () => {
    const closed = conversation({ status: 'closed', agentId: 'me', acceptedAt: '2025-01-01T00:01:00.000Z' });
    expect(agentActions(closed, 'me')).toEqual({ canAccept: false, canReply: false, canClose: false });
  });
});

describe('surveyOutcome', () => {
  it('is undefined while the conversation is not finished', () => {
    expect(surveyOutcome(detail({ status: 'assigned' }))).toBeUndefined();
  });

  it('waits while the survey is open', () => {
    expect(surveyOutcome(detail({ status: 'survey' }))).toEqual({ kind: 'waiting' });
  });

  it('reports the rating from the survey or the conversation', () => {
    const answered = detail({ status: 'closed', survey: { rating: 5, status: 'answered', agentId: 'me' } });
    expect(surveyOutcome(answered)).toEqual({ kind: 'rated', rating: 5 });
    expect(surveyOutcome(detail({ status: 'closed', rating: 3 }))).toEqual({ kind: 'rated', rating: 3 });
  });

  it('reports a rating the agent asked for while the conversation goes on', () => {
    const rated = detail({ status: 'assigned', survey: { rating: 4, status: 'answered', agentId: 'me' } });
    expect(surveyOutcome(rated)).toEqual({ kind: 'rated', rating: 4 });
  });

  it('reports a survey that timed out', () => {
    const timedOut = detail({ status: 'closed', survey: { status: 'timeout', agentId: 'me' } });
    expect(surveyOutcome(timedOut)).toEqual({ kind: 'timeout' });
  });

  it('reports a closed conversation without a survey as unrated', () => {
    expect(surveyOutcome(detail({ status: 'closed' }))).toEqual({ kind: 'unrated' });
    expect(surveyOutcome(detail({ status: 'closed', rating: null, survey: null }))).toEqual({ kind: 'unrated' });
  });
});

import { describe, expect, it } from 'vitest';
import { formatDetails } from './api';

describe('formatDetails', () => {
  it('keeps plain text', () => {
    expect(formatDetails('text is required')).toBe('text is required');
  });

  it('is undefined when there are no details', () => {
    expect(formatDetails(undefined)).toBeUndefined();
    expect(formatDetails(null)).toBeUndefined();
    expect(formatDetails('')).toBeUndefined();
  });

  it('joins validation problems with where they are', () => {
    const details = [
      { path: '/text', message: 'text is empty' },
      { path: '(body)', message: 'missing field "visitorId"' },
      { instancePath: '/status', message: 'must be equal to one of the allowed values' },
      { message: 'no path' },
    ];
    expect(formatDetails(details)).toBe(
      '/text: text is empty; (body): missing field "visitorId"; /status: must be equal to one of the allowed values; no path',
    );
  });

  it('lists the fields of other objects, leaving out empty ones', () => {
    expect(formatDetails({ inboxId: 'x', limit: 3, type: null })).toBe('inboxId: x, limit: 3');
    expect(formatDetails({ type: null })).toBeUndefined();
    expect(formatDetails([])).toBeUndefined();
  });
});

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

  it('joins validation errors with their paths', () => {
    const details = [
      { instancePath: '/text', message: 'must NOT have fewer than 1 characters' },
      { instancePath: '', message: "must have required property 'visitorId'" },
    ];
    expect(formatDetails(details)).toBe(
      "/text must NOT have fewer than 1 characters; must have required property 'visitorId'",
    );
  });

  it('shows other objects as JSON', () => {
    expect(formatDetails({ limit: 3 })).toBe('{"limit":3}');
  });
});

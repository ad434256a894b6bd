// Signed links to the full-message page: a link verifies for its own message
// only, and only under the key that signed it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fullMessageLinks } from './full-message-link';

const key = randomBytes(32);
const links = fullMessageLinks('https://huiliu.example/', key);

describe('fullMessageLinks', () => {
  it('puts the message id and a 22-character signature under the public URL', () => {
    const url = new URL(links.url('conv-1:out:7'));
    expect(`${url.origin}${url.pathname}`).toBe('https://huiliu.example/m/conv-1%3Aout%3A7');
    const signature = url.searchParams.get('s')!;
    expect(signature).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(links.verify('conv-1:out:7', signature)).toBe(true);
    expect(links.url('conv-1:out:7')).toBe(url.href);
  });

  it('refuses the signature of another message, another key, or a changed or short one', () => {
    const signature = new URL(links.url('conv-1:out:7')).searchParams.get('s')!;
    expect(links.verify('conv-1:out:8', signature)).toBe(false);
    expect(fullMessageLinks('https://huiliu.example', randomBytes(32)).verify('conv-1:out:7', signature)).toBe(false);
    expect(links.verify('conv-1:out:7', `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(links.verify('conv-1:out:7', signature.slice(0, 10))).toBe(false);
    expect(links.verify('conv-1:out:7', '')).toBe(false);
  });
});

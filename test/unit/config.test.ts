// The environment settings read at start (README "Run it"): refused values stop the start with a
// message that says what to do.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('ADMIN_TOKEN', () => {
  it('is refused at start-up when shorter than 24 characters, saying how to make one', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me' })).toThrow(/ADMIN_TOKEN must be at least 24 characters long \(it has 9\).*openssl rand -hex 24/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'x'.repeat(23) })).toThrow(/at least 24/);
  });

  it('is accepted from 24 characters on, and may be left unset', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(24) }).adminToken).toBe('x'.repeat(24));
    expect(loadConfig({}).adminToken).toBeUndefined();
  });
});

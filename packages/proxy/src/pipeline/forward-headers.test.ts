import { describe, expect, it } from 'vitest';
import { forwardHeaders, headerAllowlist } from './forward-headers.js';

const client = {
  'content-type': 'application/json',
  accept: 'application/json',
  'accept-encoding': 'gzip',
  'x-opaque-id': 'job-7',
  authorization: 'Bearer secret',
  cookie: 'sid=1',
  'x-proxy-user': 'admin',
  'x-proxy-roles': 'all_access',
  securitytenant: 'global',
  'x-forwarded-for': '10.0.0.1',
  forwarded: 'for=10.0.0.1',
  'x-tenant': 'globex',
  'x-request-id': 'client-chosen',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  'content-encoding': 'gzip',
  'x-team': 'search',
  'x-unknown': '1',
};

describe('forwardHeaders', () => {
  it('relays only content-type, accept and x-opaque-id by default', () => {
    expect(forwardHeaders(client, headerAllowlist([]))).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-opaque-id': 'job-7',
    });
  });

  it('relays accept-encoding only when the reply goes back untouched', () => {
    expect(forwardHeaders(client, headerAllowlist([]), true)).toMatchObject({ 'accept-encoding': 'gzip' });
  });

  it('adds configured names, case-insensitively', () => {
    expect(forwardHeaders(client, headerAllowlist(['X-Team']))).toMatchObject({ 'x-team': 'search' });
  });

  it.each([
    'authorization',
    'x-proxy-user',
    'x-proxy-roles',
    'securitytenant',
    'x-forwarded-for',
    'cookie',
    'content-encoding',
    'accept-encoding',
  ])('refuses to allow %s', (name) => {
    expect(() => headerAllowlist([name])).toThrowError(expect.objectContaining({ code: 'config_invalid' }));
  });
});

import { describe, expect, it } from 'vitest';
import { checkBodyFormat, forwardHeaders, headerAllowlist, tenancyHeaders } from './forward-headers.js';

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

describe('tenancyHeaders', () => {
  it('relays neither content-type nor accept: the proxy says what it sends and reads', () => {
    const sent = { ...client, 'content-type': 'application/yaml', accept: 'application/cbor' };
    expect(tenancyHeaders(sent, headerAllowlist([]))).toEqual({ 'x-opaque-id': 'job-7' });
  });
});

describe('checkBodyFormat', () => {
  it.each([
    'application/yaml',
    'application/x-yaml',
    'text/yaml; charset=utf-8',
    'APPLICATION/YAML',
    'application/cbor',
    'application/smile',
    'application/x-jackson-smile',
    'application/vnd.opensearch+yaml',
    ' application/cbor ;q=1',
  ])('refuses a body declared %s with 415', (type) => {
    expect(() => checkBodyFormat({ 'content-type': type }, true)).toThrowError(
      expect.objectContaining({ code: 'unsupported_media_type' }),
    );
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/x-ndjson',
    'application/vnd.opensearch+json; compatible-with=7',
    'text/plain;charset=UTF-8',
  ])('reads a body declared %s as JSON', (type) => {
    expect(() => checkBodyFormat({ 'content-type': type }, true)).not.toThrow();
  });

  it('does not look at the type of an empty body', () => {
    expect(() => checkBodyFormat({ 'content-type': 'application/yaml' }, false)).not.toThrow();
  });
});

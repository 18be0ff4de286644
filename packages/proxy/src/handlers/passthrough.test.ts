import { parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { checkPassthrough, type PassthroughRequest } from './passthrough.js';

const policy = { prefixes: ['legacy-'], principals: [] };
const operator = { id: 'ops' };
const encoder = new TextEncoder();

function check(segments: string[], body = '', extra: Partial<PassthroughRequest> = {}): void {
  checkPassthrough({ principal: operator, segments, body: encoder.encode(body), ...extra }, policy);
}

const refused = expect.objectContaining({ code: 'unauthorized' });

describe('checkPassthrough', () => {
  it('lets an operator reach one listed index', () => {
    expect(() => check(['legacy-x', '_search'], '{"query":{"match_all":{}}}')).not.toThrow();
  });

  it('refuses a principal bound to a tenant, and operators not named when names are configured', () => {
    const tenant = { id: 'app1', tenant: parsePartitionId('acme') };
    expect(() => check(['legacy-x', '_search'], '', { principal: tenant })).toThrowError(refused);
    expect(() =>
      checkPassthrough(
        { principal: operator, segments: ['legacy-x'], body: new Uint8Array() },
        { prefixes: ['legacy-'], principals: ['ops2'] },
      ),
    ).toThrowError(refused);
  });

  it.each(['legacy-x,osproxy-shared', 'legacy-*', '_all', '<legacy-{now}>', 'legacy-x,-legacy-y', 'other'])(
    'refuses the path index %s',
    (index) => {
      expect(() => check([index, '_search'])).toThrowError(refused);
    },
  );

  it('refuses a clone or alias target outside the set', () => {
    expect(() => check(['legacy-x', '_clone', 'osproxy-shared'])).toThrowError(refused);
    expect(() => check(['legacy-x', '_alias', 'legacy-y'])).not.toThrow();
  });

  it('refuses bulk action lines, msearch headers and body references outside the set', () => {
    expect(() => check(['legacy-x', '_bulk'], '{"index":{"_index":"osproxy-shared"}}\n{}\n')).toThrowError(
      refused,
    );
    expect(() =>
      check(['legacy-x', '_bulk'], '{"index":{}}\n{"_index":"data, not a target"}\n'),
    ).not.toThrow();
    expect(() => check(['legacy-x', '_msearch'], '{"index":["legacy-x","other"]}\n{}\n')).toThrowError(
      refused,
    );
    expect(() => check(['legacy-x', '_mget'], '{"docs":[{"_index":"other","_id":"1"}]}')).toThrowError(
      refused,
    );
    expect(() =>
      check(['legacy-x', '_search'], '{"query":{"terms":{"f":{"index":"other","id":"1","path":"p"}}}}'),
    ).toThrowError(refused);
  });

  it('refuses aliases outside the set in an index create or rollover body', () => {
    expect(() => check(['legacy-new'], '{"aliases":{"orders":{}}}')).toThrowError(refused);
    expect(() => check(['legacy-new'], '{"aliases":{"legacy-all":{}}}')).not.toThrow();
  });

  it('refuses bodies that are not JSON', () => {
    expect(() => check(['legacy-x', '_search'], '{', { contentType: 'application/json' })).toThrowError(
      expect.objectContaining({ code: 'malformed_request' }),
    );
    expect(() => check(['legacy-x', '_search'], 'a: 1', { contentType: 'application/yaml' })).toThrowError(
      expect.objectContaining({ code: 'unsupported_media_type' }),
    );
  });
});

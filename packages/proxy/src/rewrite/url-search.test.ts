import type { JsonValue } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import type { JObject } from '../json/node.js';
import { parseLossless } from '../json/parse.js';
import { toPlain } from '../json/plain.js';
import { isProxyError } from '../request/proxy-error.js';
import { countUrlParams, withUrlSearchParams } from './url-search.js';

const node = (value: JsonValue) => parseLossless(JSON.stringify(value)) as JObject;
const plain = (value: JObject | null) => (value === null ? null : toPlain(value));

describe('search URL parameters', () => {
  it('move into the body, the URL winning as in OpenSearch', () => {
    expect(
      plain(
        withUrlSearchParams(
          {
            sort: 'n:desc,name',
            _source: 'a,b',
            version: 'true',
            explain: 'false',
            terminate_after: '10',
            stored_fields: 'x',
            size: '5',
          },
          node({ query: { match_all: {} }, sort: ['ignored'] }),
          true,
        ),
      ),
    ).toEqual({
      query: { match_all: {} },
      sort: [{ n: { order: 'desc' } }, 'name'],
      _source: ['a', 'b'],
      version: true,
      explain: false,
      terminate_after: 10,
      stored_fields: ['x'],
    });
  });

  it('leave a body alone when the URL shapes nothing, and give a count only terminate_after', () => {
    const body = node({ query: { term: { a: 1 } } });
    expect(withUrlSearchParams({ size: '3', scroll: '1m' }, body, true)).toBe(body);
    expect(plain(withUrlSearchParams({ terminate_after: '5', sort: 'n' }, body, false))).toEqual({
      query: { term: { a: 1 } },
      terminate_after: 5,
    });
  });

  it('refuse a URL query, naming the parameter', () => {
    for (const param of ['q', 'df', 'default_operator']) {
      let caught: unknown;
      try {
        withUrlSearchParams({ [param]: 'x' }, null, true);
      } catch (error) {
        caught = error;
      }
      expect(isProxyError(caught, 'malformed_request')).toBe(true);
      expect(caught).toMatchObject({ context: { param } });
    }
  });
});

describe('_count URL parameters', () => {
  it('keeps terminate_after and min_score in the URL (a count body holds its query only)', () => {
    expect(countUrlParams({ terminate_after: '10', min_score: '0.5', q: 'x' })).toEqual({
      forwarded: { terminate_after: '10', min_score: '0.5' },
      rest: { q: 'x' },
    });
  });

  it('forwards only numbers', () => {
    expect(countUrlParams({ terminate_after: '1&routing=globex', min_score: 'NaN' }).forwarded).toEqual({});
  });
});

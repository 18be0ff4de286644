import { describe, expect, it } from 'vitest';
import { classify } from '../classify/classify.js';
import type { EndpointKind } from './endpoint-kind.js';
import { endpoints } from './table.js';

const options = { adminPrefixes: ['/_cat/'], passthroughPrefixes: ['legacy-'] };
const SAMPLE: Readonly<Record<string, string>> = { index: 'orders', id: '7', cursor: 'abc' };
const PREFIXED = { admin: '/_cat/indices', passthrough: '/legacy-logs/_search' } as const;

const rows = Object.entries(endpoints) as [EndpointKind, (typeof endpoints)[EndpointKind]][];

/** One request per method of every route of every row, with the row it must classify to. */
const requests = rows.flatMap(([kind, row]) =>
  row.routes.flatMap((route): { kind: EndpointKind; method: string; path: string }[] =>
    'prefixes' in route
      ? [{ kind, method: 'GET', path: PREFIXED[route.prefixes] }]
      : route.methods.map((method) => ({
          kind,
          method,
          path: route.path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? name),
        })),
  ),
);

const kindsWhere = (flag: 'mutates' | 'tenancy' | 'asyncWrites') =>
  rows.filter(([, row]) => row[flag]).map(([kind]) => kind);

describe('the endpoint table', () => {
  it.each(requests)('classifies $method $path as $kind', ({ kind, method, path }) => {
    expect(classify({ method, path, query: {} }, options).kind).toBe(kind);
  });

  it('gives every row but Unknown at least one route', () => {
    expect(rows.filter(([, row]) => row.routes.length === 0).map(([kind]) => kind)).toEqual(['Unknown']);
  });

  it('marks the writes as mutating (the TLS gate refuses them over cleartext)', () => {
    expect(kindsWhere('mutates')).toEqual([
      'IngestDoc',
      'DeleteById',
      'UpdateById',
      'IngestBulk',
      'DeleteByQuery',
    ]);
  });

  it('gates every endpoint on tenant documents by tenancy readiness, and only those', () => {
    expect(rows.filter(([, row]) => !row.tenancy).map(([kind]) => kind)).toEqual([
      'Admin',
      'Passthrough',
      'Unknown',
    ]);
    expect(kindsWhere('mutates').every((kind) => endpoints[kind].tenancy)).toBe(true);
  });

  it('allows async writes on single-document writes only', () => {
    expect(kindsWhere('asyncWrites')).toEqual(['IngestDoc', 'DeleteById', 'UpdateById']);
    expect(kindsWhere('asyncWrites').every((kind) => endpoints[kind].mutates)).toBe(true);
  });
});

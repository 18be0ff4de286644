import { classify, type EndpointKind, endpoints, type Route } from '@flusso/proxy';
import { describe, expect, it } from 'vitest';
import { holdsForTenancy } from '../server/tenancy-gate.js';
import { checkCleartext } from './tls-gate.js';

const options = { adminPrefixes: ['/_cat/'], passthroughPrefixes: ['legacy-'] };
const SAMPLE: Readonly<Record<string, string>> = { index: 'orders', id: '7', cursor: 'abc' };
const PREFIXED = { admin: '/_cat/indices', passthrough: '/legacy-logs/_search' } as const;

/** A classified route for every route of every row of the endpoint table. */
const routes: { readonly kind: EndpointKind; readonly route: Route }[] = (
  Object.entries(endpoints) as [EndpointKind, (typeof endpoints)[EndpointKind]][]
).flatMap(([kind, row]) =>
  row.routes.flatMap((pattern) =>
    ('prefixes' in pattern
      ? [{ method: 'GET', path: PREFIXED[pattern.prefixes] }]
      : pattern.methods.map((method) => ({
          method,
          path: pattern.path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? name),
        }))
    ).map((request) => ({ kind, route: classify({ ...request, query: {} }, options) })),
  ),
);

const refusedOverCleartext = (route: Route) => {
  try {
    checkCleartext(route, false, false);
    return false;
  } catch (error) {
    expect(error).toMatchObject({ code: 'tls_required' });
    return true;
  }
};

describe('the gates read the endpoint table', () => {
  it.each(routes)('refuses $kind over cleartext exactly when its row mutates', ({ kind, route }) => {
    expect(refusedOverCleartext(route)).toBe(endpoints[kind].mutates);
    expect(() => checkCleartext(route, true, false)).not.toThrow();
    expect(() => checkCleartext(route, false, true)).not.toThrow();
  });

  it.each(routes)(
    'holds $kind for tenancy readiness exactly when its row is a tenancy row',
    ({ kind, route }) => {
      expect(holdsForTenancy({ ready: false }, route)).toBe(endpoints[kind].tenancy);
      expect(holdsForTenancy({ ready: true }, route)).toBe(false);
    },
  );

  it('refuses an Unknown route neither over cleartext nor at the tenancy gate', () => {
    expect(refusedOverCleartext({ kind: 'Unknown' })).toBe(false);
    expect(holdsForTenancy({ ready: false }, { kind: 'Unknown' })).toBe(false);
  });
});

// The request mixes of osproxy-overhead: four searches then one document write,
// repeated. `plain` has small numbers only; `large` carries numbers a JS double
// cannot hold exactly (1234567890123456789, 1e400) and a float spelled `1.0`, in
// the search bodies and in the documents, so a proxy that must keep them
// verbatim pays whatever that costs. Bodies are written as text, never through
// JSON.stringify, so the literals stay as spelled. The direct request is what
// the proxy itself sends upstream (tenant filter, routing, prefixed id).
import type { LoadRequest } from './load.js';

export interface Mix {
  readonly name: string;
  readonly direct: (i: number) => LoadRequest;
  readonly proxied: (i: number) => LoadRequest;
}

const json = { 'content-type': 'application/json' };
const isWrite = (i: number) => i % 5 === 4;
const tenantFilter = '{"term":{"_tenant":"bench"}},{"term":{"_index_name":"orders"}}';

function mix(name: string, query: string, filters: readonly string[], fields: string): Mix {
  const searchBody = `{"query":${query},"size":10}`;
  const extra = filters.map((f) => `,${f}`).join('');
  const directSearch: LoadRequest = {
    method: 'POST',
    path: '/osproxy-shared/_search?routing=bench',
    headers: json,
    body: `{"query":{"bool":{"must":[${query}],"filter":[${tenantFilter}${extra}]}},"size":10}`,
  };
  const proxiedSearch: LoadRequest = {
    method: 'POST',
    path: '/orders/_search',
    headers: { ...json, 'x-tenant': 'bench' },
    body:
      filters.length === 0
        ? searchBody
        : `{"query":{"bool":{"must":[${query}],"filter":[${filters.join(',')}]}},"size":10}`,
  };
  return {
    name,
    direct: (i) =>
      isWrite(i)
        ? {
            method: 'PUT',
            path: `/osproxy-shared/_doc/bench:orders:${i}?routing=bench`,
            headers: json,
            body: `{"tenant_id":"bench","msg":"x","i":${i}${fields},"_tenant":"bench","_index_name":"orders"}`,
          }
        : directSearch,
    proxied: (i) =>
      isWrite(i)
        ? {
            method: 'PUT',
            path: `/orders/_doc/${i}`,
            headers: json,
            body: `{"tenant_id":"bench","msg":"x","i":${i}${fields}}`,
          }
        : proxiedSearch,
  };
}

export const plainMix: Mix = mix('plain', '{"match":{"msg":"x"}}', [], '');

export const largeNumberMix: Mix = mix(
  'large numbers',
  '{"match":{"msg":"x"}}',
  ['{"range":{"n":{"gte":1234567890123456789,"lte":1e400}}}', '{"term":{"price":1.0}}'],
  ',"n":1234567890123456789,"price":1.0,"huge":1e400,"ids":[1234567890123456789,9007199254740993]',
);

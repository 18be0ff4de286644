// osproxy and flusso (`layout = "osproxy"`) place a document identically: the
// proxy's reference tenancy (placement, id codec, routing) and flusso's sink
// placement agree on the physical index, id, routing and injected fields over a
// generated table of tenants, logical indexes and ids, for each OSPROXY_INDEX.
import { type DocumentId, osproxyLayout, parseIndexName, parsePartitionId } from '@flusso/core';
import { docIdCodec, ReferenceTenancy } from '@flusso/proxy';
import { placeDocument } from '@flusso/sinks/opensearch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const docId = fc.stringMatching(/^[A-Za-z0-9:_-]{1,12}$/);
const render = (template: string, tenant: string, index: string) =>
  template.replaceAll('{index}', index).replaceAll('{partition}', tenant);

describe('osproxy and flusso share one layout', () => {
  for (const index of ['osproxy-shared', 'osproxy-{index}', 'search_{index}_v1']) {
    it(`writes where osproxy reads with OSPROXY_INDEX=${index}`, () => {
      const tenancy = new ReferenceTenancy({ index });
      const codec = docIdCodec(tenancy.docIdRule);
      const layout = osproxyLayout({ index });
      fc.assert(
        fc.property(name, name, docId, (tenant, logical, id) => {
          const partition = parsePartitionId(tenant);
          const placement = tenancy.placementOf(partition).placement;
          if (placement.mode !== 'SharedIndex') throw new Error('reference tenancy shares an index');
          const write = {
            op: 'upsert' as const,
            index: parseIndexName(logical),
            id: id as DocumentId,
            document: { n: 1, _tenant: tenant },
          };
          const placed = placeDocument(layout, write, tenant);
          expect(placed.index).toBe(render(placement.indexTemplate, tenant, logical));
          expect(placed.id).toBe(codec.physical(partition, parseIndexName(logical), id));
          expect(tenancy.docIdRule.routing && placed.routing).toBe(tenant);
          const injected = Object.fromEntries(
            Object.entries(placement.inject).map(([field, value]) => [field, render(value, tenant, logical)]),
          );
          expect(placed.document).toEqual({ n: 1, ...injected });
          expect(codec.logical(partition, parseIndexName(logical), placed.id)).toBe(id);
        }),
      );
    });
  }
});

// osproxy and flusso's `layout = "osproxy"` sink must place documents the same
// way: the reference tenancy's views agree with `@flusso/core`'s layout
// functions (which the sink calls) over generated tenants, indexes and ids.
import { readFileSync } from 'node:fs';
import {
  layoutDocumentId,
  layoutInjectedFields,
  layoutPhysicalIndex,
  layoutRouting,
  osproxyLayout,
  parseIndexName,
  parsePartitionId,
} from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docIdCodec } from '../rewrite/doc-id.js';
import { PartitionView } from '../rewrite/partition-view.js';
import { ReferenceTenancy } from './reference-tenancy.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const docId = fc.stringMatching(/^[A-Za-z0-9:_-]{1,12}$/);

describe('the reference tenancy and the sink share one layout', () => {
  for (const index of [undefined, 'osproxy-{index}', 'tenants-{index}']) {
    it(`places documents as @flusso/core's layout does (index ${index ?? 'default'})`, () => {
      const tenancy = new ReferenceTenancy(index === undefined ? {} : { index });
      const layout = osproxyLayout(index === undefined ? {} : { index });
      const ids = docIdCodec(tenancy.docIdRule);
      fc.assert(
        fc.property(name, name, docId, (tenant, logical, id) => {
          const partition = parsePartitionId(tenant);
          const view = new PartitionView({
            partition,
            placement: tenancy.placementOf(partition).placement,
            logical: parseIndexName(logical),
            ids,
          });
          expect(view.physical).toBe(layoutPhysicalIndex(layout, logical, tenant));
          expect(view.physicalId(id)).toBe(layoutDocumentId(layout, tenant, logical, id));
          expect(view.routing).toEqual({ routing: layoutRouting(tenant) });
          expect(view.inject).toEqual(layoutInjectedFields(layout.injectTemplate, tenant, logical));
          expect(ids.logical(partition, parseIndexName(logical), view.physicalId(id) ?? '')).toBe(id);
        }),
      );
    });
  }

  it('builds the tenancy from the core layout rather than its own copy', () => {
    const source = readFileSync(new URL('./reference-tenancy.ts', import.meta.url), 'utf8');
    expect(source).toContain('osproxyLayout(');
    expect(source).not.toMatch(/'osproxy-shared'|'_index_name'|'_tenant'/);
    const ids = readFileSync(new URL('../rewrite/doc-id.ts', import.meta.url), 'utf8');
    expect(ids).toContain('layoutIdPrefix(');
  });
});

// The sink places writes with `@flusso/core`'s osproxy layout, the code osproxy's
// reference tenancy runs (see packages/proxy/src/tenancy/same-layout.test.ts).
import { readFileSync } from 'node:fs';
import {
  type DocumentId,
  layoutDocumentId,
  layoutInjectedFields,
  layoutPhysicalIndex,
  layoutRouting,
  osproxyLayout,
  parseIndexName,
  RawNumber,
  stringifyExact,
} from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineText } from './bulk-body.js';
import { sharedMappingConflicts } from './osproxy-mapping-conflicts.js';
import { osproxyBulkLine, placeDocument, placeId } from './osproxy-placement.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const docId = fc.stringMatching(/^[A-Za-z0-9:_-]{1,12}$/);

describe('the osproxy placement of a write', () => {
  for (const index of [undefined, 'osproxy-{index}']) {
    it(`matches the core layout over generated tenants, indexes and ids (${index ?? 'shared'})`, () => {
      const layout = osproxyLayout(index === undefined ? {} : { index });
      fc.assert(
        fc.property(name, name, docId, (tenant, logical, id) => {
          const write = {
            op: 'upsert' as const,
            index: parseIndexName(logical),
            id: id as DocumentId,
            document: { a: 1, _tenant: tenant },
          };
          const placed = placeDocument(layout, write, tenant);
          expect(placed.index).toBe(layoutPhysicalIndex(layout, logical, tenant));
          expect(placed.id).toBe(layoutDocumentId(layout, tenant, logical, id));
          expect(placed.routing).toBe(layoutRouting(tenant));
          expect(placed.document).toEqual({
            a: 1,
            ...layoutInjectedFields(layout.injectTemplate, tenant, logical),
          });
          expect(placeId(layout, { op: 'delete', index: write.index, id: write.id }, tenant).id).toBe(
            placed.id,
          );
        }),
      );
    });
  }

  it('serialises the placed document exactly, with every digit', () => {
    const write = {
      op: 'upsert' as const,
      index: parseIndexName('orders'),
      id: '7' as DocumentId,
      document: { total: new RawNumber('12345678901234567890.10'), _tenant: 'acme' },
    };
    const line = osproxyBulkLine(write, placeDocument(osproxyLayout(), write, 'acme'), stringifyExact);
    expect(lineText(line)).toBe(
      '{"index":{"_index":"osproxy-shared","_id":"acme:orders:7","routing":"acme"}}\n' +
        '{"total":12345678901234567890.10,"_tenant":"acme","_index_name":"orders"}\n',
    );
  });

  it('takes every rule from @flusso/core rather than its own copy', () => {
    const source = readFileSync(new URL('./osproxy-placement.ts', import.meta.url), 'utf8');
    for (const fn of ['layoutDocumentId(', 'layoutInjectedFields(', 'layoutPhysicalIndex(', 'layoutRouting('])
      expect(source).toContain(fn);
    expect(source).not.toMatch(/'_index_name'|'osproxy-shared'/);
  });

  it('reports a field two logical indexes in one shared index map differently', () => {
    const layout = osproxyLayout();
    const mapping = (type: string) => ({
      mappings: { properties: { total: { type }, name: { type: 'keyword' } } },
    });
    expect(
      sharedMappingConflicts(layout, [
        { name: 'orders', mapping: mapping('long') },
        { name: 'invoices', mapping: mapping('keyword') },
      ]),
    ).toEqual([
      { physical: 'osproxy-shared', field: 'total', types: { orders: 'long', invoices: 'keyword' } },
    ]);
    expect(
      sharedMappingConflicts(osproxyLayout({ index: 'osproxy-{index}' }), [
        { name: 'orders', mapping: mapping('long') },
        { name: 'invoices', mapping: mapping('keyword') },
      ]),
    ).toEqual([]);
  });
});

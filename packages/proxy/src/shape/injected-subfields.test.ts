// A hit names the injected fields in `fields` and a wildcard highlight by field
// name, so with their multi-fields as well: `docvalue_fields: ["*"]` answered
// `"_tenant.keyword": ["acme"]` and `"_index_name.keyword": ["orders"]` (the shared
// layout's field names) wherever the mapping gave them a sub-field. The class:
// every way a hit lists fields by name (fields, docvalue_fields, stored_fields,
// highlight; top level, top_hits, inner_hits), on the splicer's path and the shaper's.
import { type JsonValue, type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId } };

const BODIES: Readonly<Record<string, JsonValue>> = {
  fields: { fields: ['*'] },
  docvalue_fields: { docvalue_fields: ['*'] },
  stored_and_docvalue: { stored_fields: ['*', '_source'], docvalue_fields: [{ field: '*' }] },
  highlight: {
    query: { match: { v: 'words' } },
    highlight: { require_field_match: false, fields: { '*': {} } },
  },
  top_hits: { size: 0, aggs: { t: { top_hits: { size: 5, docvalue_fields: ['*'] } } } },
  collapse_inner_hits: {
    collapse: { field: 'v.keyword', inner_hits: { name: 'i', docvalue_fields: ['*'] } },
    docvalue_fields: ['*'],
  },
};

describe('injected fields and their multi-fields never reach a hit', () => {
  for (const [name, body] of Object.entries(BODIES)) {
    it(name, async () => {
      const h = harness();
      const put = await h.send('PUT', '/orders/_doc/1?refresh=true', {
        ...acme,
        body: { v: 'mine words', n: 2 },
      });
      expect(put.status).toBe(201);
      const r = await h.send('POST', '/orders/_search', { ...acme, body });
      expect(r.status).toBe(200);
      expect(r.text).toContain('mine');
      expect(r.text).not.toMatch(/_tenant|_index_name/);
    });
  }
});

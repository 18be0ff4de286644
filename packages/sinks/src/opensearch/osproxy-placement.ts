// Where flusso's `layout = "osproxy"` puts each write: the physical index, id,
// routing and injected fields come from `@flusso/core`'s osproxy layout (the
// code osproxy's reference tenancy runs), so a document flusso writes is the
// document osproxy would have written. Pure: no I/O.

import type { BuiltDocument } from '@flusso/core';
import {
  type ExactObject,
  FlussoError,
  type JsonObject,
  type JsonValue,
  layoutDocumentId,
  layoutInjectedFields,
  layoutPhysicalIndex,
  layoutRouting,
  type OsproxyLayout,
  parsePartitionId,
  tenantDocumentField,
  tenantOfDocument,
} from '@flusso/core';
import { actionLine, type BulkLine } from './bulk-body.js';

/** One write as osproxy places it. */
export interface OsproxyPlaced {
  readonly index: string;
  readonly id: string;
  readonly routing: string;
  readonly document?: ExactObject;
}

/** The physical index of a logical index; refuses a `{partition}` template (one index per tenant). */
export function osproxyPhysicalIndex(layout: OsproxyLayout, logical: string): string {
  if (layout.indexTemplate.includes('{partition}'))
    throw new FlussoError('config_invalid', 'layout osproxy needs an index template without {partition}', {
      context: { rule: 'osproxy_index' },
    });
  return layoutPhysicalIndex(layout, logical, '');
}

/** The valid partition a document names, or undefined. */
export function documentTenant(document: ExactObject): string | undefined {
  const tenant = tenantOfDocument(document);
  if (tenant === undefined) return undefined;
  try {
    return parsePartitionId(tenant);
  } catch {
    return undefined;
  }
}

/** The document as osproxy stores it: flusso's `_tenant` replaced by the injected fields. */
export function placeDocument(
  layout: OsproxyLayout,
  write: BuiltDocument & { op: 'upsert' },
  tenant: string,
) {
  const { [tenantDocumentField]: _hidden, ...rest } = write.document;
  const injected = layoutInjectedFields(layout.injectTemplate, tenant, write.index);
  const document: ExactObject = { ...rest, ...injected };
  return placeId(layout, write, tenant, document);
}

/** Index, id and routing of a logical write under `tenant`. */
export function placeId(
  layout: OsproxyLayout,
  write: BuiltDocument,
  tenant: string,
  document?: ExactObject,
): OsproxyPlaced {
  return {
    index: osproxyPhysicalIndex(layout, write.index),
    id: layoutDocumentId(layout, tenant, write.index, write.id),
    routing: layoutRouting(tenant),
    ...(document ? { document } : {}),
  };
}

/** A `_bulk` action line (and source) for a placed write; item results map back to `write`. */
export function osproxyBulkLine(
  write: BuiltDocument,
  placed: OsproxyPlaced,
  serialise: (d: ExactObject) => string,
): BulkLine {
  const meta = { _index: placed.index, _id: placed.id, routing: placed.routing };
  // The write's version goes on every line it makes (a delete of a moved document's old
  // placement too): in Kafka mode it is what keeps an older build from landing last.
  if (placed.document === undefined)
    return {
      write: { op: 'delete', index: write.index, id: write.id, version: write.version },
      id: placed.id,
      action: actionLine('delete', meta, write.version),
      source: null,
    };
  return {
    write,
    id: placed.id,
    action: actionLine('upsert', meta, write.version),
    source: serialise(placed.document),
  };
}

/** The schema's strict mapping with the injected fields as `keyword` (flusso's `_tenant` replaced). */
export function osproxyMapping(layout: OsproxyLayout, mapping: JsonObject): JsonObject {
  const mappings = (mapping.mappings ?? {}) as JsonObject;
  const { [tenantDocumentField]: _hidden, ...properties } = (mappings.properties ?? {}) as Record<
    string,
    JsonValue
  >;
  for (const field of Object.keys(layout.injectTemplate)) properties[field] = { type: 'keyword' };
  return { ...mapping, mappings: { ...mappings, dynamic: 'strict', properties } };
}

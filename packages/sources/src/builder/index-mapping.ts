// OpenSearch mappings derived from the schema (dynamic: strict, analyzers,
// .keyword subfields, enum .sort by variant rank) and the canonical schema hash.
import { createHash } from 'node:crypto';
import type { Field, IndexSchema, JsonObject, JsonValue, ScalarField, ScalarType } from '@flusso/core';
import { scalarDescriptors } from '../types/scalar-descriptors.js';

function scalarMapping(type: ScalarType): JsonObject {
  return scalarDescriptors[type].mapping;
}

function enumSort(field: ScalarField, normalizers: Record<string, JsonValue>, path: string): JsonObject {
  const name = `flusso_rank_${path.replaceAll('.', '_')}`;
  const width = String(field.variants?.length ?? 0).length;
  // A mapping char filter rewrites each variant to its zero-padded rank, so the
  // `.sort` subfield orders by declaration; unknown values sort after as text.
  normalizers[name] = { type: 'custom', char_filter: [`${name}_cf`] };
  normalizers[`${name}_cf`] = {
    type: 'mapping',
    mappings: (field.variants ?? []).map((v, i) => `${v}=>${String(i).padStart(width, '0')}`),
  };
  return { type: 'keyword', fields: { sort: { type: 'keyword', normalizer: name } } };
}

function fieldMapping(field: Field, normalizers: Record<string, JsonValue>, path: string): JsonObject {
  switch (field.kind) {
    case 'scalar': {
      const base =
        field.type === 'custom' && field.opensearch
          ? field.opensearch
          : field.variants
            ? enumSort(field, normalizers, path)
            : scalarMapping(field.type);
      return { ...base, ...(field.options ?? {}) };
    }
    case 'constant':
      return typeof field.value === 'number'
        ? { type: 'double' }
        : typeof field.value === 'boolean'
          ? { type: 'boolean' }
          : { type: 'keyword' };
    case 'object':
      return {
        type: 'object',
        properties: properties(field.fields, normalizers, path),
        ...(field.options ?? {}),
      };
    case 'map':
      return { type: 'object', dynamic: true };
    case 'geo':
      return { type: 'geo_point' };
    case 'join':
      return {
        type: field.verb === 'belongs_to' || field.verb === 'has_one' ? 'object' : 'nested',
        properties: properties(field.fields, normalizers, path),
      };
    case 'aggregate':
      if (field.fn === 'count') return { type: 'long' };
      if (field.fn === 'avg') return { type: 'double' };
      if (field.fn === 'ids') return scalarMapping(field.elementType ?? 'long');
      return scalarMapping(field.valueType ?? 'double');
  }
}

function properties(
  fields: readonly Field[],
  normalizers: Record<string, JsonValue>,
  prefix: string,
): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) out[f.name] = fieldMapping(f, normalizers, prefix ? `${prefix}.${f.name}` : f.name);
  return out;
}

/** The index body (settings.analysis + strict mappings); sinks add shards, replicas and refresh. */
export function indexMapping(schema: IndexSchema): JsonObject {
  const normalizers: Record<string, JsonValue> = {};
  const props = properties(schema.fields, normalizers, '');
  const charFilters = Object.fromEntries(Object.entries(normalizers).filter(([k]) => k.endsWith('_cf')));
  const normalizer = Object.fromEntries(Object.entries(normalizers).filter(([k]) => !k.endsWith('_cf')));
  return {
    settings: {
      analysis: {
        analyzer: {
          flusso_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
          flusso_identifier: {
            type: 'custom',
            tokenizer: 'whitespace',
            filter: ['word_delimiter_graph', 'lowercase', 'asciifolding'],
          },
        },
        ...(Object.keys(normalizer).length > 0 ? { normalizer, char_filter: charFilters } : {}),
      },
    },
    mappings: { dynamic: 'strict', properties: props },
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Canonical content hash of an index schema: same schema, same hash, on any machine. */
export function schemaHash(schema: IndexSchema): string {
  return createHash('sha256')
    .update(canonical({ schema, mapping: indexMapping(schema) }))
    .digest('hex')
    .slice(0, 12);
}

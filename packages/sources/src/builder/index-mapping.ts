// OpenSearch mappings derived from the schema and the sink's mapping options
// (dynamic: strict, flusso_* analyzers, auto subfields, enum .sort by variant
// rank) and the canonical schema hash, as the reference's sink mapping does.
import { createHash } from 'node:crypto';
import type { Field, IndexSchema, JsonObject, ScalarField, ScalarType } from '@flusso/core';
import { scalarDescriptors } from '../types/scalar-descriptors.js';
import {
  buildAnalysis,
  defaultMappingOptions,
  type EnumSort,
  enumSortSubfield,
  keywordSubfields,
  type MappingOptions,
  TEXT_ANALYZER,
  textSubfields,
} from './index-analysis.js';

function scalarMapping(type: ScalarType): JsonObject {
  return scalarDescriptors[type].mapping;
}

interface MappingState {
  readonly options: MappingOptions;
  readonly enums: EnumSort[];
}

/**
 * A leaf: with auto subfields a text leaf gets `flusso_text` and exact/lowercase
 * keyword subfields, a keyword leaf full-text/lowercase ones; an ordered enum
 * always gets `.sort`; the base's own keys (identifier's analyzer) and then the
 * field's options override (its `fields` replace the subfields wholesale).
 */
function leaf(
  base: JsonObject,
  state: MappingState,
  path: string,
  more: Partial<ScalarField> = {},
): JsonObject {
  const { type, ...extra } = base;
  const out: JsonObject = { type: type ?? 'keyword' };
  if (state.options.autoSubfields && type === 'text') {
    out.analyzer = TEXT_ANALYZER;
    out.fields = textSubfields();
  } else if (state.options.autoSubfields && type === 'keyword') out.fields = keywordSubfields();
  if (more.variants) {
    state.enums.push({ path, variants: more.variants });
    out.fields = { ...((out.fields as JsonObject | undefined) ?? {}), sort: enumSortSubfield(path) };
  }
  return { ...out, ...extra, ...(more.options ?? {}) };
}

function fieldMapping(field: Field, state: MappingState, path: string): JsonObject {
  switch (field.kind) {
    case 'scalar': {
      const base = field.type === 'custom' && field.opensearch ? field.opensearch : scalarMapping(field.type);
      return leaf(base, state, path, field);
    }
    case 'constant':
      return leaf(
        typeof field.value === 'number'
          ? { type: 'double' }
          : typeof field.value === 'boolean'
            ? { type: 'boolean' }
            : { type: 'keyword' },
        state,
        path,
      );
    case 'object':
      return {
        type: 'object',
        properties: properties(field.fields, state, path),
        ...(field.options ?? {}),
      };
    case 'map':
      return { type: 'object', dynamic: true };
    case 'geo':
      return { type: 'geo_point' };
    case 'join':
      return {
        type: field.verb === 'belongs_to' || field.verb === 'has_one' ? 'object' : 'nested',
        properties: properties(field.fields, state, path),
      };
    case 'aggregate':
      if (field.fn === 'count') return { type: 'long' };
      if (field.fn === 'avg') return { type: 'double' };
      if (field.fn === 'ids') return leaf(scalarMapping(field.elementType ?? 'long'), state, path);
      return scalarMapping(field.valueType ?? 'double');
  }
}

function properties(fields: readonly Field[], state: MappingState, prefix: string): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) out[f.name] = fieldMapping(f, state, prefix ? `${prefix}.${f.name}` : f.name);
  return out;
}

/** The index body (settings.analysis + strict mappings); sinks add shards, replicas and refresh. */
export function indexMapping(
  schema: IndexSchema,
  options: MappingOptions = defaultMappingOptions,
): JsonObject {
  const state: MappingState = { options, enums: [] };
  const props = properties(schema.fields, state, '');
  return {
    settings: { analysis: buildAnalysis(options.textAnalysis, state.enums) },
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

/**
 * Canonical content hash of an index schema and the mapping it yields under
 * `options`: same inputs, same hash, on any machine; a changed text_analysis or
 * auto_subfields changes the mapping, so the hash, so the generation.
 */
export function schemaHash(schema: IndexSchema, options: MappingOptions = defaultMappingOptions): string {
  return createHash('sha256')
    .update(canonical({ schema, mapping: indexMapping(schema, options) }))
    .digest('hex')
    .slice(0, 12);
}

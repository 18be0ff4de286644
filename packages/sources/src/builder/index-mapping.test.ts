import type { IndexSchema, ScalarField } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { indexMapping, schemaHash } from './index-mapping.js';

function scalar(name: string, type: ScalarField['type'], more: Partial<ScalarField> = {}): ScalarField {
  return { kind: 'scalar', name, type, column: name, required: false, transforms: [], ...more };
}

const schema: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    scalar('bio', 'text'),
    scalar('sku', 'identifier'),
    scalar('email', 'keyword'),
    scalar('tier', 'enum', { variants: ['low', 'high'] }),
    scalar('age', 'integer'),
    scalar('note', 'text', { options: { analyzer: 'english', fields: { raw: { type: 'keyword' } } } }),
  ],
};

type Body = {
  settings: { analysis: Record<string, Record<string, Record<string, unknown>>> };
  mappings: { properties: Record<string, Record<string, unknown>> };
};
const body = (options?: Parameters<typeof indexMapping>[1]) =>
  indexMapping(schema, options) as unknown as Body;

describe('index mapping', () => {
  it('gives text an analyzer with .keyword and .keyword_lowercase subfields by default', () => {
    expect(body().mappings.properties.bio).toEqual({
      type: 'text',
      analyzer: 'flusso_text',
      fields: {
        keyword: { type: 'keyword', ignore_above: 256 },
        keyword_lowercase: { type: 'keyword', normalizer: 'flusso_lowercase', ignore_above: 256 },
      },
    });
  });

  it('keeps the code analyzer on identifier over the auto analyzer', () => {
    expect(body().mappings.properties.sku).toMatchObject({ type: 'text', analyzer: 'flusso_code' });
    expect(body().mappings.properties.sku?.fields).toHaveProperty('keyword');
  });

  it('gives keyword a full-text .text and a .keyword_lowercase subfield', () => {
    expect(body().mappings.properties.email).toEqual({
      type: 'keyword',
      fields: {
        text: { type: 'text', analyzer: 'flusso_code' },
        keyword_lowercase: { type: 'keyword', normalizer: 'flusso_lowercase', ignore_above: 256 },
      },
    });
  });

  it('leaves text and keyword bare without auto_subfields, but keeps enum .sort and identifier analyzer', () => {
    const props = body({ textAnalysis: 'builtin', autoSubfields: false }).mappings.properties;
    expect(props.bio).toEqual({ type: 'text' });
    expect(props.email).toEqual({ type: 'keyword' });
    expect(props.sku).toEqual({ type: 'text', analyzer: 'flusso_code' });
    expect(props.tier).toEqual({
      type: 'keyword',
      fields: { sort: { type: 'keyword', normalizer: 'flusso_enumsort__tier', ignore_above: 256 } },
    });
  });

  it('lets a field options replace the analyzer and the subfields wholesale', () => {
    expect(body().mappings.properties.note).toEqual({
      type: 'text',
      analyzer: 'english',
      fields: { raw: { type: 'keyword' } },
    });
  });

  it('ranks enum variants through a mapping char filter', () => {
    const analysis = body().settings.analysis;
    expect(analysis.char_filter?.flusso_enumsort__tier).toEqual({
      type: 'mapping',
      mappings: ['low => 0', 'high => 1'],
    });
    expect(body().mappings.properties.tier?.fields).toHaveProperty('keyword_lowercase');
  });

  it('switches to the ICU tokenizer, folding and normalizer with text_analysis icu', () => {
    const analysis = body({ textAnalysis: 'icu', autoSubfields: true }).settings.analysis;
    expect(analysis.analyzer?.flusso_text).toEqual({
      type: 'custom',
      tokenizer: 'icu_tokenizer',
      filter: ['icu_normalizer', 'icu_folding'],
    });
    expect(analysis.analyzer?.flusso_code?.filter).toEqual([
      'flusso_word_delimiter',
      'flatten_graph',
      'lowercase',
      'icu_folding',
    ]);
    expect(analysis.normalizer?.flusso_lowercase).toEqual({ type: 'custom', filter: ['icu_normalizer'] });
  });

  it('uses the built-in toolkit by default', () => {
    const analysis = body().settings.analysis;
    expect(analysis.analyzer?.flusso_text).toEqual({
      type: 'custom',
      tokenizer: 'standard',
      filter: ['lowercase', 'asciifolding'],
    });
    expect(analysis.normalizer?.flusso_lowercase).toEqual({
      type: 'custom',
      filter: ['lowercase', 'asciifolding'],
    });
  });

  it('changes the hash when a mapping option changes', () => {
    const hashes = [
      schemaHash(schema),
      schemaHash(schema, { textAnalysis: 'icu', autoSubfields: true }),
      schemaHash(schema, { textAnalysis: 'builtin', autoSubfields: false }),
    ];
    expect(new Set(hashes).size).toBe(3);
    expect(schemaHash(schema, { textAnalysis: 'builtin', autoSubfields: true })).toBe(hashes[0]);
  });
});

describe('custom mapping', () => {
  it('maps a custom field to its declared OpenSearch type with its options', () => {
    const custom: IndexSchema = {
      ...schema,
      fields: [
        scalar('amount', 'custom', {
          postgres: ['numeric'],
          opensearch: { type: 'scaled_float' },
          options: { scaling_factor: 100 },
        }),
      ],
    };
    expect((indexMapping(custom) as unknown as Body).mappings.properties.amount).toEqual({
      type: 'scaled_float',
      scaling_factor: 100,
    });
  });
});

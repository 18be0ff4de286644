// The `settings.analysis` block every index carries: the flusso_* analyzers and
// normalizer (built-in or ICU toolkit), and one rank normalizer per ordered enum.
import type { JsonObject } from '@flusso/core';

/** The analysis toolkit: `builtin` needs no plugin, `icu` needs analysis-icu on every node. */
export type TextAnalysis = 'builtin' | 'icu';

/** Sink settings that shape the mapping (and so the schema hash). */
export interface MappingOptions {
  readonly textAnalysis: TextAnalysis;
  /** Enrich text/keyword leaves with an analyzer and subfields; a field's options still win. */
  readonly autoSubfields: boolean;
}

export const defaultMappingOptions: MappingOptions = { textAnalysis: 'builtin', autoSubfields: true };

export const TEXT_ANALYZER = 'flusso_text';
export const CODE_ANALYZER = 'flusso_code';
const LOWERCASE_NORMALIZER = 'flusso_lowercase';
const KEYWORD_IGNORE_ABOVE = 256;

/** An ordered enum at a dotted path, with its declared variants. */
export interface EnumSort {
  readonly path: string;
  readonly variants: readonly string[];
}

/** The char filter and normalizer name backing an enum's `.sort` subfield. */
export function enumSortName(path: string): string {
  return `flusso_enumsort__${path.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function lowercaseSubfield(): JsonObject {
  return { type: 'keyword', normalizer: LOWERCASE_NORMALIZER, ignore_above: KEYWORD_IGNORE_ABOVE };
}

/** Subfields of a text leaf: exact `.keyword` and case/accent-insensitive `.keyword_lowercase`. */
export function textSubfields(): JsonObject {
  return {
    keyword: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
    keyword_lowercase: lowercaseSubfield(),
  };
}

/** Subfields of a keyword leaf: full-text `.text` (code analyzer) and `.keyword_lowercase`. */
export function keywordSubfields(): JsonObject {
  return { text: { type: 'text', analyzer: CODE_ANALYZER }, keyword_lowercase: lowercaseSubfield() };
}

/** The `.sort` subfield of an ordered enum: its variants rewritten to zero-padded ranks. */
export function enumSortSubfield(path: string): JsonObject {
  return { type: 'keyword', normalizer: enumSortName(path), ignore_above: KEYWORD_IGNORE_ABOVE };
}

function rankMappings(variants: readonly string[]): string[] {
  const width = String(Math.max(variants.length - 1, 0)).length;
  return variants.map((v, rank) => `${v} => ${String(rank).padStart(width, '0')}`);
}

/** The analysis block: always emitted, so an explicit `analyzer: flusso_text` works without auto subfields. */
export function buildAnalysis(mode: TextAnalysis, enums: readonly EnumSort[]): JsonObject {
  const fold = mode === 'icu' ? 'icu_folding' : 'asciifolding';
  const normalizer: JsonObject = {
    [LOWERCASE_NORMALIZER]: {
      type: 'custom',
      filter: mode === 'icu' ? ['icu_normalizer'] : ['lowercase', 'asciifolding'],
    },
  };
  const charFilter: JsonObject = {};
  for (const { path, variants } of enums) {
    const name = enumSortName(path);
    charFilter[name] = { type: 'mapping', mappings: rankMappings(variants) };
    normalizer[name] = { type: 'custom', char_filter: [name], filter: [] };
  }
  return {
    filter: {
      flusso_word_delimiter: { type: 'word_delimiter_graph', catenate_all: true, preserve_original: true },
    },
    ...(enums.length > 0 ? { char_filter: charFilter } : {}),
    analyzer: {
      [CODE_ANALYZER]: {
        type: 'custom',
        tokenizer: 'whitespace',
        filter: ['flusso_word_delimiter', 'flatten_graph', 'lowercase', fold],
      },
      [TEXT_ANALYZER]:
        mode === 'icu'
          ? { type: 'custom', tokenizer: 'icu_tokenizer', filter: ['icu_normalizer', 'icu_folding'] }
          : { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
    },
    normalizer,
  };
}

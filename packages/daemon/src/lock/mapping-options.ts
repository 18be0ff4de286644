// The mapping options (text_analysis, auto_subfields) the opensearch sinks set.
// The builder derives one mapping and one hash per index for every sink, so the
// sinks must agree; with no opensearch sink the defaults apply.
import { FlussoError } from '@flusso/core';
import { defaultMappingOptions, type MappingOptions } from '@flusso/sources';
import type { ConfigFile } from '../config/config-schema.js';

/** The one MappingOptions of `config` (read from `file`); sinks that disagree are a config error. */
export function mappingOptions(config: ConfigFile, file?: string): MappingOptions {
  let chosen: { sink: string; options: MappingOptions } | undefined;
  for (const [sink, settings] of Object.entries(config.sinks)) {
    if (settings.type !== 'opensearch') continue;
    const options = { textAnalysis: settings.text_analysis, autoSubfields: settings.auto_subfields };
    if (!chosen) {
      chosen = { sink, options };
      continue;
    }
    for (const [key, a, b] of [
      ['text_analysis', chosen.options.textAnalysis, options.textAnalysis],
      ['auto_subfields', chosen.options.autoSubfields, options.autoSubfields],
    ] as const)
      if (a !== b)
        throw new FlussoError(
          'config_invalid',
          `${file ? `${file}: ` : ''}sinks.${sink}.${key}: must equal sinks.${chosen.sink}.${key} (${String(a)}); every opensearch sink shares one mapping per index`,
          { context: { key: `sinks.${sink}.${key}` } },
        );
  }
  return chosen?.options ?? defaultMappingOptions;
}

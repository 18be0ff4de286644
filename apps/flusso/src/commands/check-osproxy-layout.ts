// `flusso check` for sinks in the osproxy layout (offline): every index names
// its tenant, and logical indexes sharing one physical index agree on the type
// of every field they both map.
import { type IndexSchema, osproxyLayout } from '@flusso/core';
import type { FlussoLock } from '@flusso/daemon';
import { sharedMappingConflicts } from '@flusso/sinks/opensearch';
import { type Finding, indexMapping } from '@flusso/sources';
import { osproxyLayoutOptions } from '../osproxy-sink-options.js';

export function osproxyLayoutFindings(lock: FlussoLock): Finding[] {
  const findings: Finding[] = [];
  const indexes = lock.indexes
    .filter((i) => i.enabled)
    .map((i) => ({ name: i.name, schema: i.schema as unknown as IndexSchema }));
  for (const [sink, config] of Object.entries(lock.config.sinks)) {
    if (config.type !== 'opensearch' || config.layout !== 'osproxy') continue;
    for (const { name, schema } of indexes)
      if (schema.tenant === undefined)
        findings.push({
          level: 'error',
          index: name,
          path: 'tenant',
          message: `sink ${sink} writes the osproxy layout, which needs a tenant: the schema declares none`,
          fix: 'add `tenant: { column: <tenant column> }` to the schema',
        });
    const layout = osproxyLayout(osproxyLayoutOptions(config));
    const mapped = indexes.map(({ name, schema }) => ({ name, mapping: indexMapping(schema) }));
    for (const conflict of sharedMappingConflicts(layout, mapped))
      findings.push({
        level: 'error',
        index: Object.keys(conflict.types).join(','),
        path: conflict.field,
        message: `sink ${sink}: indexes sharing ${conflict.physical} map ${conflict.field} differently (${Object.entries(
          conflict.types,
        )
          .map(([index, type]) => `${index}: ${type}`)
          .join(', ')})`,
        fix: 'use one type for the field, or an `{index}` template in osproxy_index (one physical index per logical index)',
      });
  }
  return findings;
}

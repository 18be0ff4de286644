// Two logical indexes sharing one physical index (an osproxy index without
// `{index}`) share one mapping: a field both declare must have one type.
// `flusso check` reports each field two of them map differently.
import type { JsonObject, JsonValue, OsproxyLayout } from '@flusso/core';
import { osproxyMapping, osproxyPhysicalIndex } from './osproxy-placement.js';

export interface MappingConflict {
  readonly physical: string;
  readonly field: string;
  /** Logical index → the type it maps `field` to. */
  readonly types: Readonly<Record<string, string>>;
}

function typesOf(
  properties: JsonValue | undefined,
  prefix: string,
  out: Map<string, string>,
): Map<string, string> {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return out;
  for (const [name, value] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const field = (
      typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}
    ) as JsonObject;
    out.set(path, typeof field.type === 'string' ? field.type : 'object');
    typesOf(field.properties, path, out);
  }
  return out;
}

export function sharedMappingConflicts(
  layout: OsproxyLayout,
  indexes: readonly { readonly name: string; readonly mapping: JsonObject }[],
): MappingConflict[] {
  const byPhysical = new Map<string, Map<string, Map<string, string>>>();
  for (const { name, mapping } of indexes) {
    const physical = osproxyPhysicalIndex(layout, name);
    const mappings = osproxyMapping(layout, mapping).mappings as JsonObject;
    const fields = byPhysical.get(physical) ?? new Map<string, Map<string, string>>();
    for (const [field, type] of typesOf(mappings.properties, '', new Map())) {
      const types = fields.get(field) ?? new Map<string, string>();
      types.set(name, type);
      fields.set(field, types);
    }
    byPhysical.set(physical, fields);
  }
  const conflicts: MappingConflict[] = [];
  for (const [physical, fields] of byPhysical)
    for (const [field, types] of fields)
      if (new Set(types.values()).size > 1)
        conflicts.push({ physical, field, types: Object.fromEntries(types) });
  return conflicts;
}

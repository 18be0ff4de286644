// The placement table osproxy serves from its settings: every partition on the
// shared index (`index`) but those `dedicated_indices` places on an index of their
// own, and the names no dedicated index may be (the shared index and what its
// template yields, the passthrough prefixes, the flusso metadata index, the
// operator's `reserved_indices`). A table that makes a collision certain refuses to
// start (exit 2, naming the placements); a possible one is refused per request.
import {
  type ClusterId,
  FlussoError,
  isFlussoError,
  type PartitionId,
  type Placement,
  parsePartitionId,
} from '@flusso/core';
import type { ExtraReservation } from '@flusso/proxy';
import type { Settings } from '../config/settings.js';

function invalid(message: string): never {
  throw new FlussoError('config_invalid', `dedicated_indices: ${message}`);
}

/** `partition=template` entries as DedicatedIndex placements on `cluster`. */
export function dedicatedPlacements(
  entries: readonly string[],
  cluster: ClusterId,
): Map<PartitionId, Placement> {
  const out = new Map<PartitionId, Placement>();
  entries.forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const template = entry.slice(eq + 1).trim();
    if (eq <= 0) invalid(`entry ${i + 1} must be partition=template`);
    let partition: PartitionId;
    try {
      partition = parsePartitionId(entry.slice(0, eq).trim());
    } catch (error) {
      if (isFlussoError(error, 'invalid_name')) invalid(`entry ${i + 1} does not name a valid partition`);
      throw error;
    }
    // Without `{index}` every logical index of the partition would be one index.
    if (!template.includes('{index}')) invalid(`entry ${i + 1}: the template must contain {index}`);
    if (/[{}]/.test(template.replaceAll('{index}', '').replaceAll('{partition}', '')))
      invalid(`entry ${i + 1}: the template names only {index} and {partition}`);
    if (out.has(partition)) invalid(`entry ${i + 1} places a partition already placed`);
    out.set(partition, { mode: 'DedicatedIndex', cluster, indexTemplate: template });
  });
  return out;
}

/** What no dedicated index may be besides the placements' own names. */
export function reservedIndices(
  settings: Settings,
  cluster: ClusterId,
  passthroughCluster: ClusterId,
): ExtraReservation[] {
  const out: ExtraReservation[] = [{ kind: 'meta_index', cluster, name: settings.meta_index }];
  for (const prefix of settings.passthrough_indices)
    out.push({ kind: 'passthrough', cluster: passthroughCluster, name: prefix, prefix: true });
  for (const name of settings.reserved_indices) {
    const prefix = name.endsWith('*');
    out.push({ kind: 'reserved_index', cluster, name: prefix ? name.slice(0, -1) : name, prefix });
  }
  return out;
}

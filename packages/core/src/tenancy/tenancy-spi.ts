// TenancySpi: what a deployment implements to tell the proxy who a request
// belongs to, how ids are formed, and where each partition's data lives.

import type { PartitionId } from '../names/names.js';
import type { JsonObject } from '../values/json.js';
import type { Epoch } from './epoch.js';
import type { PlacementState } from './placement.js';

/** The authenticated caller; `tenant` binds it to exactly one partition. */
export interface Principal {
  readonly id: string;
  readonly tenant?: PartitionId;
}

/** What partition resolution may look at. Header names are lower-case. */
export interface PartitionSource {
  readonly principal?: Principal;
  readonly headers: Readonly<Record<string, string>>;
  /** The client document (index/create source, update `doc`), when there is one. */
  readonly document?: JsonObject;
}

/**
 * How shared-index ids are formed: a template containing `{partition}` and one
 * id placeholder, `{id}` (URL id, else the body field) or `{body.<field>}`.
 */
export interface DocIdRule {
  readonly template: string;
  /** Route each document by its partition (shared index). */
  readonly routing: boolean;
}

export interface TenancySpi {
  /** The partition of a request or bulk item; throws `partition_unresolved` or `tenant_mismatch`. */
  resolvePartition(source: PartitionSource): PartitionId;
  readonly docIdRule: DocIdRule;
  /** Current placement of a partition; throws `placement_missing` when it has none. */
  placementOf(partition: PartitionId): PlacementState;
  /** Admit a write planned under `epoch`; throws `stale_epoch` when it is not current or during Cutover. */
  admitWrite(partition: PartitionId, epoch: Epoch): void;
}

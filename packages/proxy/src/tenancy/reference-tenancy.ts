// The reference tenancy: one shared index, `_tenant` injected, ids
// `{partition}:{id}` routed by partition. When several logical indexes share one
// physical index (a template without `{index}`), the logical index is part of
// the id and an injected field too, so `/orders` and `/users` never mix. A principal bound to a tenant makes
// that tenant the partition; otherwise (open dev mode) the body `tenant_id` or
// the `x-tenant` header names it.
import {
  type ClusterId,
  type DocIdRule,
  type Epoch,
  isFlussoError,
  type OsproxyLayout,
  osproxyLayout,
  type PartitionId,
  type PartitionSource,
  type Placement,
  type PlacementState,
  parseClusterId,
  parsePartitionId,
  type TenancySpi,
} from '@flusso/core';
import { InMemoryPlacementTable } from '../placement/in-memory-placement-table.js';
import type { ExtraReservation, ReservedNames } from '../placement/reserved-names.js';
import { ProxyError } from '../request/proxy-error.js';

export interface ReferenceTenancyOptions {
  /** Shared physical index (default `osproxy-shared`). */
  readonly index?: string;
  readonly cluster?: ClusterId;
  /** Body field naming the tenant (default `tenant_id`). */
  readonly tenantField?: string;
  /** Header naming the tenant (default `x-tenant`). */
  readonly tenantHeader?: string;
  /** Injected field naming the tenant (default `_tenant`). */
  readonly tenantInjectField?: string;
  /** Injected field naming the logical index in a shared index (default `_index_name`). */
  readonly indexInjectField?: string;
  /** Placements; defaults to every partition on the shared index (but `entries`'s). */
  readonly placements?: InMemoryPlacementTable;
  /** Partitions placed apart from the shared index, when `placements` is not given. */
  readonly entries?: ReadonlyMap<PartitionId, Placement>;
  /** Names no unfiltered placement may use (passthrough, metadata index), when `placements` is not given. */
  readonly reserved?: readonly ExtraReservation[];
  /**
   * The reference's id-from-body rule: a write without a URL id takes its id from
   * this body field (`{partition}:{body.<field>}`), and a `POST` with one creates
   * (409 when taken). Absent (the default), `POST /{i}/_doc` gets an auto id, as in OpenSearch.
   */
  readonly idFromBody?: string;
}

function claimed(value: unknown): PartitionId | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ProxyError('partition_unresolved', 'tenant claim is not a string', {
      context: { rule: 'type' },
    });
  }
  try {
    return parsePartitionId(value);
  } catch (error) {
    if (isFlussoError(error, 'invalid_name')) {
      throw new ProxyError('partition_unresolved', 'tenant claim is not a valid partition id', {
        context: { rule: 'syntax' },
      });
    }
    throw error;
  }
}

export class ReferenceTenancy implements TenancySpi {
  readonly docIdRule: DocIdRule;
  readonly placements: InMemoryPlacementTable;
  /** The shared-index layout (from `@flusso/core`, the same code flusso's osproxy sink layout uses). */
  readonly layout: OsproxyLayout;
  readonly #tenantField: string;
  readonly #tenantHeader: string;

  constructor(options: ReferenceTenancyOptions = {}) {
    this.#tenantField = options.tenantField ?? 'tenant_id';
    this.#tenantHeader = (options.tenantHeader ?? 'x-tenant').toLowerCase();
    const id = options.idFromBody === undefined ? '{id}' : `{body.${options.idFromBody}}`;
    this.layout = osproxyLayout({
      ...(options.index === undefined ? {} : { index: options.index }),
      ...(options.tenantInjectField === undefined ? {} : { tenantField: options.tenantInjectField }),
      ...(options.indexInjectField === undefined ? {} : { indexField: options.indexInjectField }),
      idPlaceholder: id,
    });
    this.docIdRule = { template: this.layout.idTemplate, routing: true };
    this.placements =
      options.placements ??
      new InMemoryPlacementTable({
        fallback: {
          mode: 'SharedIndex',
          cluster: options.cluster ?? parseClusterId('default'),
          indexTemplate: this.layout.indexTemplate,
          inject: this.layout.injectTemplate,
        },
        ...(options.entries === undefined ? {} : { entries: options.entries }),
        ...(options.reserved === undefined ? {} : { reserved: options.reserved }),
      });
  }

  resolvePartition(source: PartitionSource): PartitionId {
    const fromHeader = claimed(source.headers[this.#tenantHeader]);
    const fromBody = claimed(source.document?.[this.#tenantField]);
    const bound = source.principal?.tenant;
    const claims = [fromHeader, fromBody].filter((claim) => claim !== undefined);
    const partition = bound ?? claims[0];
    if (partition === undefined) {
      throw new ProxyError('partition_unresolved', 'no tenant named by principal, header or body');
    }
    if (claims.some((claim) => claim !== partition)) {
      throw new ProxyError('tenant_mismatch', 'request names a tenant other than its own', {
        context: { partition },
      });
    }
    return partition;
  }

  /** What every unfiltered view is checked against (see `ReservedNames`). */
  get reservedNames(): ReservedNames {
    return this.placements.reservedNames;
  }

  placementOf(partition: PartitionId): PlacementState {
    return this.placements.stateOf(partition);
  }

  admitWrite(partition: PartitionId, epoch: Epoch): void {
    this.placements.admitWrite(partition, epoch);
  }
}

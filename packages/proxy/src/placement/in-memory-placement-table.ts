// Placements held in memory, with the migration state machine
// (Settled → Draining → Cutover → Settled(new)) and the write epoch gate.
import {
  type Epoch,
  FlussoError,
  nextEpoch,
  type PartitionId,
  type Placement,
  type PlacementState,
  parseEpoch,
} from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';
import {
  type ExtraReservation,
  type Reservation,
  ReservedNames,
  refuseCertainCollisions,
  reservationOf,
} from './reserved-names.js';

export interface InMemoryPlacementTableOptions {
  /** The placement of partitions with no entry of their own. */
  readonly fallback?: Placement;
  readonly entries?: ReadonlyMap<PartitionId, Placement>;
  /**
   * Names on the clusters that are no placement's to read unfiltered besides the
   * placements' own (passthrough indexes and prefixes, the flusso metadata index).
   */
  readonly reserved?: readonly ExtraReservation[];
}

const FIRST_EPOCH = parseEpoch(1);

function badTransition(from: string, to: string): never {
  throw new FlussoError('invalid_value', `placement cannot move from ${from} to ${to}`, {
    context: { from, to },
  });
}

export class InMemoryPlacementTable {
  readonly #fallback: Placement | undefined;
  readonly #states = new Map<PartitionId, PlacementState>();
  readonly #extra: readonly ExtraReservation[];
  #names: ReservedNames;

  /** Throws `config_invalid` naming the placements when the table makes an index collision certain. */
  constructor(options: InMemoryPlacementTableOptions = {}) {
    this.#fallback = options.fallback;
    this.#extra = options.reserved ?? [];
    for (const [partition, placement] of options.entries ?? []) {
      this.#states.set(partition, { placement, epoch: FIRST_EPOCH, phase: 'Settled' });
    }
    this.#names = this.#reservedNames(this.#states);
    refuseCertainCollisions(this.#certainCollisions(this.#names, this.#states));
  }

  /**
   * Every index name a placement or the deployment reserves, as of now: the view of
   * an unfiltered placement is checked against it before anything is dispatched.
   */
  get reservedNames(): ReservedNames {
    return this.#names;
  }

  #reservedNames(states: ReadonlyMap<PartitionId, PlacementState>): ReservedNames {
    const out: Reservation[] = [];
    const fallback = this.#fallback === undefined ? undefined : reservationOf(this.#fallback, 'the fallback');
    if (fallback !== undefined) out.push(fallback);
    for (const [partition, state] of states) {
      const own = reservationOf(state.placement, `partition ${partition}`, partition);
      if (own !== undefined) out.push(own);
      const next =
        state.next && reservationOf(state.next, `partition ${partition} (migrating to)`, partition);
      if (next !== undefined) out.push(next);
    }
    for (const extra of this.#extra) out.push({ ...extra, label: extra.kind });
    return new ReservedNames(out);
  }

  #certainCollisions(names: ReservedNames, states: ReadonlyMap<PartitionId, PlacementState>): string[] {
    const clusters: { cluster: Placement['cluster']; label: string }[] = [];
    const add = (placement: Placement | undefined, label: string) => {
      if (placement?.mode === 'DedicatedCluster') clusters.push({ cluster: placement.cluster, label });
    };
    add(this.#fallback, 'the fallback');
    for (const [partition, state] of states) {
      add(state.placement, `partition ${partition}`);
      add(state.next, `partition ${partition} (migrating to)`);
    }
    const out = names.certainCollisions(clusters);
    // Two partitions on one dedicated cluster read each other's logical indexes unfiltered.
    const seen = new Map<string, string>();
    for (const { cluster, label } of clusters) {
      const first = seen.get(cluster);
      if (first !== undefined && !label.startsWith(`${first} `) && !first.startsWith(`${label} `))
        out.push(`the DedicatedCluster of ${label} (${cluster}) is also the DedicatedCluster of ${first}`);
      else seen.set(cluster, label);
    }
    return out;
  }

  /** The one placement reads and admitted writes use now; throws `placement_missing`. */
  stateOf(partition: PartitionId): PlacementState {
    const state = this.#states.get(partition);
    if (state !== undefined) return state;
    if (this.#fallback === undefined) {
      throw new ProxyError('placement_missing', 'partition has no placement', { context: { partition } });
    }
    return { placement: this.#fallback, epoch: FIRST_EPOCH, phase: 'Settled' };
  }

  /** Place a partition (Settled at a new epoch). Only allowed while Settled. */
  assign(partition: PartitionId, placement: Placement): PlacementState {
    const current = this.#states.get(partition);
    if (current !== undefined && current.phase !== 'Settled') badTransition(current.phase, 'Settled');
    const epoch = current === undefined ? FIRST_EPOCH : nextEpoch(current.epoch);
    return this.#put(partition, { placement, epoch, phase: 'Settled' });
  }

  /** Settled → Draining toward `next`; writes still go to the current placement. */
  beginMigration(partition: PartitionId, next: Placement): PlacementState {
    const current = this.stateOf(partition);
    if (current.phase !== 'Settled') badTransition(current.phase, 'Draining');
    return this.#put(partition, { ...current, phase: 'Draining', next, epoch: nextEpoch(current.epoch) });
  }

  /** Draining → Cutover: no write is admitted until the migration completes. */
  cutover(partition: PartitionId): PlacementState {
    const current = this.stateOf(partition);
    if (current.phase !== 'Draining') badTransition(current.phase, 'Cutover');
    return this.#put(partition, { ...current, phase: 'Cutover', epoch: nextEpoch(current.epoch) });
  }

  /** Cutover → Settled on the new placement. */
  complete(partition: PartitionId): PlacementState {
    const current = this.stateOf(partition);
    if (current.phase !== 'Cutover' || current.next === undefined) badTransition(current.phase, 'Settled');
    return this.#put(partition, {
      placement: current.next,
      epoch: nextEpoch(current.epoch),
      phase: 'Settled',
    });
  }

  /** Admit a write stamped with `epoch`; throws 409 `stale_epoch` (retryable) otherwise. */
  admitWrite(partition: PartitionId, epoch: Epoch): void {
    const current = this.stateOf(partition);
    if (current.phase === 'Cutover' || current.epoch !== epoch) {
      throw new ProxyError('stale_epoch', 'write epoch is not admissible', {
        context: { partition, stamped: epoch, current: current.epoch, phase: current.phase },
      });
    }
  }

  /** Applies `state` unless the table would then make an index collision certain (`invalid_value`, nothing changed). */
  #put(partition: PartitionId, state: PlacementState): PlacementState {
    const states = new Map(this.#states);
    states.set(partition, state);
    const names = this.#reservedNames(states);
    const collisions = this.#certainCollisions(names, states);
    if (collisions.length > 0) {
      throw new FlussoError('invalid_value', `placement refused: ${collisions.join('; ')}`, {
        context: { partition },
      });
    }
    this.#states.set(partition, state);
    this.#names = names;
    return state;
  }
}

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

export interface InMemoryPlacementTableOptions {
  /** The placement of partitions with no entry of their own. */
  readonly fallback?: Placement;
  readonly entries?: ReadonlyMap<PartitionId, Placement>;
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

  constructor(options: InMemoryPlacementTableOptions = {}) {
    this.#fallback = options.fallback;
    for (const [partition, placement] of options.entries ?? []) {
      this.#states.set(partition, { placement, epoch: FIRST_EPOCH, phase: 'Settled' });
    }
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

  #put(partition: PartitionId, state: PlacementState): PlacementState {
    this.#states.set(partition, state);
    return state;
  }
}

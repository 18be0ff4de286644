// Where a partition's data lives, and where a placement stands in a migration.
import type { ClusterId } from '../names/names.js';
import type { Epoch } from './epoch.js';

/**
 * The three placement modes. Index templates may use `{index}` (the logical
 * index) and `{partition}`; injected field values may use `{partition}`.
 */
export type Placement =
  | { readonly mode: 'DedicatedCluster'; readonly cluster: ClusterId }
  | { readonly mode: 'DedicatedIndex'; readonly cluster: ClusterId; readonly indexTemplate: string }
  | {
      readonly mode: 'SharedIndex';
      readonly cluster: ClusterId;
      readonly indexTemplate: string;
      /** Field → value template, e.g. `{ _tenant: '{partition}' }`. */
      readonly inject: Readonly<Record<string, string>>;
    };

export type PlacementMode = Placement['mode'];

/** Settled → Draining → Cutover → Settled(new); each step bumps the epoch. */
export type Phase = 'Settled' | 'Draining' | 'Cutover';

/** A partition's placement as of one epoch. */
export interface PlacementState {
  /** Where reads and admitted writes go now (exactly one placement). */
  readonly placement: Placement;
  readonly epoch: Epoch;
  readonly phase: Phase;
  /** The placement a migration is moving to (Draining and Cutover only). */
  readonly next?: Placement;
}

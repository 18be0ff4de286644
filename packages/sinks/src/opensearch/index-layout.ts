// Physical layout of one logical index: generations `{prefix}{index}_{hash}_{gen}`
// behind the hash alias `{prefix}{index}_{hash}` and the convenience alias
// `{prefix}{index}`; seeded state lives in `{prefix}flusso_meta`.
import type { IndexName } from '@flusso/core';

export interface Layout {
  readonly logical: IndexName;
  readonly hashAlias: string;
  readonly alias: string;
  readonly mapping: Record<string, unknown>;
  active: number;
  seeded: boolean;
  /** A generation being rebuilt by reindex; swapped in by markSeeded. */
  staged: number | null;
}

export function layoutNames(prefix: string, index: IndexName, hash: string) {
  const hashAlias = `${prefix}${index}_${hash}`;
  return { hashAlias, alias: `${prefix}${index}`, generation: (gen: number) => `${hashAlias}_${gen}` };
}

export function concrete(layout: Layout, gen: number): string {
  return `${layout.hashAlias}_${gen}`;
}

/** Generations a write must reach: the live one and any staged one. */
export function writeGenerations(layout: Layout): number[] {
  return layout.staged === null ? [layout.active] : [layout.active, layout.staged];
}

/** Physical indexes a write must reach: the live generation and any staged one. */
export function writeTargets(layout: Layout): string[] {
  return writeGenerations(layout).map((gen) => concrete(layout, gen));
}

/**
 * A generation's write alias: created with it, dropped with it, so a write through it
 * (`require_alias`) can never re-create a dropped generation.
 */
export function writeAlias(physical: string): string {
  return `${physical}_w`;
}

export const metaMapping = {
  mappings: {
    dynamic: 'strict',
    properties: {
      index: { type: 'keyword' },
      hash: { type: 'keyword' },
      active_generation: { type: 'integer' },
      seeded: { type: 'boolean' },
    },
  },
};

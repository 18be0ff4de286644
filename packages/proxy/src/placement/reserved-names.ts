// Names an unfiltered placement must never read or write. A DedicatedIndex (or a
// DedicatedCluster's logical names) is sent without a tenant filter, so its index
// must be no other placement's: not a shared index (every tenant's documents), not
// another partition's dedicated index, not a passthrough index, not the flusso
// metadata index, not a hidden or system index (`.` prefix). A view sees one
// placement; the table that holds them all builds this, and the pipeline asks it
// for every view before anything is dispatched (fail closed, `placement_missing`).
import { type ClusterId, FlussoError, type PartitionId, type Placement } from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';
import { type TemplateToken, templateBindings, templateTokens } from './template-split.js';

export type ReservedKind =
  | 'shared_index'
  | 'dedicated_index'
  | 'passthrough'
  | 'meta_index'
  | 'reserved_index'
  | 'hidden_index';

export interface Reservation {
  readonly kind: ReservedKind;
  /** The cluster the name lives on; absent = every cluster. */
  readonly cluster?: ClusterId;
  /** An exact name, a prefix (`prefix`), or a template with `{index}` and `{partition}`. */
  readonly name: string;
  readonly prefix?: boolean;
  /** The partition whose own entry this is (`{partition}` bound to it); absent for a fallback or a fixed name. */
  readonly owner?: PartitionId;
  /** The placement as an operator names it (`fallback`, `partition acme`, `passthrough`): never data. */
  readonly label: string;
}

/** Extra names a deployment reserves besides the placements' own (passthrough, metadata index, aliases, ...). */
export interface ExtraReservation {
  readonly kind: 'passthrough' | 'meta_index' | 'reserved_index';
  readonly cluster?: ClusterId;
  readonly name: string;
  readonly prefix?: boolean;
}

const HIDDEN: Reservation = {
  kind: 'hidden_index',
  name: '.',
  prefix: true,
  label: 'hidden and system indexes',
};

/**
 * Whether `name`, the physical index of `partition` under an unfiltered placement,
 * is `reservation`'s. A shared index, passthrough, metadata or hidden name is never
 * the partition's to read unfiltered; a dedicated name is, only when it is the
 * partition's own (bound to it, or rendered from a template with its own id).
 */
export function reserves(reservation: Reservation, name: string, partition: PartitionId): boolean {
  if (reservation.prefix === true) return name.startsWith(reservation.name);
  if (!reservation.name.includes('{')) {
    return (
      name === reservation.name &&
      !(reservation.kind === 'dedicated_index' && reservation.owner === partition)
    );
  }
  if (reservation.kind === 'dedicated_index' && reservation.owner === partition) return false;
  const parts = templateTokens(reservation.name, reservation.owner);
  for (const binding of templateBindings(parts, name))
    if (reservation.kind !== 'dedicated_index' || binding.partition !== partition) return true;
  return false;
}

/** The placement's own reservation of its index names (none for a DedicatedCluster). */
export function reservationOf(
  placement: Placement,
  label: string,
  owner?: PartitionId,
): Reservation | undefined {
  if (placement.mode === 'DedicatedCluster') return undefined;
  return {
    kind: placement.mode === 'SharedIndex' ? 'shared_index' : 'dedicated_index',
    cluster: placement.cluster,
    name: placement.indexTemplate,
    ...(owner === undefined ? {} : { owner }),
    label,
  };
}

function onCluster(reservation: Reservation, cluster: ClusterId): boolean {
  return reservation.cluster === undefined || reservation.cluster === cluster;
}

interface Shape {
  readonly fixed: string | undefined;
  readonly head: string;
  readonly tail: string;
  readonly parts: readonly TemplateToken[];
}

function shapeOf(reservation: Reservation): Shape {
  const parts = reservation.prefix === true ? [] : templateTokens(reservation.name, reservation.owner);
  const first = parts[0];
  const last = parts.at(-1);
  const head = first !== undefined && 'literal' in first ? first.literal : '';
  const tail = last !== undefined && 'literal' in last && parts.length > 1 ? last.literal : '';
  const fixed = parts.length === 1 && first !== undefined && 'literal' in first ? first.literal : undefined;
  return { fixed, head, tail, parts };
}

function sameToken(a: TemplateToken, b: TemplateToken): boolean {
  return 'literal' in a
    ? 'literal' in b && a.literal === b.literal
    : 'placeholder' in b && a.placeholder === b.placeholder;
}

const samePattern = (a: readonly TemplateToken[], b: readonly TemplateToken[]) =>
  a.length === b.length && a.every((token, i) => sameToken(token, b[i] as TemplateToken));

/**
 * Whether every name `dedicated` can render is `other`'s (so the table itself
 * makes the collision certain, whatever logical index a tenant names).
 */
function certainlyCollides(dedicated: Reservation, other: Reservation): boolean {
  const d = shapeOf(dedicated);
  // A fallback has no partition of its own: no partition id is empty, so none is its owner.
  if (d.fixed !== undefined) return reserves(other, d.fixed, dedicated.owner ?? ('' as PartitionId));
  if (other.prefix === true) return d.head.startsWith(other.name);
  const o = shapeOf(other);
  if (o.fixed !== undefined) return false;
  if (samePattern(d.parts, o.parts)) return true;
  // `a{index}b` holds every `c{index}d` with c starting with a and d ending with b.
  const holes = o.parts.filter((p) => !('literal' in p));
  const hole = holes[0];
  return (
    holes.length === 1 &&
    hole !== undefined &&
    !('literal' in hole) &&
    hole.placeholder === 'index' &&
    d.head.startsWith(o.head) &&
    d.tail.endsWith(o.tail)
  );
}

/** The reservations of one placement table plus a deployment's extras, checked on every unfiltered view. */
export class ReservedNames {
  readonly reservations: readonly Reservation[];
  readonly #verdicts = new Map<string, Reservation | null>();

  constructor(reservations: readonly Reservation[]) {
    this.reservations = [...reservations, HIDDEN];
  }

  /** The reservation `physical` (the unfiltered index of `partition` on `cluster`) falls under, if any. */
  conflict(cluster: ClusterId, physical: string, partition: PartitionId): Reservation | undefined {
    const key = `${cluster}\u0000${partition}\u0000${physical}`;
    const known = this.#verdicts.get(key);
    if (known !== undefined) return known ?? undefined;
    const found =
      this.reservations.find((r) => onCluster(r, cluster) && reserves(r, physical, partition)) ?? null;
    if (this.#verdicts.size >= 10_000) this.#verdicts.clear();
    this.#verdicts.set(key, found);
    return found ?? undefined;
  }

  /** Refuses (`placement_missing`, before any dispatch) an unfiltered view onto a reserved index. */
  check(placement: Placement, physical: string, partition: PartitionId): void {
    if (placement.mode === 'SharedIndex') return;
    const reservation = this.conflict(placement.cluster, physical, partition);
    if (reservation === undefined) return;
    // No tenant value in the message: the reason names the kind of index only.
    throw new ProxyError('placement_missing', `placement yields a reserved index (${reservation.kind})`, {
      context: { rule: 'reserved_index_name', reserved: reservation.kind },
    });
  }

  /**
   * Collisions the table makes certain (whatever logical index a tenant names),
   * as messages naming the placements: a dedicated name that is always a shared
   * index, another entry's dedicated index, a passthrough or metadata index, or
   * hidden; a DedicatedCluster on a cluster that also holds another placement.
   */
  certainCollisions(dedicatedClusters: readonly { cluster: ClusterId; label: string }[] = []): string[] {
    const out: string[] = [];
    for (const dedicated of this.reservations) {
      if (dedicated.kind !== 'dedicated_index') continue;
      if (dedicated.owner === undefined && !dedicated.name.includes('{partition}')) {
        out.push(
          `the DedicatedIndex of ${dedicated.label} (${dedicated.name}) on cluster ${dedicated.cluster} names no {partition}: every partition placed by it would share one unfiltered index`,
        );
      }
      for (const other of this.reservations) {
        if (other === dedicated || !onCluster(other, dedicated.cluster as ClusterId)) continue;
        // One partition's own names (its placement and a migration's next one) are its own.
        if (other.kind === 'dedicated_index' && other.label === dedicated.label) continue;
        if (other.kind === 'dedicated_index' && other.owner !== undefined && other.owner === dedicated.owner)
          continue;
        if (certainlyCollides(dedicated, other)) {
          out.push(
            `the DedicatedIndex of ${dedicated.label} (${dedicated.name}) on cluster ${dedicated.cluster} is always ${describe(other)}`,
          );
        }
      }
    }
    for (const { cluster, label } of dedicatedClusters) {
      const others = this.reservations.filter((r) => r.cluster === cluster);
      for (const other of others)
        out.push(`the DedicatedCluster of ${label} (${cluster}) also holds ${describe(other)}`);
    }
    return out;
  }
}

function describe(r: Reservation): string {
  switch (r.kind) {
    case 'shared_index':
      return `the shared index of ${r.label} (${r.name})`;
    case 'dedicated_index':
      return `the DedicatedIndex of ${r.label} (${r.name})`;
    case 'passthrough':
      return `a passthrough index (${r.name}${r.prefix === true ? '*' : ''})`;
    case 'meta_index':
      return `the metadata index (${r.name})`;
    case 'reserved_index':
      return `a reserved index (${r.name}${r.prefix === true ? '*' : ''})`;
    case 'hidden_index':
      return 'a hidden or system index (.*)';
  }
}

/** Throws `config_invalid` naming the placements when the table makes a collision certain. */
export function refuseCertainCollisions(collisions: readonly string[]): void {
  if (collisions.length === 0) return;
  throw new FlussoError('config_invalid', `placements: ${collisions.join('; ')}`);
}

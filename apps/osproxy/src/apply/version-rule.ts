// The idempotency and order rule. A write's Kafka offset (per partition; all of a
// tenant's writes share one, key = tenant) is the document's external version:
// `(offset + 1) << 20`. OpenSearch applies an `external` write only when its
// version is above the document's, so a redelivered write, or an earlier write
// arriving after a later one, is a version conflict: already applied, nothing
// undone. The 2^20 gap leaves room for `update`s, which the update API cannot
// version (each adds 1): an update is checked against the version read before the
// batch instead, and skipped once a write at or past its offset is in.

const GAP = 20n;

/** The external version a write at `offset` carries. */
export function externalVersion(offset: bigint): bigint {
  return (offset + 1n) << GAP;
}

/** The offset of the last versioned write a document's current version records, or -1. */
export function versionedOffset(version: bigint): bigint {
  return (version >> GAP) - 1n;
}

/**
 * Whether an `update` at `offset` must be skipped: a write at or after its offset
 * (itself, or a later full write) is already in the document.
 */
export function updateSuperseded(offset: bigint, current: bigint | undefined): boolean {
  return current !== undefined && current >= externalVersion(offset);
}

/**
 * Whether a `create` at `offset` must be skipped: the document exists (the create
 * applied already, or something else made it, which a create refuses either way).
 * A create that may go is sent as an `index` at its external version, so a later
 * delete's tombstone still wins over a redelivered create.
 */
export function createSuperseded(current: bigint | undefined): boolean {
  return current !== undefined;
}

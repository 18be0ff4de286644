// One document whose data its build cannot take (a division by zero in a computed
// field, an overflowing aggregate, bytes a text function refuses) fails the whole
// build query of its batch. The batch is split in halves until each failing id is
// alone, so every other document is still built: log2(n) rounds of queries per bad
// id, and none at all while every build succeeds. Only `invalid_value` (a document's
// data) is split; a lost connection or a refused statement fails as it did.
import type { BuiltDocument, DocumentBuilder, DocumentId, IndexName } from '@flusso/core';
import { type FlussoError, isFlussoError } from '@flusso/core';

/** A document that could not be built, and why (the builder's error: codes only, no values). */
export interface BuildFailure {
  readonly index: IndexName;
  readonly id: DocumentId;
  readonly error: FlussoError;
}

export interface IsolatedBuild {
  readonly documents: readonly BuiltDocument[];
  readonly failed: readonly BuildFailure[];
}

export async function buildIsolating(
  builder: DocumentBuilder,
  index: IndexName,
  ids: readonly DocumentId[],
): Promise<IsolatedBuild> {
  try {
    return { documents: await builder.build(index, ids), failed: [] };
  } catch (error) {
    if (!isFlussoError(error, 'invalid_value') || ids.length === 0) throw error;
    const [only] = ids;
    if (ids.length === 1 && only !== undefined)
      return { documents: [], failed: [{ index, id: only, error }] };
    const half = Math.ceil(ids.length / 2);
    const first = await buildIsolating(builder, index, ids.slice(0, half));
    const second = await buildIsolating(builder, index, ids.slice(half));
    return {
      documents: [...first.documents, ...second.documents],
      failed: [...first.failed, ...second.failed],
    };
  }
}

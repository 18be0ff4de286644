// A versioned build must reach OpenSearch while any newer delete's tombstone is still
// remembered. OpenSearch keeps a deleted document's version for `index.gc_deletes`
// only; past it, an older write is accepted as a create, and a build that read the row
// before another worker deleted it would bring the document back for good (no later
// change removes it). A delete with a higher version read its version after this build
// read its own (the WAL insert position only grows), so its tombstone lives until at
// least `startedAt + gc_deletes`: a build whose flush is answered within that window
// cannot resurrect anything.
//
// So each build carries the monotonic time its version was about to be read. Before it
// is written, a build older than `MAX_BUILD_AGE_MS` (half the window) is rebuilt from
// current rows (a row that is gone now yields a delete). After the flush, a build that
// is by then older still is rebuilt and flushed again: if its stale write landed after a
// tombstone was collected, the fresh build (a newer version) deletes the document again.
//
// A document whose data its build cannot take (the builder's `invalid_value`) is split
// out of its build as the one-process engine does, and goes its index's way before
// anything of the batch is written: under `stop` the batch fails (redelivered, the
// partition waits), under `skip` it is a dead letter (codes only) and the rest lands.
import type { BuiltDocument, DocumentId, IndexName } from '@flusso/core';
import { FlussoError, type Lsn, withVersion } from '@flusso/core';
import { type BuildFailure, buildIsolating, settleBuildFailures } from '@flusso/engine';
import { builtKey, flushWritten, letterContext } from './flush-written.js';
import type { WorkerParts } from './kafka-worker.js';

/** `index.gc_deletes` set on the generations Kafka mode writes (OpenSearch's default is 60s). */
export const GC_DELETES = '10m';
const GC_DELETES_MS = 10 * 60_000;
/** Oldest a build may be when written (and when its flush is answered) without a rebuild. */
export const MAX_BUILD_AGE_MS = GC_DELETES_MS / 2;
/** Flushes of one batch that may each finish too late before the batch fails (and is redelivered). */
const MAX_LATE_FLUSHES = 3;

export interface VersionedBuild {
  readonly index: IndexName;
  readonly ids: readonly DocumentId[];
  /** Monotonic ms (`performance.now()`) just before the version was read. */
  readonly startedAt: number;
  /** The documents, stamped with the version. */
  readonly docs: readonly BuiltDocument[];
  /** Documents whose build failed on their data (codes only). */
  readonly failed: readonly BuildFailure[];
}

export type BuildParts = Pick<WorkerParts, 'builder' | 'readVersion' | 'observer'>;

export type FreshParts = BuildParts &
  Pick<
    WorkerParts,
    'sinks' | 'onRejection' | 'log' | 'deadLetters' | 'clock' | 'maxBuildAgeMs' | 'onRebuilt' | 'observer'
  >;

/** Builds `ids` of `index` from current rows, stamped with the version read first. */
export async function buildVersioned(
  parts: BuildParts,
  index: IndexName,
  ids: readonly DocumentId[],
): Promise<VersionedBuild> {
  const startedAt = performance.now();
  const version = await parts.readVersion();
  const { documents, failed } = await buildIsolating(parts.builder, index, ids);
  parts.observer?.onDocumentsBuilt?.(index, documents.length);
  return { index, ids, startedAt, docs: documents.map((doc) => withVersion(doc, version)), failed };
}

/** The failed documents of `builds` go their index's way (stop: throws; skip: dead letters). */
async function settleFailed(
  parts: FreshParts,
  builds: readonly VersionedBuild[],
  lsn: Lsn | null,
): Promise<void> {
  await settleBuildFailures(
    { ...letterContext(parts), policyOf: parts.onRejection },
    builds.flatMap((b) => b.failed),
    parts.sinks.map((sink) => sink.name),
    lsn,
  );
}

/**
 * Writes `builds` to every sink and flushes them (as `flushWritten`), rebuilding any
 * build too old to be written safely, before the write and after the flush. Resolves
 * with the documents written by the last flush of each build.
 */
export async function writeFresh(
  parts: FreshParts,
  builds: readonly VersionedBuild[],
  lsn: Lsn | null,
  caughtUp: boolean,
): Promise<number> {
  const maxAge = parts.maxBuildAgeMs ?? MAX_BUILD_AGE_MS;
  const old = (b: VersionedBuild) => performance.now() - b.startedAt > maxAge;
  const refreshed = async (stale: readonly VersionedBuild[], when: 'write' | 'flush') => {
    const out: VersionedBuild[] = [];
    for (const b of stale) {
      parts.log.warn(
        { index: b.index, documents: b.ids.length, ageMs: Math.round(performance.now() - b.startedAt), when },
        'a build was older than half of index.gc_deletes; rebuilt from current rows',
      );
      parts.onRebuilt?.(b.index, b.ids.length);
      out.push(await buildVersioned(parts, b.index, b.ids));
    }
    return out;
  };
  let current = [...builds.filter((b) => !old(b)), ...(await refreshed(builds.filter(old), 'write'))];
  const documents = new Map<string, BuiltDocument>();
  for (let flushes = 1; ; flushes++) {
    await settleFailed(parts, current, lsn);
    const built = new Map<string, BuiltDocument>();
    for (const b of current)
      for (const doc of b.docs) {
        built.set(builtKey(doc), doc);
        documents.set(builtKey(doc), doc);
        for (const sink of parts.sinks) sink.write(doc);
      }
    await flushWritten(parts, built, lsn, caughtUp);
    const late = current.filter(old);
    if (late.length === 0) return documents.size;
    if (flushes >= MAX_LATE_FLUSHES)
      throw new FlussoError(
        'sink_transient',
        `${late.length} build(s) flushed later than ${maxAge} ms after their version, ${flushes} times; the batch is redelivered`,
        { context: { indexes: late.map((b) => b.index).join(',') } },
      );
    current = await refreshed(late, 'flush');
  }
}

// A reindex asked of a worker-only process: it cannot stage generations (the
// capture owns the layout), so it records the request in the reindex journal,
// which the capture reads on its next poll and then runs (see kafka-reindex).
import { FlussoError, type IndexName } from '@flusso/core';
import { ConcreteBackends } from '../backends.js';
import type { RoleContext } from './role-context.js';

/** Journal a reindex of `index` for the capture; resolves once it is durably recorded. */
export async function journalRequest(o: RoleContext, index: IndexName): Promise<void> {
  const backends = new ConcreteBackends(o.io.env, o.log);
  const journal = await backends.reindexJournal(o.lock, {
    slot: o.slot,
    publication: o.publication,
    managePublication: o.lock.config.source.manage_publication,
  });
  try {
    await journal.requested(index);
    // The journal warns instead of failing; here an unrecorded request would be lost.
    if (!(await journal.pending()).includes(index))
      throw new FlussoError('source_failed', `reindex of ${index}: the request could not be journaled`, {
        context: { index },
      });
    o.log.info({ index }, 'reindex requested; the capture role runs it');
  } finally {
    await journal.close().catch(() => undefined);
    await backends.close();
  }
}

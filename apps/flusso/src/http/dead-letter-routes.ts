// Dead letters on the private surface: GET /dead-letters (filters as query
// parameters: index, sink, id, since), POST /dead-letters/replay, DELETE /dead-letters.
import { describeError, FlussoError } from '@flusso/core';
import { Hono } from 'hono';
import { dlqFilter } from '../commands/dlq.js';
import { type DeadLetterService, deadLetterJson } from '../dead-letters/dead-letter-service.js';

export interface DeadLetterAccess {
  readonly open: () => Promise<DeadLetterService>;
  /** True while a backfill (reindex) runs: a replay then waits (it would re-ensure the indexes). */
  readonly backfilling: () => boolean;
}

async function withService<T>(
  open: DeadLetterAccess['open'],
  use: (s: DeadLetterService) => Promise<T>,
): Promise<T> {
  const service = await open();
  try {
    return await use(service);
  } finally {
    await service.close();
  }
}

export function deadLetterRoutes(access: DeadLetterAccess): Hono {
  const { open } = access;
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof FlussoError && error.code === 'config_invalid')
      return c.json({ error: 'invalid_request', message: error.message }, 400);
    return c.json({ error: 'dead_letters_unavailable', message: describeError(error) }, 503);
  });
  const filterOf = (query: Record<string, string>) =>
    dlqFilter({ index: query.index, sink: query.sink, id: query.id, since: query.since });
  app.get('/dead-letters', async (c) => {
    const filter = filterOf(c.req.query());
    const letters = await withService(open, (s) => s.list(filter));
    return c.json({ dead_letters: letters.map(deadLetterJson) });
  });
  app.post('/dead-letters/replay', async (c) => {
    if (access.backfilling())
      return c.json({ error: 'backfilling', message: 'a backfill is in progress; replay once live' }, 409);
    const filter = filterOf(c.req.query());
    const outcomes = await withService(open, (s) => s.replay(filter));
    const failed = outcomes.filter((o) => !o.replayed);
    return c.json({ replayed: outcomes.length - failed.length, failed });
  });
  app.delete('/dead-letters', async (c) => {
    const filter = filterOf(c.req.query());
    return c.json({ purged: await withService(open, (s) => s.purge(filter)) });
  });
  return app;
}

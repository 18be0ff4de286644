import { documentIdFromTexts, parseIndexName, parseLsn } from '@flusso/core';
import type { DeadLetterFilter, StoredDeadLetter } from '@flusso/daemon';
import { describe, expect, it } from 'vitest';
import type { DeadLetterService } from '../dead-letters/dead-letter-service.js';
import { deadLetterRoutes } from './dead-letter-routes.js';

const letter: StoredDeadLetter = {
  sink: 'primary',
  index: parseIndexName('users'),
  id: documentIdFromTexts(['5']),
  op: 'upsert',
  rejection: { type: 'mapper_parsing_exception', reason: 'failed to parse field [score]', status: 400 },
  lsn: parseLsn('0/17'),
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  document: { id: 5 },
  attempts: 1,
};

function setup(backfilling = false) {
  const filters: DeadLetterFilter[] = [];
  let closed = 0;
  const service: DeadLetterService = {
    list: async (f) => {
      filters.push(f);
      return [letter];
    },
    replay: async (f) => {
      filters.push(f);
      return [{ sink: 'primary', index: 'users', id: '5', replayed: true }];
    },
    purge: async () => 1,
    close: async () => {
      closed += 1;
    },
  };
  const app = deadLetterRoutes({ open: async () => service, backfilling: () => backfilling });
  return { app, filters, closed: () => closed };
}

describe('dead-letter routes', () => {
  it('lists letters as users read them, filtered by the query, and closes the store after', async () => {
    const { app, filters, closed } = setup();
    const res = await app.request('/dead-letters?index=users&since=2026-01-01T00:00:00Z');
    expect(await res.json()).toEqual({
      dead_letters: [
        {
          sink: 'primary',
          index: 'users',
          id: '5',
          op: 'upsert',
          error: letter.rejection,
          lsn: '0/17',
          failed_at: '2026-01-02T03:04:05.000Z',
          attempts: 1,
          document: { id: 5 },
        },
      ],
    });
    expect(filters).toEqual([{ index: 'users', since: Date.UTC(2026, 0, 1) }]);
    expect(closed()).toBe(1);
  });

  it('replays and purges', async () => {
    const { app } = setup();
    const replay = await app.request('/dead-letters/replay?id=5', { method: 'POST' });
    expect(await replay.json()).toEqual({ replayed: 1, failed: [] });
    const purge = await app.request('/dead-letters?index=users', { method: 'DELETE' });
    expect(await purge.json()).toEqual({ purged: 1 });
  });

  it('answers 409 to a replay while a backfill runs, and 400 to a bad since', async () => {
    expect((await setup(true).app.request('/dead-letters/replay', { method: 'POST' })).status).toBe(409);
    expect((await setup().app.request('/dead-letters?since=yesterday')).status).toBe(400);
  });
});

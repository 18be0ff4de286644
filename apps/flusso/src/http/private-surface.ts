// The private control surface (HTTP Basic): GET /indexes, POST /reindex?index=NAME,
// and the dead-letter routes when a store is configured.
import { type IndexName, isFlussoError, parseIndexName } from '@flusso/core';
import type { Status } from '@flusso/daemon';
import { Hono } from 'hono';
import { basicAuthMatches, type Credentials } from './basic-auth.js';
import { type DeadLetterAccess, deadLetterRoutes } from './dead-letter-routes.js';

export interface ControlPlane {
  status(): Status | null;
  /** Null when the pipeline is not running. */
  reindex(index: IndexName): Promise<void> | null;
}

export function privateSurface(
  control: ControlPlane,
  credentials: Credentials,
  deadLetters?: DeadLetterAccess['open'],
): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!basicAuthMatches(c.req.header('authorization'), credentials)) {
      return c.json({ error: 'auth_failed' }, 401, { 'www-authenticate': 'Basic realm="flusso"' });
    }
    await next();
  });
  app.get('/indexes', (c) => {
    const s = control.status();
    return c.json(s ? s.snapshot().indexes : {});
  });
  app.post('/reindex', (c) => {
    const name = c.req.query('index') ?? '';
    let index: IndexName;
    try {
      index = parseIndexName(name);
    } catch {
      return c.json({ error: 'invalid_name', message: 'index must be a valid index name' }, 400);
    }
    const known = control.status()?.indexes.has(index) ?? false;
    if (!known) return c.json({ error: 'unknown_index', index }, 404);
    const started = control.reindex(index);
    if (!started) return c.json({ error: 'not_running' }, 503);
    started.catch((error: unknown) => {
      if (!isFlussoError(error, 'shutdown')) control.status()?.indexes.set(index, 'seeded');
    });
    return c.json({ accepted: true, index }, 202);
  });
  if (deadLetters) {
    const backfilling = () => [...(control.status()?.indexes.values() ?? [])].includes('backfilling');
    app.route('/', deadLetterRoutes({ open: deadLetters, backfilling }));
  }
  return app;
}

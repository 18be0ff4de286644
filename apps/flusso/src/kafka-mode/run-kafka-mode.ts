// `flusso run` with `[pipeline] mode = "kafka"`: `--role capture` streams changes
// into the change topic, `--role worker` joins the consumer group and builds and
// flushes, `--role all` (the default) runs both in this process. Runs until
// SIGINT/SIGTERM; a transient failure restarts the role with backoff.

import { backoffDelay, describeError, FlussoError, isFlussoError, systemClock } from '@flusso/core';
import { enabledIndexes } from '@flusso/daemon';
import { stringFlag } from '../cli/flags.js';
import { serveSurfaces } from '../http/serve-surfaces.js';
import { captureOnce } from './capture-process.js';
import { type KafkaRole, KafkaStatus } from './kafka-status.js';
import { journalRequest } from './reindex-request.js';
import type { KafkaModeOptions, RoleContext } from './role-context.js';
import type { RoleName } from './role-health.js';
import { workerOnce } from './worker-process.js';

export type { KafkaRole } from './kafka-status.js';
export type { KafkaModeOptions } from './role-context.js';

/** `--role`: capture, worker, or all (both in one process). */
export function kafkaRoleOf(flag: string | undefined): KafkaRole {
  const role = flag ?? 'all';
  if (role === 'capture' || role === 'worker' || role === 'all') return role;
  throw new FlussoError('config_invalid', `--role: must be capture, worker or all (got ${role})`);
}

const BACKOFF = { initialMs: 1000, maxMs: 30_000, factor: 2, maxRetries: Number.POSITIVE_INFINITY };

/** Runs `once` until shutdown, restarting it with backoff after a failure. */
async function supervised(name: RoleName, o: RoleContext, once: () => Promise<void>): Promise<void> {
  let attempt = 0;
  while (!o.io.shutdown.aborted) {
    const startedAt = Date.now();
    try {
      await once();
      if (o.io.shutdown.aborted) return;
    } catch (error) {
      if (o.io.shutdown.aborted) return;
      o.state.roleFailed(name, isFlussoError(error) ? error.code : 'internal', describeError(error));
      // A config or schema error will not heal by itself: stop the process.
      if (isFlussoError(error) && !error.retryable) throw error;
      if (Date.now() - startedAt >= BACKOFF.maxMs) attempt = 0;
      const delay = backoffDelay(BACKOFF, attempt);
      attempt += 1;
      o.log.warn(
        { role: name, err: describeError(error), delayMs: delay },
        'role stopped on a failure; restarting',
      );
      await systemClock.sleep(delay, o.io.shutdown).catch(() => undefined);
    }
  }
}

export async function runKafkaMode(o: KafkaModeOptions): Promise<number> {
  const pipeline = o.lock.config.pipeline;
  const state = new KafkaStatus(o.role, enabledIndexes(o.lock), {
    group: pipeline.group,
    topic: pipeline.topic,
  });
  const ctx: RoleContext = {
    ...o,
    state,
    pollMs: Number(stringFlag(o.values, 'lag-poll-secs') ?? '15') * 1000,
    reindexer: { current: null },
  };
  const surfaces = await serveSurfaces({
    values: o.values,
    lock: o.lock,
    status: state.status,
    registry: state.metrics.registry,
    log: o.log,
    io: o.io,
    // The capture coordinates a reindex; a worker-only process journals it for the capture.
    reindex: (index) =>
      o.role === 'worker' ? journalRequest(ctx, index) : (ctx.reindexer.current?.request(index) ?? null),
    details: () => ({ ...state.details() }),
  });
  try {
    const roles: Promise<void>[] = [];
    if (o.role !== 'worker') roles.push(supervised('capture', ctx, () => captureOnce(ctx)));
    if (o.role !== 'capture') roles.push(supervised('worker', ctx, () => workerOnce(ctx)));
    await Promise.all(roles);
    return 0;
  } finally {
    state.observer.onStopped?.();
    await surfaces.close();
  }
}

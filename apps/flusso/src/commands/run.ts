// `flusso run`: compile (or read the lock), serve the HTTP surfaces, and run the
// daemon until SIGINT/SIGTERM. Transient failures restart the pipeline in-process
// with backoff, keeping one Status; anything else exits non-zero.
import { resolve } from 'node:path';
import { createLogger, OtlpExporter, otlpOptionsFromEnv, parseEnvBoolean } from '@flusso/app-kit';
import { backoffDelay, describeError, isFlussoError, systemClock } from '@flusso/core';
import {
  compileConfig,
  Daemon,
  type DaemonObserver,
  type DaemonOptions,
  enabledIndexes,
  type FlussoLock,
  type RunningDaemon,
  readLock,
  Status,
} from '@flusso/daemon';
import { isTransientPgError } from '@flusso/sources';
import type { Logger } from 'pino';
import { ConcreteBackends } from '../backends.js';
import { DEFAULT_ADMIN_USER, DEFAULT_PUBLICATION, DEFAULT_SLOT } from '../cli/defaults.js';
import { type FlagValues, parseFlags, stringFlag } from '../cli/flags.js';
import type { CliIo } from '../cli/io.js';
import { serveSurfaces } from '../http/serve-surfaces.js';
import { heapAfterBackfill } from '../telemetry/heap-after-backfill.js';
import { logObserver } from '../telemetry/log-observer.js';
import { createMetrics } from '../telemetry/metrics.js';
import { traceObserver } from '../telemetry/trace-observer.js';
import { youngGenerationOnLive } from '../telemetry/young-generation.js';

export const runFlags = {
  config: { type: 'string', short: 'c' },
  lock: { type: 'string' },
  'skip-backfill': { type: 'boolean', default: false },
  slot: { type: 'string', default: DEFAULT_SLOT },
  publication: { type: 'string', default: DEFAULT_PUBLICATION },
  'manage-publication': { type: 'string' },
  'public-address': { type: 'string' },
  'private-address': { type: 'string' },
  'admin-user': { type: 'string', default: DEFAULT_ADMIN_USER },
  'admin-password': { type: 'string' },
  'index-prefix': { type: 'string' },
  'lag-poll-secs': { type: 'string', default: '15' },
  'queue-capacity': { type: 'string' },
  pretty: { type: 'boolean', default: false },
  'log-level': { type: 'string', default: 'info' },
  'otlp-endpoint': { type: 'string' },
  role: { type: 'string', default: 'all' },
} as const;

async function loadLock(values: FlagValues, io: CliIo): Promise<FlussoLock> {
  const lockFile = stringFlag(values, 'lock');
  const lock = lockFile
    ? readLock(resolve(io.cwd, lockFile))
    : compileConfig(resolve(io.cwd, stringFlag(values, 'config') ?? 'flusso.toml'));
  const prefix = stringFlag(values, 'index-prefix');
  return prefix === undefined ? lock : { ...lock, config: { ...lock.config, prefix } };
}

const RESTART_BACKOFF = {
  initialMs: 1000,
  maxMs: 30_000,
  factor: 2,
  maxRetries: Number.POSITIVE_INFINITY,
};

// A lost Postgres connection (restart, failover, terminated backend) anywhere,
// connecting included, restarts the pipeline with backoff; it resumes from the slot.
function retryable(error: unknown): boolean {
  if (isFlussoError(error)) return error.retryable;
  return isTransientPgError(error);
}

/** Daemon options from flags, the same for every pipeline attempt. */
function daemonOptions(values: FlagValues, status: Status, observers: DaemonObserver[]): DaemonOptions {
  const managed = stringFlag(values, 'manage-publication');
  const queueCapacity = stringFlag(values, 'queue-capacity');
  return {
    slot: stringFlag(values, 'slot') ?? DEFAULT_SLOT,
    publication: stringFlag(values, 'publication') ?? DEFAULT_PUBLICATION,
    ...(managed === undefined ? {} : { managePublication: parseEnvBoolean(managed, 'manage-publication') }),
    skipBackfill: values['skip-backfill'] === true,
    pretty: values.pretty === true,
    lagPollIntervalMs: Number(stringFlag(values, 'lag-poll-secs') ?? '15') * 1000,
    ...(queueCapacity ? { queueCapacity: Number(queueCapacity) } : {}),
    status,
    observers,
  };
}

/**
 * OTLP trace export when `--otlp-endpoint` (FLUSSO_OTLP_ENDPOINT) is set, else
 * from the standard OTEL_EXPORTER_OTLP_* variables; none when neither is.
 */
function tracing(values: FlagValues, status: Status, log: Logger, env: CliIo['env']) {
  const endpoint = stringFlag(values, 'otlp-endpoint');
  const fromEnv = otlpOptionsFromEnv(env, 'flusso');
  const options = endpoint ? { endpoint, serviceName: fromEnv?.serviceName ?? 'flusso' } : fromEnv;
  if (!options) return { observers: [], close: async () => undefined };
  const exporter = new OtlpExporter({
    ...options,
    onExportError: (message) => log.warn({ err: message }, 'trace export failed; spans dropped'),
  });
  return { observers: [traceObserver(exporter, () => status)], close: () => exporter.close() };
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, runFlags, io.env);
  const lock = await loadLock(values, io);
  const log = createLogger({ level: stringFlag(values, 'log-level') ?? 'info' });
  if (lock.config.pipeline.mode === 'kafka') {
    // Loaded only here: kafkajs and the Kafka sinks stay out of an ordinary run.
    const { kafkaRoleOf, runKafkaMode } = await import('../kafka-mode/run-kafka-mode.js');
    return runKafkaMode({
      lock,
      role: kafkaRoleOf(stringFlag(values, 'role')),
      io,
      log,
      slot: stringFlag(values, 'slot') ?? DEFAULT_SLOT,
      publication: stringFlag(values, 'publication') ?? DEFAULT_PUBLICATION,
      skipBackfill: values['skip-backfill'] === true,
      values,
    });
  }
  const metrics = createMetrics();
  const status = new Status(enabledIndexes(lock), systemClock);
  let running: RunningDaemon | null = null;
  const surfaces = await serveSurfaces({
    values,
    lock,
    status,
    registry: metrics.registry,
    log,
    io,
    reindex: (index) => running?.reindex(index) ?? null,
  });
  const traces = tracing(values, status, log, io.env);
  const observers = [
    metrics.observer,
    logObserver(log, () => status, process.stderr.isTTY ? process.stderr : null),
    ...traces.observers,
    heapAfterBackfill(),
    youngGenerationOnLive(),
  ];
  const backends = new ConcreteBackends(io.env, log);
  try {
    // Backoff grows while failures follow each other, and starts over once a run
    // has held for longer than the longest delay.
    let attempt = 0;
    while (!io.shutdown.aborted) {
      const startedAt = Date.now();
      const daemon = new Daemon(lock, backends, daemonOptions(values, status, observers));
      try {
        running = await daemon.start();
        await running.run(io.shutdown);
        return 0;
      } catch (error) {
        running = null;
        if (io.shutdown.aborted) return 0;
        if (!retryable(error)) throw error;
        if (Date.now() - startedAt >= RESTART_BACKOFF.maxMs) attempt = 0;
        const delay = backoffDelay(RESTART_BACKOFF, attempt);
        attempt += 1;
        log.warn(
          { err: describeError(error), delayMs: delay },
          'pipeline stopped on a transient failure; restarting',
        );
        await systemClock.sleep(delay, io.shutdown).catch(() => undefined);
      }
    }
    return 0;
  } finally {
    await surfaces.close();
    await traces.close();
    log.flush?.();
  }
}

// `flusso run`: compile (or read the lock), serve the HTTP surfaces, and run the
// daemon until SIGINT/SIGTERM. Transient failures restart the pipeline in-process
// with backoff, keeping one Status; anything else exits non-zero.
import { resolve } from 'node:path';
import { backoffDelay, describeError, FlussoError, isFlussoError, systemClock } from '@flusso/core';
import {
  compileConfig,
  Daemon,
  enabledIndexes,
  type FlussoLock,
  type RunningDaemon,
  readLock,
  Status,
} from '@flusso/daemon';
import { isTransientPgError } from '@flusso/sources';
import { ConcreteBackends } from '../backends.js';
import { type FlagValues, parseFlags, stringFlag } from '../cli/flags.js';
import type { CliIo } from '../cli/io.js';
import { privateSurface } from '../http/private-surface.js';
import { publicSurface } from '../http/public-surface.js';
import { bind, parseAddress } from '../http/serve.js';
import { logObserver } from '../telemetry/log-observer.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';

export const runFlags = {
  config: { type: 'string', short: 'c' },
  lock: { type: 'string' },
  'skip-backfill': { type: 'boolean', default: false },
  slot: { type: 'string', default: 'flusso' },
  publication: { type: 'string', default: 'flusso' },
  'manage-publication': { type: 'string' },
  'public-address': { type: 'string' },
  'private-address': { type: 'string' },
  'admin-user': { type: 'string', default: 'admin' },
  'admin-password': { type: 'string' },
  'index-prefix': { type: 'string' },
  'lag-poll-secs': { type: 'string', default: '15' },
  'queue-capacity': { type: 'string' },
  pretty: { type: 'boolean', default: false },
  'log-level': { type: 'string', default: 'info' },
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
  if (isFlussoError(error)) return error.retryable && error.code !== 'shutdown';
  return isTransientPgError(error);
}

const DEFAULT_ADMIN_PASSWORD = 'flusso';

// The private surface can rebuild indexes: with the documented default password it
// may only listen where nobody else can reach it.
function refuseDefaultPasswordBeyondLoopback(address: string, password: string): void {
  const { host } = parseAddress(address);
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (password === DEFAULT_ADMIN_PASSWORD && !loopback) {
    throw new FlussoError(
      'config_invalid',
      `private_address: ${address} is reachable beyond this host; set --admin-password (FLUSSO_ADMIN_PASSWORD) first`,
    );
  }
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, runFlags, io.env);
  const lock = await loadLock(values, io);
  const log = createLogger({ level: stringFlag(values, 'log-level') ?? 'info' });
  const metrics = createMetrics();
  const status = new Status(enabledIndexes(lock), systemClock);
  let running: RunningDaemon | null = null;
  const server = lock.config.server;
  const privateAddress = stringFlag(values, 'private-address') ?? server.private_address ?? '127.0.0.1:9465';
  const password = stringFlag(values, 'admin-password') ?? DEFAULT_ADMIN_PASSWORD;
  refuseDefaultPasswordBeyondLoopback(privateAddress, password);
  const publicServer = await bind(
    publicSurface(() => status, metrics.registry),
    stringFlag(values, 'public-address') ?? server.public_address ?? '127.0.0.1:9464',
  );
  const privateServer = await bind(
    privateSurface(
      { status: () => status, reindex: (index) => running?.reindex(index) ?? null },
      { user: stringFlag(values, 'admin-user') ?? 'admin', password },
    ),
    privateAddress,
  );
  log.info({ public: publicServer.url, private: privateServer.url }, 'http surfaces listening');
  const managed = stringFlag(values, 'manage-publication');
  const backends = new ConcreteBackends(io.env, log);
  try {
    // Backoff grows while failures follow each other, and starts over once a run
    // has held for longer than the longest delay.
    let attempt = 0;
    while (!io.shutdown.aborted) {
      const startedAt = Date.now();
      const daemon = new Daemon(lock, backends, {
        slot: stringFlag(values, 'slot') ?? 'flusso',
        publication: stringFlag(values, 'publication') ?? 'flusso',
        ...(managed === undefined ? {} : { managePublication: /^(1|true|yes|on)$/i.test(managed) }),
        skipBackfill: values['skip-backfill'] === true,
        pretty: values.pretty === true,
        lagPollIntervalMs: Number(stringFlag(values, 'lag-poll-secs') ?? '15') * 1000,
        ...(stringFlag(values, 'queue-capacity')
          ? { queueCapacity: Number(stringFlag(values, 'queue-capacity')) }
          : {}),
        status,
        observers: [
          metrics.observer,
          logObserver(log, () => status, process.stderr.isTTY ? process.stderr : null),
        ],
      });
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
    await publicServer.close();
    await privateServer.close();
    log.flush?.();
  }
}

// Binds the public surface (with the status page) and the private one, for both
// pipeline modes: one process (`commands/run.ts`) and Kafka mode (`kafka-mode/`).
import type { IndexName } from '@flusso/core';
import { FlussoError } from '@flusso/core';
import type { FlussoLock, Status } from '@flusso/daemon';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_USER } from '../cli/defaults.js';
import { type FlagValues, stringFlag } from '../cli/flags.js';
import type { CliIo } from '../cli/io.js';
import { openDeadLetterService } from '../dead-letters/dead-letter-service.js';
import { privateSurface } from './private-surface.js';
import { publicSurface } from './public-surface.js';
import { bind, parseAddress } from './serve.js';
import { StatusHistory, sampleEvery } from './status-page/status-history.js';

// The private surface can rebuild indexes: with the documented default password it
// may only listen where nobody else can reach it.
function refuseDefaultPasswordBeyondLoopback(address: string, password: string): void {
  const { host } = parseAddress(address, 'private_address');
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (password === DEFAULT_ADMIN_PASSWORD && !loopback) {
    throw new FlussoError(
      'config_invalid',
      `private_address: ${address} is reachable beyond this host; set --admin-password (FLUSSO_ADMIN_PASSWORD) first`,
    );
  }
}

export interface SurfaceParts {
  readonly values: FlagValues;
  readonly lock: FlussoLock;
  readonly status: Status;
  readonly registry: Registry;
  readonly log: Logger;
  readonly io: CliIo;
  /** Starts a reindex; null when the pipeline is not running (or cannot reindex). */
  readonly reindex: (index: IndexName) => Promise<void> | null;
  /** Fields added to `/status` beside the Status snapshot (Kafka mode: role, offsets, LSNs). */
  readonly details?: () => Readonly<Record<string, unknown>>;
}

export interface Surfaces {
  close(): Promise<void>;
}

/** Bind the public surface (with the status page) and the private one; `close` stops both. */
export async function serveSurfaces(p: SurfaceParts): Promise<Surfaces> {
  const { values, status, lock, log } = p;
  const server = lock.config.server;
  const privateAddress = stringFlag(values, 'private-address') ?? server.private_address ?? '127.0.0.1:9465';
  const password = stringFlag(values, 'admin-password') ?? DEFAULT_ADMIN_PASSWORD;
  refuseDefaultPasswordBeyondLoopback(privateAddress, password);
  const history = new StatusHistory(() => status);
  const stopSampling = sampleEvery(history);
  const publicServer = await bind(
    publicSurface(() => status, p.registry, history, p.details),
    stringFlag(values, 'public-address') ?? server.public_address ?? '127.0.0.1:9464',
  );
  const privateServer = await bind(
    privateSurface(
      { status: () => status, reindex: p.reindex },
      { user: stringFlag(values, 'admin-user') ?? DEFAULT_ADMIN_USER, password },
      () => openDeadLetterService(lock, p.io.env, log),
    ),
    privateAddress,
  ).catch(async (error: unknown) => {
    await publicServer.close();
    throw error;
  });
  log.info({ public: publicServer.url, private: privateServer.url }, 'http surfaces listening');
  return {
    close: async () => {
      stopSampling();
      await publicServer.close();
      await privateServer.close();
    },
  };
}

// Holds tenant traffic until the tenancy index is known to be safe (see
// ensure-index.ts). Checked once at start; when the cluster was unreachable then,
// the first tenant request checks again (one check shared by concurrent
// requests, at most once a second) and is refused with a retryable error until
// a check succeeds. Once ready, callers test `ready` and skip `admit` entirely.
import { FlussoError } from '@flusso/core';
import { endpoints, ProxyError, type Route } from '@flusso/proxy';
import type { Logger } from 'pino';
import type { TenancyIndexCheck } from './ensure-index.js';

const RECHECK_MS = 1_000;

export class TenancyGate {
  #last: TenancyIndexCheck = { state: 'unreachable', code: 'upstream_failed' };
  #lastAt = Number.NEGATIVE_INFINITY;
  #running: Promise<TenancyIndexCheck> | undefined;

  constructor(
    private readonly check: () => Promise<TenancyIndexCheck>,
    private readonly logger: Logger,
  ) {}

  /** Whether tenant traffic passes without a check. */
  get ready(): boolean {
    return this.#last.state === 'ready';
  }

  /** The check at start; a misconfigured index is an error the operator must fix. */
  async start(): Promise<void> {
    const result = await this.run();
    if (result.state === 'misconfigured') {
      throw new FlussoError('config_invalid', `index: ${result.reason}; tenant filters would not be exact`);
    }
    if (result.state === 'unreachable') {
      this.logger.warn('the cluster is unreachable: tenant requests wait until the shared index is checked');
    }
  }

  /** Resolves once tenant traffic may pass; otherwise throws a retryable error. */
  async admit(): Promise<void> {
    if (this.ready) return;
    const result =
      this.#running ?? (Date.now() - this.#lastAt >= RECHECK_MS ? this.run() : Promise.resolve(this.#last));
    const checked = await result;
    if (checked.state === 'ready') return;
    if (checked.state === 'unreachable') {
      // What the request itself would have met: a timeout or a failed connection.
      throw new ProxyError(checked.code, 'the cluster did not answer; the shared index is not checked yet');
    }
    throw new ProxyError('placement_backend_unavailable', 'the shared index is not safe for tenant traffic');
  }

  private run(): Promise<TenancyIndexCheck> {
    const checked = this.check().catch(
      (): TenancyIndexCheck => ({ state: 'unreachable', code: 'upstream_failed' }),
    );
    this.#running = checked.then((result) => {
      this.#running = undefined;
      this.#last = result;
      this.#lastAt = Date.now();
      if (result.state === 'ready') this.logger.info('shared index checked: tenancy fields are keyword');
      else if (result.state === 'misconfigured')
        this.logger.error({ reason: result.reason }, 'shared index is not safe');
      return result;
    });
    return this.#running;
  }
}

/** Whether `route` must pass `gate.admit()` first: a tenancy row (endpoint table) while the gate is not ready. */
export function holdsForTenancy(gate: Pick<TenancyGate, 'ready'>, route: Route): boolean {
  return !gate.ready && endpoints[route.kind].tenancy;
}

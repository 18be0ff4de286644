// The health of each role a Kafka-mode process runs. A role that failed is restarted
// in this process with backoff (run-kafka-mode's supervisor); while any role is
// down the process reports `phase: stopped` (and /readyz 503), whatever the other
// role does, and once every role runs again the phase returns. `/status` lists each
// role's state, restarts and last error, so an operator sees which half is down.
import type { KafkaRole } from './kafka-status.js';

export type RoleName = Exclude<KafkaRole, 'all'>;
export type RoleState = 'starting' | 'running' | 'restarting';

/** One role in `/status` (`roles.capture`, `roles.worker`). */
export interface RoleHealthDetails {
  readonly state: RoleState;
  /** Failures this process restarted the role after. */
  readonly restarts: number;
  /** The error code of its last failure; null before any. */
  readonly last_error: string | null;
}

interface MutableHealth {
  state: RoleState;
  restarts: number;
  lastError: string | null;
}

export class RoleHealth {
  private readonly roles = new Map<RoleName, MutableHealth>();

  constructor(role: KafkaRole) {
    const names: RoleName[] = role === 'all' ? ['capture', 'worker'] : [role];
    for (const name of names) this.roles.set(name, { state: 'starting', restarts: 0, lastError: null });
  }

  failed(role: RoleName, code: string): void {
    const health = this.roles.get(role);
    if (!health) return;
    health.state = 'restarting';
    health.restarts += 1;
    health.lastError = code;
  }

  running(role: RoleName): void {
    const health = this.roles.get(role);
    if (health) health.state = 'running';
  }

  /** A role failed and has not run again since. */
  get anyDown(): boolean {
    return [...this.roles.values()].some((h) => h.state === 'restarting');
  }

  details(): Readonly<Partial<Record<RoleName, RoleHealthDetails>>> {
    const out: Partial<Record<RoleName, RoleHealthDetails>> = {};
    for (const [name, h] of this.roles)
      out[name] = { state: h.state, restarts: h.restarts, last_error: h.lastError };
    return out;
  }
}

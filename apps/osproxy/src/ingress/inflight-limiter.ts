// The in-flight byte budget: request body bytes held at once, globally and per
// tenant, charged as they arrive (never from a declared content-length). Past
// either cap the request is refused (429, retry-after), so one tenant filling its
// share leaves every other tenant served.
export interface InflightLimits {
  /** All requests together. */
  readonly maxBytes: number;
  /** One tenant's requests together. */
  readonly maxBytesPerTenant: number;
}

/** One request's hold on the budget; `release` returns everything it charged. */
export interface Reservation {
  /** Charge `bytes` more; false (nothing charged) when a cap would be passed. */
  charge(bytes: number): boolean;
  release(): void;
}

/** Tenants with nothing in flight whose (zero) entries are kept, at most. */
const IDLE_TENANTS_KEPT = 1024;

export class InflightLimiter {
  readonly #limits: InflightLimits;
  #total = 0;
  readonly #byTenant = new Map<string, number>();

  constructor(limits: InflightLimits) {
    this.#limits = limits;
  }

  /** A reservation charged to `tenant` (a tenant id, or a principal's own key). */
  open(tenant: string): Reservation {
    return new TenantReservation(this, tenant);
  }

  /** Charge `bytes` more to `tenant`, whose reservation holds `held`; false (nothing charged) past a cap. */
  charge(tenant: string, held: number, bytes: number): boolean {
    const mine = this.#byTenant.get(tenant) ?? 0;
    // A request holding every byte in flight (globally, or of its tenant) always fits.
    const globalOk = this.#total === held || this.#total + bytes <= this.#limits.maxBytes;
    const tenantOk = mine === held || mine + bytes <= this.#limits.maxBytesPerTenant;
    if (!globalOk || !tenantOk) return false;
    this.#total += bytes;
    this.#byTenant.set(tenant, mine + bytes);
    return true;
  }

  /** Returns `held` bytes of `tenant`'s. */
  release(tenant: string, held: number): void {
    this.#total -= held;
    const left = (this.#byTenant.get(tenant) ?? 0) - held;
    // A tenant at zero keeps its entry while the map is small: deleting it and adding it back
    // on its next request left the map's table to be rebuilt again and again.
    if (left > 0 || this.#byTenant.size <= IDLE_TENANTS_KEPT) this.#byTenant.set(tenant, Math.max(left, 0));
    else this.#byTenant.delete(tenant);
  }

  /** Bytes in flight, all tenants. */
  get bytes(): number {
    return this.#total;
  }

  /** Bytes in flight for one tenant. */
  bytesOf(tenant: string): number {
    return this.#byTenant.get(tenant) ?? 0;
  }
}

/** One request's hold: an object of its own, not a pair of closures a request. */
class TenantReservation implements Reservation {
  #held = 0;

  constructor(
    private readonly limiter: InflightLimiter,
    private readonly tenant: string,
  ) {}

  charge(bytes: number): boolean {
    if (!this.limiter.charge(this.tenant, this.#held, bytes)) return false;
    this.#held += bytes;
    return true;
  }

  release(): void {
    if (this.#held === 0) return;
    this.limiter.release(this.tenant, this.#held);
    this.#held = 0;
  }
}

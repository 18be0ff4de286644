// The explain log behind both views: keyed by the proxy-minted request id, each
// record attributed to the principal that made the request (and the client's
// correlation id). Operators (admin listener) see whole records; a principal on
// the tenant port sees only its own requests, without cluster or physical index.
import type { ExplainObserver, ExplainRecord } from '@flusso/proxy';

export interface Attribution {
  /** Principal name; absent in open dev mode. */
  readonly principal?: string;
  /** The tenant the principal is bound to, if any. */
  readonly tenant?: string;
  /** The client's `x-request-id`, a correlation field only. */
  readonly correlationId?: string;
}

export type OperatorExplain = ExplainRecord & Attribution;

/** What a principal sees of its own request: no physical names, no cluster. */
export type TenantExplain = Omit<ExplainRecord, 'physicalIndex' | 'cluster'> & {
  readonly correlationId?: string;
};

const NOBODY: Attribution = {};

/**
 * The last `capacity` records in a ring: a request writes its slot and nothing else
 * (no map entry made and dropped per request: that churn rebuilt the maps' tables,
 * garbage kept long enough to reach the old generation). Lookups, which are rare
 * (an operator or a principal asking), scan the ring from the newest record back.
 */
export class ExplainStore implements ExplainObserver {
  readonly #capacity: number;
  readonly #records: (ExplainRecord | undefined)[];
  readonly #attributions: (Attribution | undefined)[];
  /** The slot the next record goes to. */
  #next = 0;
  /** Attributions given before their record arrived (the handler gives them after; tests before). */
  readonly #early = new Map<string, Attribution>();

  constructor(capacity = 1024) {
    this.#capacity = capacity;
    this.#records = new Array<ExplainRecord | undefined>(capacity).fill(undefined);
    this.#attributions = new Array<Attribution | undefined>(capacity).fill(undefined);
  }

  /**
   * Who made request `requestId`. Called once the pipeline has recorded it (the
   * handler does so before the response is written, so no one can ask for it
   * first); an attribution that comes before its record is kept until the record arrives.
   */
  attribute(requestId: string, attribution: Attribution): void {
    const slot = this.#slotOf(requestId);
    if (slot >= 0) this.#attributions[slot] = attribution;
    else this.#early.set(requestId, attribution);
  }

  /** Drops an early attribution whose request produced no record. */
  settle(requestId: string): void {
    if (this.#early.size > 0) this.#early.delete(requestId);
  }

  onExplain(record: ExplainRecord): void {
    let attribution: Attribution | undefined;
    if (this.#early.size > 0) {
      attribution = this.#early.get(record.requestId);
      if (attribution !== undefined) this.#early.delete(record.requestId);
    }
    const slot = this.#next;
    this.#records[slot] = record;
    this.#attributions[slot] = attribution;
    this.#next = slot + 1 === this.#capacity ? 0 : slot + 1;
  }

  /** The slot holding `requestId`'s record (newest first), or -1. */
  #slotOf(requestId: string): number {
    let slot = this.#next;
    for (let n = 0; n < this.#capacity; n++) {
      slot = slot === 0 ? this.#capacity - 1 : slot - 1;
      const record = this.#records[slot];
      if (record === undefined) return -1;
      if (record.requestId === requestId) return slot;
    }
    return -1;
  }

  /** The whole record, for operators on the admin listener. */
  forOperator(requestId: string): OperatorExplain | undefined {
    const slot = this.#slotOf(requestId);
    if (slot < 0) return undefined;
    return { ...(this.#records[slot] as ExplainRecord), ...(this.#attributions[slot] ?? NOBODY) };
  }

  /** The caller's own record without physical names; undefined for anyone else's. */
  forPrincipal(requestId: string, principal: string, tenant: string | undefined): TenantExplain | undefined {
    const record = this.forOperator(requestId);
    if (record === undefined || record.principal !== principal || record.tenant !== tenant) return undefined;
    const {
      physicalIndex: _physical,
      cluster: _cluster,
      principal: _principal,
      tenant: _tenant,
      ...visible
    } = record;
    return visible;
  }
}

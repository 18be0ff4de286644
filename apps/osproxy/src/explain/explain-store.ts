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

/** A kept record and who made it; merged only when someone asks (rarely), not per request. */
interface Kept {
  readonly record: ExplainRecord;
  readonly attribution: Attribution | undefined;
}

const NOBODY: Attribution = {};

export class ExplainStore implements ExplainObserver {
  readonly #capacity: number;
  readonly #pending = new Map<string, Attribution>();
  readonly #records = new Map<string, Kept>();

  constructor(capacity = 1024) {
    this.#capacity = capacity;
  }

  /** Called before the pipeline runs, so its record is attributed when it arrives. */
  attribute(requestId: string, attribution: Attribution): void {
    this.#pending.set(requestId, attribution);
  }

  /** Drops an attribution whose request produced no record. */
  settle(requestId: string): void {
    this.#pending.delete(requestId);
  }

  onExplain(record: ExplainRecord): void {
    const attribution = this.#pending.get(record.requestId);
    if (attribution !== undefined) this.#pending.delete(record.requestId);
    this.#records.delete(record.requestId);
    this.#records.set(record.requestId, { record, attribution });
    if (this.#records.size > this.#capacity) {
      const oldest = this.#records.keys().next().value;
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  /** The whole record, for operators on the admin listener. */
  forOperator(requestId: string): OperatorExplain | undefined {
    const kept = this.#records.get(requestId);
    return kept === undefined ? undefined : { ...kept.record, ...(kept.attribution ?? NOBODY) };
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

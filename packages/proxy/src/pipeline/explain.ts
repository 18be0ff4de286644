// The shape-only decision trace of one request: kinds, ids, names and counts —
// never document values, query literals or tokens.
import type { Phase, PlacementMode } from '@flusso/core';
import type { EndpointKind } from '../endpoints/endpoint-kind.js';
import type { AnswerCode } from '../request/request-status.js';

export interface ExplainRecord {
  readonly requestId: string;
  readonly endpointKind: EndpointKind;
  readonly status: number;
  readonly errorCode?: AnswerCode;
  readonly partition?: string;
  readonly placementMode?: PlacementMode;
  readonly cluster?: string;
  readonly physicalIndex?: string;
  readonly epoch?: number;
  readonly phase?: Phase;
  readonly upstreamCalls: number;
  readonly items?: number;
  readonly itemErrors?: number;
  readonly droppedHits?: number;
  /** The write went to the write queue rather than the cluster. */
  readonly queued?: boolean;
}

/** A record under construction; handlers fill it as they decide. */
export type ExplainDraft = { -readonly [K in keyof ExplainRecord]: ExplainRecord[K] };

export interface ExplainObserver {
  onExplain(record: ExplainRecord): void;
}

/** Keeps the last `capacity` records by request id, for `GET /_osproxy/explain/{id}`. */
export class ExplainLog implements ExplainObserver {
  readonly #capacity: number;
  readonly #records = new Map<string, ExplainRecord>();

  constructor(capacity = 1024) {
    this.#capacity = capacity;
  }

  onExplain(record: ExplainRecord): void {
    this.#records.delete(record.requestId);
    this.#records.set(record.requestId, record);
    if (this.#records.size > this.#capacity) {
      const oldest = this.#records.keys().next().value;
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  get(requestId: string): ExplainRecord | undefined {
    return this.#records.get(requestId);
  }
}

// What every API handler gets: the request body reader, its version, the
// broker's state and its connection's state. A handler returns the response
// body, or null for no response (Produce with acks = 0).
import type { GroupCoordinator } from '../group/coordinator.js';
import type { LogStore } from '../log-store.js';
import type { Reader } from '../protocol/primitives.js';
import type { SaslSession } from '../sasl/session.js';

export interface BrokerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface Faults {
  /** When set, every Produce partition is answered with this error code and nothing is stored. */
  produceError: number | null;
  /** Produces still to be stored and then left unanswered, their connection dropped (a lost ack). */
  lostProduceAcks: number;
  /** When set, every Fetch partition is answered with this error code and no records. */
  fetchError: number | null;
}

export interface BrokerContext {
  readonly store: LogStore;
  readonly groups: GroupCoordinator;
  readonly broker: BrokerInfo;
  readonly faults: Faults;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly clusterId: string;
  readonly apis: readonly ApiVersionRange[];
  /** True once the server is shutting down (ends long polls). */
  closed(): boolean;
}

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** State of the one client connection a request came on. */
export interface ConnectionContext {
  /** Its SASL state; null when the broker has no SASL. */
  readonly sasl: SaslSession | null;
  /** The client's address, as DescribeGroups reports it (`/127.0.0.1`). */
  readonly clientHost: string;
  /** Close the connection once this response is written (Kafka does after a failed authentication). */
  closeAfterResponse(): void;
  /** Close the connection now, without answering this request. */
  drop(): void;
}

export type Handler = (
  body: Reader,
  header: RequestHeader,
  ctx: BrokerContext,
  connection: ConnectionContext,
) => Buffer | null | Promise<Buffer | null>;

export interface Api extends ApiVersionRange {
  readonly name: string;
  readonly handle: Handler;
}

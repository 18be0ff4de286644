// What a client request is, after classification: one kind per row of the
// endpoint table, and the route a kind's handler takes.
import type { RouteOf } from './endpoint.js';
import type { EndpointTable } from './table.js';

/** IngestDoc, GetById, DeleteById, UpdateById, IngestBulk, MultiGet, MultiSearch, Search, Count, DeleteByQuery, Cursor, Admin, Passthrough, Unknown. */
export type EndpointKind = keyof EndpointTable;

/** A classified request: its endpoint kind plus the path parts its handler needs. */
export type Route = RouteOf<EndpointTable[EndpointKind]>;

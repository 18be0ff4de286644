// The endpoint table: every endpoint osproxy knows, one row each. Classification,
// dispatch, the TLS gate, the tenancy-readiness gate and async-write eligibility
// all read it; adding an endpoint is one row here and one handler file.
import { bulk } from '../handlers/bulk.js';
import { cursor } from '../handlers/cursor.js';
import { deleteById, getById } from '../handlers/doc-read.js';
import { ingestDoc, updateById } from '../handlers/doc-write.js';
import { forwardAdmin } from '../handlers/forward.js';
import { multiGet } from '../handlers/mget.js';
import { multiSearch } from '../handlers/msearch.js';
import { queryIndex } from '../handlers/search.js';
import { unsupported } from '../handlers/unsupported.js';
import { endpoint } from './endpoint.js';

const singleDocWrite = { mutates: true, tenancy: true, asyncWrites: true } as const;
const write = { mutates: true, tenancy: true, asyncWrites: false } as const;
const read = { mutates: false, tenancy: true, asyncWrites: false } as const;
const untenanted = { mutates: false, tenancy: false, asyncWrites: false } as const;

/** Every endpoint by kind. Prefix routes are claimed first (admin before passthrough), then paths. */
export const endpoints = {
  IngestDoc: endpoint({
    handle: ingestDoc,
    ...singleDocWrite,
    routes: (on) => [
      on.path(['POST'], '/{index}/_doc', ({ index }) => ({ kind: 'IngestDoc', index, create: false })),
      on.path(['PUT', 'POST'], '/{index}/_doc/{id}', ({ index, id }, { query }) => ({
        kind: 'IngestDoc',
        index,
        id,
        create: query.op_type === 'create',
      })),
      on.path(['PUT', 'POST'], '/{index}/_create/{id}', ({ index, id }) => ({
        kind: 'IngestDoc',
        index,
        id,
        create: true,
      })),
    ],
  }),
  GetById: endpoint({
    handle: getById,
    ...read,
    routes: (on) => [
      on.path(['GET', 'HEAD'], '/{index}/_doc/{id}', ({ index, id }, { method }) => ({
        kind: 'GetById',
        index,
        id,
        head: method === 'HEAD',
      })),
    ],
  }),
  DeleteById: endpoint({
    handle: deleteById,
    ...singleDocWrite,
    routes: (on) => [
      on.path(['DELETE'], '/{index}/_doc/{id}', ({ index, id }) => ({ kind: 'DeleteById', index, id })),
    ],
  }),
  UpdateById: endpoint({
    handle: updateById,
    ...singleDocWrite,
    routes: (on) => [
      on.path(['POST'], '/{index}/_update/{id}', ({ index, id }) => ({ kind: 'UpdateById', index, id })),
    ],
  }),
  IngestBulk: endpoint({
    handle: bulk,
    ...write,
    routes: (on) => [
      on.path(['POST', 'PUT'], '/_bulk', () => ({ kind: 'IngestBulk' })),
      on.path(['POST', 'PUT'], '/{index}/_bulk', ({ index }) => ({ kind: 'IngestBulk', index })),
    ],
  }),
  MultiGet: endpoint({
    handle: multiGet,
    ...read,
    routes: (on) => [
      on.path(['GET', 'POST'], '/_mget', () => ({ kind: 'MultiGet' })),
      on.path(['GET', 'POST'], '/{index}/_mget', ({ index }) => ({ kind: 'MultiGet', index })),
    ],
  }),
  MultiSearch: endpoint({
    handle: multiSearch,
    ...read,
    routes: (on) => [
      on.path(['GET', 'POST'], '/_msearch', () => ({ kind: 'MultiSearch' })),
      on.path(['GET', 'POST'], '/{index}/_msearch', ({ index }) => ({ kind: 'MultiSearch', index })),
    ],
  }),
  Search: endpoint({
    handle: queryIndex,
    ...read,
    routes: (on) => [
      on.path(['GET', 'POST'], '/{index}/_search', ({ index }) => ({ kind: 'Search', index })),
    ],
  }),
  Count: endpoint({
    handle: queryIndex,
    ...read,
    routes: (on) => [on.path(['GET', 'POST'], '/{index}/_count', ({ index }) => ({ kind: 'Count', index }))],
  }),
  DeleteByQuery: endpoint({
    handle: queryIndex,
    ...write,
    routes: (on) => [
      on.path(['POST'], '/{index}/_delete_by_query', ({ index }) => ({ kind: 'DeleteByQuery', index })),
    ],
  }),
  Cursor: endpoint({
    handle: cursor,
    ...read,
    routes: (on) => [
      on.path(['POST'], '/{index}/_search/point_in_time', ({ index }) => ({
        kind: 'Cursor',
        action: 'pit_open',
        index,
      })),
      on.path(['GET', 'POST'], '/_search', () => ({ kind: 'Cursor', action: 'pit_search' })),
      on.path(['DELETE'], '/_search/point_in_time', () => ({ kind: 'Cursor', action: 'pit_close' })),
      on.path(['GET', 'POST'], '/_search/scroll', () => ({ kind: 'Cursor', action: 'scroll' })),
      on.path(['GET', 'POST'], '/_search/scroll/{cursor}', ({ cursor }) => ({
        kind: 'Cursor',
        action: 'scroll',
        pathCursor: cursor,
      })),
      on.path(['DELETE'], '/_search/scroll', () => ({ kind: 'Cursor', action: 'scroll_clear' })),
      on.path(['DELETE'], '/_search/scroll/{cursor}', ({ cursor }) => ({
        kind: 'Cursor',
        action: 'scroll_clear',
        pathCursor: cursor,
      })),
    ],
  }),
  Admin: endpoint({
    handle: forwardAdmin,
    ...untenanted,
    routes: (on) => [on.prefixed('admin', () => ({ kind: 'Admin' }))],
  }),
  // Served by the server's streamed forward (after `checkPassthrough`); the pipeline refuses it.
  Passthrough: endpoint({
    handle: unsupported,
    ...untenanted,
    routes: (on) => [on.prefixed('passthrough', (segments) => ({ kind: 'Passthrough', segments }))],
  }),
  Unknown: endpoint({ handle: unsupported, ...untenanted, routes: () => [] }),
} as const;

/** The endpoint table's type: one row per `EndpointKind`. */
export type EndpointTable = typeof endpoints;

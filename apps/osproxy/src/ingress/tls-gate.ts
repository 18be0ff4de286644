// The cleartext gate: over plain HTTP, requests that change tenant data are
// refused unless the operator opted in (a dev or test harness on loopback).
import { FlussoError } from '@flusso/core';
import type { Route } from '@flusso/proxy';

const MUTATIONS = new Set<Route['kind']>([
  'IngestDoc',
  'UpdateById',
  'DeleteById',
  'IngestBulk',
  'DeleteByQuery',
]);

export function checkCleartext(route: Route, secure: boolean, allowCleartextMutation: boolean): void {
  if (secure || allowCleartextMutation || !MUTATIONS.has(route.kind)) return;
  throw new FlussoError('tls_required', 'mutations need TLS (or allow_cleartext_mutation)', {
    context: { kind: route.kind },
  });
}

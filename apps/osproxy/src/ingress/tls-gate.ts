// The cleartext gate: over plain HTTP, requests that change tenant data (rows of
// the endpoint table marked `mutates`) are refused unless the operator opted in
// (a dev or test harness on loopback).
import { endpoints, ProxyError, type Route } from '@flusso/proxy';

export function checkCleartext(route: Route, secure: boolean, allowCleartextMutation: boolean): void {
  if (secure || allowCleartextMutation || !endpoints[route.kind].mutates) return;
  throw new ProxyError('tls_required', 'mutations need TLS (or allow_cleartext_mutation)', {
    context: { kind: route.kind },
  });
}

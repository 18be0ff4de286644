// Which client headers reach the cluster: an allowlist. Only what OpenSearch
// needs to read the body and shape the reply, plus operator-configured names;
// identity, credential and tenancy headers (`authorization`, `cookie`,
// `x-proxy-*`, `x-forwarded-*`, `securitytenant`, ...) can never be allowed.
// Trace headers and the request id are rendered by the upstream from the op.
import { FlussoError } from '@flusso/core';

/** Always forwarded (when the client sent them). */
const BASE = ['content-type', 'accept', 'x-opaque-id'] as const;

/** Never forwarded, whatever is configured: the cluster trusts these for identity, or they frame the hop. */
const NEVER = new Set([
  'authorization',
  'cookie',
  'securitytenant',
  'forwarded',
  'x-tenant',
  'x-write-mode',
  'x-op-id',
  'x-request-id',
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-encoding',
  'expect',
  'traceparent',
  'tracestate',
  'b3',
]);
const NEVER_PREFIXES = ['x-proxy-', 'x-forwarded-', 'proxy-', 'x-b3-', 'x-amz-', ':'];

function forbidden(name: string): boolean {
  return NEVER.has(name) || NEVER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The configured extra header names, lower-cased; throws `config_invalid` for one that may never be forwarded. */
export function headerAllowlist(configured: readonly string[]): ReadonlySet<string> {
  const allow = new Set<string>(BASE);
  for (const raw of configured) {
    const name = raw.trim().toLowerCase();
    if (forbidden(name) || name === 'accept-encoding' || !/^[a-z0-9-]+$/.test(name)) {
      throw new FlussoError('config_invalid', `forward_header_allow: ${name} may never be forwarded`);
    }
    allow.add(name);
  }
  return allow;
}

/**
 * The client headers to relay: those in `allow`, plus `accept-encoding` when the
 * reply goes back untouched (`untouched`: the proxy neither reads nor rewrites it).
 */
export function forwardHeaders(
  headers: Readonly<Record<string, string>>,
  allow: ReadonlySet<string>,
  untouched = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if ((allow.has(lower) && !forbidden(lower)) || (untouched && lower === 'accept-encoding')) {
      out[lower] = value;
    }
  }
  return out;
}

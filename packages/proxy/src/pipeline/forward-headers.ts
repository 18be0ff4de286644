// Which client headers reach the cluster: an allowlist. Only what OpenSearch
// needs to read the body and shape the reply, plus operator-configured names;
// identity, credential and tenancy headers (`authorization`, `cookie`,
// `x-proxy-*`, `x-forwarded-*`, `securitytenant`, ...) can never be allowed.
// Trace headers and the request id are rendered by the upstream from the op.
// On tenancy endpoints the proxy reads every body and reply as JSON, so the
// client's `content-type` and `accept` are not relayed there: the cluster is told
// what the proxy sends (JSON or NDJSON) and answers JSON, never YAML, CBOR or SMILE.
import { FlussoError } from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';

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
  except?: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  // Name by name (no array of pairs a request).
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (except?.has(lower)) continue;
    if ((allow.has(lower) && !forbidden(lower)) || (untouched && lower === 'accept-encoding')) {
      out[lower] = headers[name] as string;
    }
  }
  return out;
}

/** What the proxy reads and writes on tenancy endpoints: the cluster is told so by the upstream's default. */
const DECLARED_BY_PROXY: ReadonlySet<string> = new Set(['content-type', 'accept']);

/**
 * The client headers to relay on a tenancy endpoint: as `forwardHeaders`, without
 * `content-type` and `accept`. The proxy read the body as JSON and reads the reply
 * as JSON; relaying `application/yaml` would have the cluster parse the spliced
 * JSON text as YAML (other values, other numbers), and `application/cbor` would have
 * it answer in a format the proxy cannot reshape.
 */
export function tenancyHeaders(
  headers: Readonly<Record<string, string>>,
  allow: ReadonlySet<string>,
): Record<string, string> {
  // Skipped while copying, not deleted after: a delete turns the object into a slow dictionary.
  return forwardHeaders(headers, allow, false, DECLARED_BY_PROXY);
}

// OpenSearch's other body formats: a body declared as one of them is not the JSON the proxy reads.
let lastAccepted: string | undefined;
const OTHER_FORMATS = /(?:^|[/+.-])(?:x-)?(?:yaml|cbor|smile|jackson-smile)(?:$|[+;\s])/;

/**
 * Refuses (415 `unsupported_media_type`) a body declared YAML, CBOR or SMILE: the
 * proxy screens and rewrites bodies as JSON, so one the cluster would read in another
 * format would not be the body the grammar saw.
 */
export function checkBodyFormat(headers: Readonly<Record<string, string>>, hasBody: boolean): void {
  if (!hasBody) return;
  let declared: string | undefined;
  for (const name of Object.keys(headers))
    if (name.toLowerCase() === 'content-type') declared = headers[name];
  if (declared === undefined || declared === lastAccepted) return;
  const mediaType = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!OTHER_FORMATS.test(mediaType)) {
    // Clients send one content type over and over: the last one accepted is not read again.
    lastAccepted = declared;
    return;
  }
  throw new ProxyError('unsupported_media_type', 'request bodies are JSON or NDJSON behind the proxy', {
    context: { rule: 'content_type' },
  });
}

// OpenSearch takes a read's body from the URL too: `?source=<body>&source_content_type=
// application/json` (for clients that cannot send a GET body). The proxy never
// forwards `source`, so dropping it would quietly answer another question (a search
// of everything the tenant has, a count of it); it is read as the body instead, and
// screened like one. A request with a body of its own keeps it, as OpenSearch does.
import type { EndpointKind } from '../endpoints/endpoint-kind.js';
import { ProxyError } from '../request/proxy-error.js';
import type { ProxyRequest } from '../request/proxy-request.js';

/** The endpoints whose body OpenSearch may take from `source`. */
const READS_SOURCE: ReadonlySet<EndpointKind> = new Set<EndpointKind>([
  'Search',
  'Count',
  'DeleteByQuery',
  'MultiGet',
  'MultiSearch',
  'Cursor',
]);

const JSON_TYPES = /^application\/(?:json|x-ndjson|[\w.+-]*\+json)$/;

function hasBody(body: ProxyRequest['body']): boolean {
  return body !== null && body.length > 0;
}

/** `request` with its `source` parameter as its body, where OpenSearch would read it so. */
export function withSourceParam(request: ProxyRequest, kind: EndpointKind): ProxyRequest {
  const source = request.query.source;
  if (source === undefined || hasBody(request.body) || !READS_SOURCE.has(kind)) return request;
  const type = request.query.source_content_type?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined) {
    throw new ProxyError('malformed_request', 'a source parameter needs source_content_type', {
      context: { param: 'source_content_type' },
    });
  }
  if (!JSON_TYPES.test(type)) {
    throw new ProxyError('unsupported_media_type', 'request bodies are JSON or NDJSON behind the proxy', {
      context: { rule: 'source_content_type' },
    });
  }
  return { ...request, body: source };
}

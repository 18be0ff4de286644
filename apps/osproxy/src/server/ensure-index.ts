// The shared index must map the injected fields as `keyword`: a dynamically
// mapped `text` field would tokenise tenant ids, and a `term` filter on `acme`
// would then match `acme-corp`'s documents (in counts and aggregations, which no
// per-hit check sees). So before tenant traffic the proxy makes sure of it:
// puts an index template mapping the fields as `keyword` (so an index a write
// re-creates is safe too), creates the index with them, adds them to an existing
// index that lacks them, and refuses an index that maps them otherwise.
import {
  type ClusterId,
  defaultIndexField,
  defaultTenantField,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  newTraceContext,
} from '@flusso/core';
import {
  answerError,
  decodeJsonResponse,
  isAnswerable,
  isProxyError,
  isSuccess,
  type RequestErrorCode,
} from '@flusso/proxy';
import type { Upstream, UpstreamOpBase } from '@flusso/sinks';

// The injected fields of osproxy's layout (`@flusso/core`, shared with flusso's osproxy sink layout).
const INJECTED_FIELDS = [defaultTenantField, defaultIndexField] as const;
const KEYWORD = { type: 'keyword' };

export type TenancyIndexCheck =
  | { readonly state: 'ready' }
  /** The cluster did not answer (`code`: upstream_timeout or upstream_failed); try again later. */
  | { readonly state: 'unreachable'; readonly code: RequestErrorCode }
  /** The cluster answered, but the index cannot be made safe (wrong mapping, no permission). */
  | { readonly state: 'misconfigured'; readonly reason: string };

function op(
  cluster: ClusterId,
  method: UpstreamOpBase['method'],
  path: string,
  body?: unknown,
): UpstreamOpBase {
  return {
    target: { cluster },
    method,
    path,
    query: {},
    body: body === undefined ? null : new TextEncoder().encode(JSON.stringify(body)),
    headers: { 'content-type': 'application/json' },
    trace: newTraceContext(),
    requestId: 'osproxy-tenancy-index',
  };
}

const asObject = (value: JsonValue | undefined): JsonObject => (isJsonObject(value) ? value : {});

/** Field name → mapped type (or 'object'), per concrete index of a `GET _mapping` reply. */
function injectedTypes(reply: JsonObject): Map<string, string>[] {
  return Object.values(reply).map((entry) => {
    const mappings = isJsonObject(entry) && isJsonObject(entry.mappings) ? entry.mappings : {};
    const properties = isJsonObject(mappings.properties) ? mappings.properties : {};
    const types = new Map<string, string>();
    for (const field of INJECTED_FIELDS) {
      const mapping = properties[field];
      if (isJsonObject(mapping)) types.set(field, typeof mapping.type === 'string' ? mapping.type : 'object');
    }
    return types;
  });
}

/** One check of the tenancy index; transport failures are `unreachable`, never thrown. */
export async function checkTenancyIndex(
  upstream: Upstream,
  cluster: ClusterId,
  template: string,
): Promise<TenancyIndexCheck> {
  const send = (method: UpstreamOpBase['method'], path: string, body?: unknown) =>
    upstream.forward({ ...op(cluster, method, path, body), kind: 'forward', action: 'admin' });
  const properties = Object.fromEntries(INJECTED_FIELDS.map((f) => [f, KEYWORD]));
  try {
    // An index template maps every index the name covers, including one a write
    // re-creates after somebody deleted it; for `{index}` names it is the only way.
    const pattern = template.replaceAll('{index}', '*').replaceAll('{partition}', '*');
    const templated = await send('PUT', `/_index_template/osproxy-tenancy-${pattern.replaceAll('*', '_')}`, {
      index_patterns: [pattern],
      priority: 100,
      template: { mappings: { properties } },
    });
    if (!isSuccess(templated.status)) {
      return { state: 'misconfigured', reason: `putting the index template answered ${templated.status}` };
    }
    if (pattern !== template) return { state: 'ready' };
    const path = `/${encodeURIComponent(template)}`;
    const head = await send('HEAD', path);
    if (head.status === 404) {
      const created = await send('PUT', path, { mappings: { properties } });
      // Another proxy may have created it first: then its mapping is checked below.
      if (!isSuccess(created.status) && created.status !== 400) {
        return { state: 'misconfigured', reason: `creating the index answered ${created.status}` };
      }
      if (isSuccess(created.status)) return { state: 'ready' };
    } else if (!isSuccess(head.status)) {
      return { state: 'misconfigured', reason: `checking the index answered ${head.status}` };
    }
    const mapping = await send('GET', `${path}/_mapping`);
    if (!isSuccess(mapping.status)) {
      return { state: 'misconfigured', reason: `reading the mapping answered ${mapping.status}` };
    }
    let missing = false;
    for (const types of injectedTypes(asObject(decodeJsonResponse(mapping.body)))) {
      for (const field of INJECTED_FIELDS) {
        const type = types.get(field);
        if (type === undefined) missing = true;
        else if (type !== 'keyword') {
          return { state: 'misconfigured', reason: `the index maps ${field} as ${type}, not keyword` };
        }
      }
    }
    if (!missing) return { state: 'ready' };
    const added = await send('PUT', `${path}/_mapping`, { properties });
    return isSuccess(added.status)
      ? { state: 'ready' }
      : { state: 'misconfigured', reason: `adding the tenancy fields answered ${added.status}` };
  } catch (error) {
    const answer = isAnswerable(error) ? answerError(error) : undefined;
    return { state: 'unreachable', code: isProxyError(answer) ? answer.code : 'upstream_failed' };
  }
}

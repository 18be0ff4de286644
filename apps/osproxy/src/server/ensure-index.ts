// The shared index must map the injected fields as `keyword`: a dynamically
// mapped `text` field would tokenise tenant ids and the partition filter would
// match by word. Created at start when missing (or, for a `{index}` template,
// an index template covering every physical index); an unreachable cluster is
// logged and left to the first write.
import { type ClusterId, newTraceContext } from '@flusso/core';
import type { Upstream, UpstreamOpBase } from '@flusso/sinks';
import type { Logger } from 'pino';

const INJECTED = { _tenant: { type: 'keyword' }, _index_name: { type: 'keyword' } };

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
    headers: {},
    trace: newTraceContext(),
    requestId: 'osproxy-start',
  };
}

export async function ensureSharedIndex(
  upstream: Upstream,
  cluster: ClusterId,
  template: string,
  logger: Logger,
): Promise<void> {
  try {
    if (template.includes('{')) {
      const pattern = template.replaceAll('{index}', '*').replaceAll('{partition}', '*');
      const res = await upstream.forward({
        ...op(cluster, 'PUT', '/_index_template/osproxy-tenancy', {
          index_patterns: [pattern],
          template: { mappings: { properties: INJECTED } },
        }),
        kind: 'forward',
        action: 'admin',
      });
      logger.info({ pattern, status: res.status }, 'index template for tenancy fields');
      return;
    }
    const path = `/${encodeURIComponent(template)}`;
    const head = await upstream.forward({ ...op(cluster, 'HEAD', path), kind: 'forward', action: 'admin' });
    if (head.status === 200) return;
    const res = await upstream.forward({
      ...op(cluster, 'PUT', path, { mappings: { properties: INJECTED } }),
      kind: 'forward',
      action: 'admin',
    });
    logger.info({ index: template, status: res.status }, 'created the shared index');
  } catch (error) {
    logger.warn(
      { index: template, code: (error as { code?: string }).code },
      'could not check the shared index at start',
    );
  }
}

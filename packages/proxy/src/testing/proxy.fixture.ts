// A pipeline over the emulator with the reference tenancy (shared index
// `osproxy-shared`, `_tenant` injected), and helpers to speak to it the way an
// application would: method, path, JSON or NDJSON body, a tenant header.
import { type JsonValue, newTraceContext, type Principal, parseClusterId } from '@flusso/core';
import type { WriteQueue } from '@flusso/sinks';
import { CursorSealer } from '../cursor/cursor-seal.js';
import { hmacSha256 } from '../cursor/mac.js';
import type { SearchContexts } from '../cursor/search-contexts.js';
import { ExplainLog } from '../pipeline/explain.js';
import { headerAllowlist } from '../pipeline/forward-headers.js';
import { ProxyPipeline } from '../pipeline/pipeline.js';
import type { ProxyResponse } from '../request/proxy-request.js';
import { docIdCodec } from '../rewrite/doc-id.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from './emulator-upstream.fixture.js';

export interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, as a client would
  readonly body: any;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId: string;
  /** The body exactly as the client received it. */
  readonly text: string;
}

export interface Harness {
  readonly pipeline: ProxyPipeline;
  readonly upstream: EmulatorUpstream;
  readonly tenancy: ReferenceTenancy;
  readonly explain: ExplainLog;
  send(
    method: string,
    pathAndQuery: string,
    options?: {
      tenant?: string;
      principal?: Principal;
      body?: JsonValue;
      ndjson?: JsonValue[];
      raw?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
}

let counter = 0;

export function harness(
  options: {
    tenancy?: ReferenceTenancy;
    upstream?: EmulatorUpstream;
    key?: string | null;
    queue?: WriteQueue;
    asyncDefault?: boolean;
    contexts?: SearchContexts;
  } = {},
): Harness {
  const upstream = options.upstream ?? new EmulatorUpstream();
  upstream.store().createIndex('osproxy-shared', {});
  const tenancy = options.tenancy ?? new ReferenceTenancy();
  const explain = new ExplainLog();
  const key = options.key === undefined ? 'test-cursor-key-0123456789' : options.key;
  const pipeline = new ProxyPipeline({
    tenancy,
    upstream,
    ids: docIdCodec(tenancy.docIdRule),
    sealer: new CursorSealer(key === null ? undefined : hmacSha256(key)),
    endpoints: new Map(),
    newId: () => `auto${++counter}`,
    headerAllow: headerAllowlist([]),
    classify: { adminPrefixes: ['/_cat/', '/_cluster/', '/_nodes/'], passthroughPrefixes: ['legacy-'] },
    adminCluster: parseClusterId('default'),
    observer: explain,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.asyncDefault === undefined ? {} : { asyncDefault: options.asyncDefault }),
    ...(options.contexts === undefined ? {} : { contexts: options.contexts }),
  });
  return {
    pipeline,
    upstream,
    tenancy,
    explain,
    async send(method, pathAndQuery, opts = {}) {
      const url = new URL(pathAndQuery, 'http://proxy');
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.tenant !== undefined) headers['x-tenant'] = opts.tenant;
      const body =
        opts.raw ??
        (opts.ndjson !== undefined
          ? `${opts.ndjson.map((l) => JSON.stringify(l)).join('\n')}\n`
          : opts.body === undefined
            ? null
            : JSON.stringify(opts.body));
      const requestId = `req-${++counter}`;
      const response: ProxyResponse = await pipeline.handle({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        ...(opts.principal === undefined ? {} : { principal: opts.principal }),
        requestId,
        trace: newTraceContext(),
      });
      const text = new TextDecoder().decode(response.body);
      const parsed = text === '' ? null : JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed, requestId, text };
    },
  };
}

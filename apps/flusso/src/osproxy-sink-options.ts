// The osproxy settings of an OpenSearch sink with `layout = "osproxy"`, as the
// layout in `@flusso/core` takes them (the same names osproxy reads).
import type { OsproxyLayoutOptions } from '@flusso/core';
import type { OpenSearchSinkConfig } from '@flusso/daemon';

export function osproxyLayoutOptions(config: OpenSearchSinkConfig): OsproxyLayoutOptions {
  return {
    ...(config.osproxy_index !== undefined ? { index: config.osproxy_index } : {}),
    ...(config.tenant_field !== undefined ? { tenantField: config.tenant_field } : {}),
    ...(config.index_field !== undefined ? { indexField: config.index_field } : {}),
  };
}

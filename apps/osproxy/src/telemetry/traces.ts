// OTLP trace export for osproxy, enabled by the standard OpenTelemetry variables
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
// OTEL_SERVICE_NAME); nothing when neither endpoint is set.
import { OtlpExporter, otlpOptionsFromEnv } from '@flusso/app-kit';
import type { Logger } from 'pino';
import { RequestTraces } from './request-traces.js';

export interface Tracing {
  readonly traces: RequestTraces;
  /** Flushes what is buffered and stops the export timer. */
  close(): Promise<void>;
}

export function tracesFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Tracing | undefined {
  const options = otlpOptionsFromEnv(env, 'osproxy');
  if (options === undefined) return undefined;
  const exporter = new OtlpExporter({
    ...options,
    onExportError: (message) => logger.warn({ err: message }, 'trace export failed; spans dropped'),
  });
  return { traces: new RequestTraces(exporter), close: () => exporter.close() };
}

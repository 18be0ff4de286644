// OTLP trace export from the standard OpenTelemetry environment variables.
import type { OtlpExporterOptions } from './otlp-exporter.js';

/**
 * Exporter options from `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full traces URL)
 * or `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL; `/v1/traces` is appended) and
 * `OTEL_SERVICE_NAME` (else `serviceName`); undefined when neither endpoint is set.
 */
export function otlpOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  serviceName: string,
): OtlpExporterOptions | undefined {
  const service = env.OTEL_SERVICE_NAME || serviceName;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return { tracesUrl: traces, serviceName: service };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base) return { endpoint: base, serviceName: service };
  return undefined;
}

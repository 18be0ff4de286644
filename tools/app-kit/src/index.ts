// @flusso/app-kit: process scaffolding shared by the flusso and osproxy apps.
export { helpRequest, packageVersion } from './cli/help-flags.js';
export { ConfigValueError } from './config/config-value-error.js';
export { envBooleanWords, parseEnvBoolean } from './config/env-boolean.js';
export { type HostPort, parseHostPort } from './config/host-port.js';
export { createLogger, type LoggerOptions } from './logger/create-logger.js';
export { ExitCode } from './process/exit-code.js';
export { onShutdownSignals, type ShutdownOptions } from './process/shutdown.js';
export { otlpOptionsFromEnv } from './telemetry/otlp-env.js';
export {
  type FinishedSpan,
  OtlpExporter,
  type OtlpExporterOptions,
  otlpBody,
  type SpanAttributes,
} from './telemetry/otlp-exporter.js';

// `@flusso/sinks/stdout`: a sink that writes NDJSON envelopes to a stream.
export { type StdoutEnvelope, StdoutSink, type StdoutSinkOptions } from './stdout/stdout-sink.js';

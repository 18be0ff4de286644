// `@flusso/sinks/opensearch`: flusso's bulk sink; loads the OpenSearch client.
export { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch/opensearch-sink.js';

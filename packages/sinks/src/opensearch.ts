// `@flusso/sinks/opensearch`: flusso's bulk sinks (generations, or osproxy's
// layout); loads the OpenSearch client.
export { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch/opensearch-sink.js';
export type { OsproxyLayoutSinkOptions } from './opensearch/osproxy-layout-options.js';
export { OsproxyLayoutSink } from './opensearch/osproxy-layout-sink.js';
export { type MappingConflict, sharedMappingConflicts } from './opensearch/osproxy-mapping-conflicts.js';
export {
  osproxyMapping,
  osproxyPhysicalIndex,
  placeDocument,
  placeId,
} from './opensearch/osproxy-placement.js';
